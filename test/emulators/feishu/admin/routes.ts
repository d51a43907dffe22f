/** Test-only admin operations, served under /__admin/<name> (JSON in, `{ok, result}` out). */
import { expireAllTokens } from '../auth';
import { describeField } from '../bitable/fields';
import { recordItem, plainFields } from '../bitable/recordView';
import { createTable } from '../bitable/tables';
import { createRecords, deleteRecords, updateRecords } from '../bitable/writes';
import type { EmulatorCore } from '../core';
import { OWNER, emptyCounters, type User } from '../state';
import type { FaultPlan, FieldSpec, RateLimitSetting, SeedRecord, TableDump } from '../types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

function need<T>(v: T | undefined | null, what: string): T {
	if (v === undefined || v === null || v === '') throw new Error(`${what} is required`);
	return v;
}

export function adminHandler(core: EmulatorCore) {
	const base = (appToken: string) => {
		const b = core.state.bases.get(appToken);
		if (!b) throw new Error(`no base ${appToken}`);
		return b;
	};
	const table = (appToken: string, tableId: string) => {
		const b = base(appToken);
		const t = b.tables.get(tableId);
		if (!t) throw new Error(`no table ${tableId} in base ${appToken}`);
		return { b, t };
	};
	const human = (openId: string | undefined): string => {
		const id = openId ?? OWNER.open_id;
		if (!core.state.users.has(id)) throw new Error(`no user ${id}: addUser first`);
		return id;
	};

	const ops: Record<string, (body: Body) => unknown> = {
		reset: () => core.reset(),
		createApp: (b) => {
			core.state.apps.set(need(b.appId, 'appId'), {
				appId: b.appId,
				appSecret: need(b.appSecret, 'appSecret'),
				name: b.name ?? b.appId,
				scopes: Array.isArray(b.scopes) ? b.scopes : undefined,
			});
			return { appId: b.appId, botOpenId: `ou_app_${b.appId}` };
		},
		createBase: (b) => {
			const appToken = need(b.appToken, 'appToken') as string;
			if (core.state.bases.has(appToken)) throw new Error(`base ${appToken} exists`);
			core.state.bases.set(appToken, {
				app_token: appToken,
				name: b.name ?? appToken,
				revision: 1,
				apps: new Set(b.apps ?? []),
				tables: new Map(),
				advanced: b.advanced === true,
				managers: new Set(b.managers ?? []),
				timeZone: typeof b.timeZone === 'string' ? b.timeZone : undefined,
			});
			return { appToken };
		},
		/** Advanced permissions on or off, and which apps may manage the base. */
		setBaseAdvanced: (b) => {
			const one = base(b.appToken);
			one.advanced = b.advanced !== false;
			one.managers = new Set(b.managers ?? []);
		},
		/** Read anomalies of the real API: `pageShift` (page tokens re-run the query), `searchLagMs` (search sees writes late), `maxResponseBytes` (1254030 past it). */
		setSearchBehaviour: (b) => {
			core.state.search = {
				pageShift: b.pageShift === true,
				searchLagMs: Number(b.searchLagMs ?? 0) || 0,
				maxResponseBytes: Number(b.maxResponseBytes ?? 0) || 0,
			};
		},
		setAppScopes: (b) => {
			const app = core.state.apps.get(b.appId);
			if (!app) throw new Error(`no app ${b.appId}`);
			app.scopes = Array.isArray(b.scopes) ? b.scopes : undefined;
		},
		/** The right an added app was given on a base (view / edit / full_access), read by the permission auth endpoint. */
		setAppPermission: (b) => {
			const one = base(b.appToken);
			one.appPerms ??= new Map();
			one.appPerms.set(b.appId, b.perm);
		},
		setBaseApps: (b) => {
			base(b.appToken).apps = new Set(b.apps ?? []);
		},
		createTable: (b) =>
			createTable(core.state, base(b.appToken), {
				tableId: b.tableId,
				name: need(b.name, 'name'),
				fields: (b.fields ?? []) as FieldSpec[],
				primaryField: b.primaryField,
				recordCap: b.recordCap,
			}).table_id,
		seedRecords: (b) => {
			const { b: bs, t } = table(b.appToken, b.tableId);
			const records = need(b.records, 'records') as SeedRecord[];
			const recs = createRecords(
				core.state,
				bs,
				t,
				records.map((r) => r.fields),
				{
					actor: OWNER.open_id,
					actors: records.map((r) => (r.asUser ? human(r.asUser) : undefined)),
					allowReadOnly: true,
					createdTime: records.map((r) => r.createdTime as number),
					modifiedTime: records.map((r) => r.modifiedTime as number),
				},
			);
			return recs.map((r) => r.record_id);
		},
		editRecord: (b) => {
			const { b: bs, t } = table(b.appToken, b.tableId);
			updateRecords(core.state, bs, t, [{ record_id: b.recordId, fields: b.fields }], {
				actor: human(b.asUser),
				allowReadOnly: true,
			});
			// a backdated edit: what a search index that catches up late shows
			if (typeof b.modifiedTime === 'number') t.records.get(b.recordId)!.last_modified_time = b.modifiedTime;
		},
		deleteRecords: (b) => {
			const { b: bs, t } = table(b.appToken, b.tableId);
			deleteRecords(bs, t, need(b.recordIds, 'recordIds'), core.state);
		},
		dumpTable: (b): TableDump => {
			const { b: bs, t } = table(b.appToken, b.tableId);
			const ctx = { state: core.state, base: bs, userIdType: 'open_id', baseUrl: core.baseUrl };
			return {
				fields: t.fields.map(describeField),
				records: [...t.records.values()].map((rec) => ({
					record_id: rec.record_id,
					fields: recordItem(rec, t, ctx).fields as Record<string, unknown>,
					plain: plainFields(rec, t),
					created_time: rec.created_time,
					last_modified_time: rec.last_modified_time,
					created_by: rec.created_by,
					modified_by: rec.modified_by,
				})),
			};
		},
		counters: () => core.state.counters,
		resetCounters: () => {
			core.state.counters = emptyCounters();
		},
		setFaultPlan: (b) => core.faults.set(b as FaultPlan),
		clearFaultPlan: () => core.faults.clear(),
		setRateLimits: (b) => core.limiter.configure(need(b.rateLimits, 'rateLimits') as RateLimitSetting),
		setWriteLatency: (b) => {
			core.writeLatencyMs = Number(b.ms ?? 0);
		},
		setClock: (b) => core.clock.setOffset(Number(need(b.offsetMs, 'offsetMs'))),
		advanceClock: (b) => core.clock.advance(Number(need(b.ms, 'ms'))),
		now: () => core.clock.now(),
		addWikiNode: (b) => {
			core.state.wiki.set(need(b.nodeToken, 'nodeToken'), {
				nodeToken: b.nodeToken,
				objType: need(b.objType, 'objType'),
				objToken: need(b.objToken, 'objToken'),
				title: b.title ?? b.nodeToken,
				spaceId: b.spaceId ?? '7000000000000000001',
				apps: b.apps ? new Set(b.apps) : undefined,
			});
		},
		addUser: (b) => {
			const user: User = { ...b, open_id: need(b.open_id, 'open_id'), name: need(b.name, 'name') };
			core.state.users.set(user.open_id, user);
		},
		createBot: (b) => {
			const token = need(b.token, 'token') as string;
			core.state.bots.set(token, {
				token,
				secret: b.secret || undefined,
				keyword: b.keyword || undefined,
				messages: [],
				sent: [],
			});
			return { webhookUrl: `${core.baseUrl}/open-apis/bot/v2/hook/${token}` };
		},
		botMessages: (b) => {
			const bot = core.state.bots.get(b.token);
			if (!bot) throw new Error(`no bot ${b.token}`);
			return bot.messages;
		},
		expireTokens: () => expireAllTokens(core.state),
		uploads: () => [...core.state.uploads.values()].map(({ content: _c, ...info }) => info),
		// long connection (longConnection/server.ts)
		dropLongConnections: (b) => core.longConnections.drop(b?.appId),
		longConnections: () => core.longConnections.status(),
		setLongConnection: (b) => core.longConnections.configure(b ?? {}),
		subscriptions: () => [...core.state.subscriptions],
	};

	return (name: string, body: Body): unknown => {
		const op = ops[name];
		if (!op) throw new Error(`unknown admin route ${name}`);
		return op(body ?? {});
	};
}
