/** Typed client for the emulator's admin routes, over HTTP (works against an in-process or standalone emulator). */
import type {
	BotMessage,
	Counters,
	FaultPlan,
	FieldSpec,
	RateLimitSetting,
	SeedRecord,
	TableDump,
	UploadInfo,
} from '../types';
import { EmulatorAdmin } from '../../common';
import type { LongConnectionSettings, PushedEvent } from '../longConnection/server';
import type { User } from '../state';

export interface LongConnectionStatus {
	connections: { appId: string; connectedAt: number }[];
	connects: Record<string, number>;
	pushed: PushedEvent[];
	settings: LongConnectionSettings;
}

export class FeishuAdmin extends EmulatorAdmin<Counters, FaultPlan> {
	constructor(readonly baseUrl: string) {
		super();
	}

	protected async call<T>(name: string, body: unknown = {}): Promise<T> {
		const res = await fetch(`${this.baseUrl}/__admin/${name}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const out = (await res.json()) as { ok: boolean; result: T; error?: string };
		if (!out.ok) throw new Error(`feishu emulator admin ${name}: ${out.error}`);
		return out.result;
	}

	reset(): Promise<void> {
		return this.call('reset');
	}
	/** `scopes` omitted = the app holds every scope; otherwise calls needing another scope get 99991672. */
	createApp(app: {
		appId: string;
		appSecret: string;
		name?: string;
		scopes?: string[];
	}): Promise<{ appId: string; botOpenId: string }> {
		return this.call('createApp', app);
	}
	/**
	 * `advanced`: advanced permissions on; apps not in `managers` then get successful searches with no records.
	 * `timeZone`: the base's zone (default Asia/Shanghai), in which date filters count days.
	 */
	createBase(base: {
		appToken: string;
		name?: string;
		apps: string[];
		advanced?: boolean;
		managers?: string[];
		timeZone?: string;
	}): Promise<{ appToken: string }> {
		return this.call('createBase', base);
	}
	setBaseAdvanced(appToken: string, advanced: boolean, managers: string[] = []): Promise<void> {
		return this.call('setBaseAdvanced', { appToken, advanced, managers });
	}
	/**
	 * Read anomalies of the real API: `pageShift` (no snapshot behind page tokens), `searchLagMs` (search sees writes
	 * that much later, on the emulator clock), `maxResponseBytes` (a larger search page answers 1254030).
	 */
	setSearchBehaviour(behaviour: {
		pageShift?: boolean;
		searchLagMs?: number;
		maxResponseBytes?: number;
	}): Promise<void> {
		return this.call('setSearchBehaviour', behaviour);
	}
	/** Replaces an app's granted scopes (undefined = every scope). */
	setAppScopes(appId: string, scopes: string[] | undefined): Promise<void> {
		return this.call('setAppScopes', { appId, scopes });
	}
	/** The right an added app was given (可阅读 view / 可编辑 edit / 可管理 full_access); only permission auth reads it. */
	setAppPermission(appToken: string, appId: string, perm: 'view' | 'edit' | 'full_access'): Promise<void> {
		return this.call('setAppPermission', { appToken, appId, perm });
	}
	/** Replaces the apps added to a base (an app not listed gets 91403). */
	setBaseApps(appToken: string, apps: string[]): Promise<void> {
		return this.call('setBaseApps', { appToken, apps });
	}
	createTable(table: {
		appToken: string;
		tableId?: string;
		name: string;
		fields: FieldSpec[];
		primaryField?: string;
		recordCap?: number;
	}): Promise<string> {
		return this.call('createTable', table);
	}
	/** Setup only: bypasses rate limits, faults and counters; may fill formula/lookup fields. */
	seedRecords(input: { appToken: string; tableId: string; records: SeedRecord[] }): Promise<string[]> {
		return this.call('seedRecords', input);
	}
	/**
	 * A human edit in the Feishu UI: moves the modified time (to now, or to `modifiedTime` when given) and modified-by.
	 */
	editRecord(input: {
		appToken: string;
		tableId: string;
		recordId: string;
		fields: Record<string, unknown>;
		asUser: string;
		modifiedTime?: number;
	}): Promise<void> {
		return this.call('editRecord', input);
	}
	/** A human deletion in the Feishu UI. */
	deleteRecords(input: { appToken: string; tableId: string; recordIds: string[] }): Promise<void> {
		return this.call('deleteRecords', input);
	}
	dumpTable(appToken: string, tableId: string): Promise<TableDump> {
		return this.call('dumpTable', { appToken, tableId });
	}
	setRateLimits(rateLimits: RateLimitSetting): Promise<void> {
		return this.call('setRateLimits', { rateLimits });
	}
	/** Each Bitable write holds its base `ms` before answering; a write to a held base answers 1254291. 0 = off. */
	setWriteLatency(ms: number): Promise<void> {
		return this.call('setWriteLatency', { ms });
	}
	setClock(input: { offsetMs: number }): Promise<void> {
		return this.call('setClock', input);
	}
	advanceClock(ms: number): Promise<void> {
		return this.call('advanceClock', { ms });
	}
	/** The emulator's current time (ms), offset included. */
	now(): Promise<number> {
		return this.call('now');
	}
	addWikiNode(node: {
		nodeToken: string;
		objType: string;
		objToken: string;
		apps?: string[];
		title?: string;
	}): Promise<void> {
		return this.call('addWikiNode', node);
	}
	/** `openIds`: the user's open_id per app (Feishu's open_ids differ per app; the base `open_id` is then refused for that app). */
	addUser(user: User): Promise<void> {
		return this.call('addUser', user);
	}
	createBot(bot: { token: string; secret?: string; keyword?: string }): Promise<{ webhookUrl: string }> {
		return this.call('createBot', bot);
	}
	botMessages(token: string): Promise<BotMessage[]> {
		return this.call('botMessages', { token });
	}
	/** Every issued tenant token becomes invalid (99991663 on use). */
	expireTokens(): Promise<void> {
		return this.call('expireTokens');
	}
	/** Uploaded media with their sha256. */
	/** Drops the long connections (of one app, or all), as a network failure would; returns how many. */
	dropLongConnections(appId?: string): Promise<number> {
		return this.call('dropLongConnections', { appId });
	}
	/** Open connections, handshakes per app, and every event pushed (with whether the client acknowledged it). */
	longConnections(): Promise<LongConnectionStatus> {
		return this.call('longConnections');
	}
	/** Client settings handed out (ping and reconnect intervals, seconds) and whether new connections are refused. */
	setLongConnection(settings: Partial<LongConnectionSettings>): Promise<void> {
		return this.call('setLongConnection', settings);
	}
	/** `appId|appToken` of every base subscription. */
	subscriptions(): Promise<string[]> {
		return this.call('subscriptions');
	}
	uploads(): Promise<UploadInfo[]> {
		return this.call('uploads');
	}
}
