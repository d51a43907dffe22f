import { startWpsEmulator, type Dump, type WpsEmulator } from '../../emulators/wps';
import { createWpsContacts, clearTokenCache } from '../../../lib/wps';
import { wpsDirectory } from '../../../lib/wpsContactsSync/wpsDirectory';
import type { DirectoryClient } from '../../../lib/wpsContactsSync/directoryClient';
import { MemoryStateStore } from '../../../lib/wpsContactsSync/state/memoryStateStore';
import { applyWithState } from '../../../lib/wpsContactsSync/applyPlan';
import { type SyncSettings, previewSync } from '../../../lib/wpsContactsSync/preview';
import { emptyRecords } from '../../../lib/wpsContactsSync/records';
import type { Source, SourceDept, SourceUser, TargetState, UserField } from '../../../lib/wpsContactsSync/types';

/** Small org trees written as data: depts [id, parentId, name], users [id, name, deptIds, extra fields]. */
export type DeptRow = [string, string, string];
export type UserRow = [string, string, string[], Partial<Record<UserField, string>>?];

export function sourceOf(depts: DeptRow[], users: UserRow[], manages: Partial<Source['manages']> = {}): Source {
	return {
		depts: depts.map(([id, parentId, name]): SourceDept => ({ id, parentId, name })),
		users: users.map(
			([id, name, deptIds, fields]): SourceUser => ({
				id,
				name,
				deptIds,
				mainDeptId: deptIds[0],
				fields: { user_name: name, ...(fields ?? {}) },
			}),
		),
		manages: { order: false, leader: false, fields: ['user_name', 'email', 'title'], ...manages },
	};
}

export interface Env {
	emu: WpsEmulator;
	dir: DirectoryClient;
	clientId: string;
	rootId: string;
	close(): Promise<void>;
}

let appSeq = 0;

/** What the credential would say: the personal fields whose read scope the app was given. */
export function readableFor(scopes?: string[]): ('email' | 'phone' | 'gender')[] {
	const has = (s: string) => !scopes || scopes.includes(s);
	return (['email', 'phone', 'gender'] as const).filter((f) => has(`kso.user_${f}.read`));
}

/** A new app (tenant) on the emulator, its client id unique in this process and its secret "secret". */
export async function seedApp(
	emu: WpsEmulator,
	prefix: string,
	opts: Omit<Parameters<WpsEmulator['admin']['seedTenant']>[0], 'clientId' | 'clientSecret'> = {},
): Promise<{ clientId: string; rootDeptId: string }> {
	const clientId = `${prefix}${++appSeq}_${process.pid}`;
	const { rootDeptId } = await emu.admin.seedTenant({ clientId, clientSecret: 'secret', ...opts });
	return { clientId, rootDeptId };
}

/** An emulator with one tenant whose rate limit is off (tests that are not about the rate limit). */
export async function startEnv(opts: { scopes?: string[]; maxDepth?: number; emu?: WpsEmulator } = {}): Promise<Env> {
	const emu = opts.emu ?? (await startWpsEmulator({ rateLimits: 'off' }));
	const { clientId, rootDeptId } = await seedApp(emu, 'app', { scopes: opts.scopes, maxDepth: opts.maxDepth });
	const wps = createWpsContacts({
		baseUrl: emu.baseUrl,
		clientId,
		clientSecret: 'secret',
		ratePerSecond: false,
		retry: { baseDelayMs: 5, maxDelayMs: 20 },
	});
	return {
		emu,
		// The app reads the personal fields it holds the scopes of (the emulator's default: all of them).
		dir: wpsDirectory(wps, { readableFields: readableFor(opts.scopes) }),
		clientId,
		rootId: rootDeptId,
		close: async () => {
			clearTokenCache();
			if (!opts.emu) await emu.close();
		},
	};
}

export function settings(over: Partial<SyncSettings> = {}): SyncSettings {
	return {
		targetKey: 'test-target',
		scopeDeptId: '',
		mode: 'full',
		fullEvery: 10,
		graceDays: 30,
		conflictStrategy: 'sourceWins',
		adoptBy: [],
		unreadable: [],
		thresholds: { maxDeletions: 500, maxDeletionPercent: 0 },
		allowEmptySource: false,
		now: Date.now,
		...over,
	};
}

/** Preview + apply, as the Sync operation does. */
export async function syncOnce(env: Env, store: MemoryStateStore, source: Source, over: Partial<SyncSettings> = {}) {
	const s = settings(over);
	const preview = await previewSync(source, [], env.dir, store, s);
	if (preview.sourceErrors.length) throw new Error(preview.sourceErrors.map((e) => e.message).join('; '));
	const report = await applyWithState(preview.plan.operations, env.dir, store, {
		targetKey: s.targetKey,
		rootId: preview.plan.rootId,
		planId: preview.plan.fingerprint,
		planMode: preview.plan.mode,
		concurrency: 4,
		lockWaitSec: 5,
		verifyTarget: true,
		now: s.now,
	});
	return { preview, report };
}

/** The managed part of WPS in source terms: dept ex -> "parentEx/name", user ex -> "name|depts|status". */
export function shapeOfDump(dump: Dump, rootId: string, exs?: { depts: Set<string>; users: Set<string> }) {
	const byId = new Map(dump.depts.map((d) => [d.dept_id, d]));
	const exOf = (id: string) => (id === rootId ? '#root' : (byId.get(id)?.ex_dept_id ?? `?${id}`));
	const depts: Record<string, string> = {};
	for (const d of dump.depts) {
		if (d.dept_id === rootId || (exs && !exs.depts.has(d.ex_dept_id))) continue;
		depts[d.ex_dept_id] = `${exOf(d.parent_id)}/${d.name}`;
	}
	const users: Record<string, string> = {};
	for (const u of dump.users) {
		if (exs && !exs.users.has(u.ex_user_id)) continue;
		users[u.ex_user_id] = `${u.user_name}|${u.dept_ids.map(exOf).sort().join(',')}|${exOf(u.def_dept_id)}|${u.status}`;
	}
	return { depts, users };
}

export function shapeOfSource(source: Source) {
	const depts: Record<string, string> = {};
	for (const d of source.depts) depts[d.id] = `${d.parentId || '#root'}/${d.name}`;
	const users: Record<string, string> = {};
	for (const u of source.users)
		users[u.id] = `${u.name}|${[...u.deptIds].sort().join(',')}|${u.mainDeptId ?? u.deptIds[0]}|active`;
	return { depts, users };
}

export function exsOf(source: Source) {
	return { depts: new Set(source.depts.map((d) => d.id)), users: new Set(source.users.map((u) => u.id)) };
}

/** The rule tests' clock: "now", and a day. */
export const NOW = 1_800_000_000_000;
export const DAY = 86_400_000;

/**
 * One user, e1 Ann in Sales (d1), whose title in WPS is `title`: the WPS state, and the sync's records of having
 * written both 10 days before NOW (the title then Rep).
 */
export function world(title: string) {
	const current: TargetState = {
		rootId: 'R',
		depts: [
			{ id: 'R', exId: 'R', name: 'Root', parentId: '', order: 0 },
			{ id: '1', exId: 'd1', name: 'Sales', parentId: 'R', order: 0 },
		],
		users: [
			{
				id: 'u',
				exId: 'e1',
				status: 'active',
				deptIds: ['1'],
				mainDeptId: '1',
				leaderId: '',
				fields: { user_name: 'Ann', title },
			},
		],
	};
	const records = emptyRecords();
	records.depts.set('d1', { kind: 'dept', ex: 'd1', data: { ...current.depts[1] }, writtenAt: NOW - 10 * DAY });
	records.users.set('e1', {
		kind: 'user',
		ex: 'e1',
		data: { ...current.users[0], fields: { user_name: 'Ann', title: 'Rep' } },
		writtenAt: NOW - 10 * DAY,
	});
	return { current, records };
}

/** The rules of desiredFromSource as the Sync settings give them (source wins, 30 days' grace). */
export const ruleSettings = (over = {}) => ({
	now: NOW,
	graceDays: 30,
	conflictStrategy: 'sourceWins' as const,
	adoptBy: [],
	unreadable: [],
	fullRead: true,
	...over,
});
