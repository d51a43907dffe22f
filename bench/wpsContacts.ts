/**
 * WPS Contacts sync at scale against the WPS emulator (self-contained; state in memory):
 *  0. a first sync into an empty tenant (departments with leaders' users): API calls against the minimum the
 *     API allows (one create per object, leader and departments inside the user's create, plus the four reads
 *     that prove the tenant empty), its time at the documented 10/s, and the process's peak RSS;
 *  1. plan CPU time for 50,000 users in 5,000 departments (target under 1 s), unchanged and with 1% edits;
 *  2. API calls of an unchanged full run and of an unchanged incremental run (target: incremental under 10);
 *  3. a 10,000-operation plan applied against the emulator's rate limit raised to 10x the documented
 *     10/s: wall time against the floor max(calls / limit, measured service time) (target within 1.2x).
 *
 *   npx ts-node --transpile-only bench/wpsContacts.ts        (BENCH_QUICK=1: 5,000 users / 500 departments, 1,000 operations)
 */
import { startWpsEmulator, SPEC_PER_SECOND, type WpsEmulator } from '../test/emulators/wps';
import { clearTokenCache, createWpsContacts } from '../lib/wps';
import { wpsDirectory } from '../lib/wpsContactsSync/wpsDirectory';
import { makePlan } from '../lib/wpsContactsSync/makePlan';
import { MemoryStateStore } from '../lib/wpsContactsSync/state/memoryStateStore';
import { applyWithState } from '../lib/wpsContactsSync/applyPlan';
import { previewSync, type SyncSettings } from '../lib/wpsContactsSync/preview';
import type { Source, TargetState } from '../lib/wpsContactsSync/types';

const QUICK = !!process.env.BENCH_QUICK;
const USERS = QUICK ? 5_000 : 50_000;
const DEPTS = QUICK ? 500 : 5_000;
const APPLY_OPS = QUICK ? 1_000 : 10_000;
const MULTIPLIER = 10;
const LIMIT = SPEC_PER_SECOND * MULTIPLIER;

/** A tree with ten children per department, users spread over all departments; with leaders, every tenth user leads the next nine. */
function org(depts: number, users: number, tag = '', leaders = false): Source {
	return {
		depts: Array.from({ length: depts }, (_, i) => ({
			id: `D${i}`,
			parentId: i < 10 ? '' : `D${Math.floor(i / 10) - 1}`,
			name: `Dept ${i}${tag}`,
		})),
		users: Array.from({ length: users }, (_, i) => ({
			id: `U${i}`,
			name: `User ${i}`,
			deptIds: [`D${i % depts}`],
			mainDeptId: `D${i % depts}`,
			...(leaders && i % 10 ? { leaderId: `U${i - (i % 10)}` } : {}),
			fields: { user_name: `User ${i}`, title: `Title ${i % 7}`, employee_id: `E${i}` },
		})),
		manages: { order: false, leader: leaders, fields: ['user_name', 'title', 'employee_id'] },
	};
}

function settings(over: Partial<SyncSettings> = {}): SyncSettings {
	return {
		targetKey: 'bench',
		scopeDeptId: '',
		mode: 'full',
		fullEvery: 1000,
		graceDays: 30,
		conflictStrategy: 'sourceWins',
		adoptBy: [],
		unreadable: [],
		thresholds: { maxDeletions: 1_000_000, maxDeletionPercent: 0 },
		allowEmptySource: false,
		now: Date.now,
		...over,
	};
}

/** Admin calls right after a burst can meet a connection the server already closed: try again once. */
async function again<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch {
		await new Promise((r) => setTimeout(r, 200));
		return fn();
	}
}

async function tenant(emu: WpsEmulator, clientId: string) {
	const { rootDeptId } = await again(() =>
		emu.admin.seedTenant({ clientId, clientSecret: 'secret', seatLimit: 1_000_000 }),
	);
	const wps = createWpsContacts({ baseUrl: emu.baseUrl, clientId, clientSecret: 'secret', ratePerSecond: false });
	return { rootId: rootDeptId, wps, dir: wpsDirectory(wps, { readConcurrency: 8 }) };
}

/** Seeds WPS with exactly the source (as after an earlier sync), through the emulator's admin routes. */
async function seedMatching(emu: WpsEmulator, clientId: string, rootId: string, source: Source): Promise<void> {
	const idOf = new Map<string, string>();
	// level by level, so every parent has its WPS id before its children are seeded
	const depth = new Map<string, number>();
	for (const d of source.depts) depth.set(d.id, d.parentId ? depth.get(d.parentId)! + 1 : 0);
	const levels: Source['depts'][] = [];
	for (const d of source.depts) (levels[depth.get(d.id)!] ??= []).push(d);
	for (const level of levels)
		for (let i = 0; i < level.length; i += 1000) {
			const part = level.slice(i, i + 1000);
			const res = await emu.admin.seedDepts(
				part.map((d) => ({ name: d.name, ex_dept_id: d.id, parent_id: d.parentId ? idOf.get(d.parentId)! : rootId })),
				{ clientId },
			);
			res.depts.forEach((d) => idOf.set(d.ex_dept_id, d.dept_id));
		}
	for (let i = 0; i < source.users.length; i += 2000) {
		const part = source.users.slice(i, i + 2000);
		await emu.admin.seedUsers(
			part.map((u) => ({
				user_name: u.name,
				ex_user_id: u.id,
				dept_ids: u.deptIds.map((d) => idOf.get(d)!),
				def_dept_id: idOf.get(u.mainDeptId!)!,
				title: u.fields.title,
				employee_id: u.fields.employee_id,
			})),
			{ clientId },
		);
	}
}

/** Applies a preview's whole plan, eight operations in flight, the way every part of this bench does. */
function applyPlan(
	preview: Awaited<ReturnType<typeof previewSync>>,
	dir: ReturnType<typeof wpsDirectory>,
	store: MemoryStateStore,
	verifyTarget: boolean,
) {
	const { operations, rootId, fingerprint } = preview.plan;
	return applyWithState(operations, dir, store, {
		targetKey: 'bench',
		rootId,
		planId: fingerprint,
		planMode: 'full',
		concurrency: 8,
		lockWaitSec: 1,
		verifyTarget,
		now: Date.now,
	});
}

function cpuMs(fn: () => void): number {
	const start = process.cpuUsage();
	fn();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

async function main(): Promise<void> {
	console.log(`WPS Contacts bench: ${fmt(USERS)} users in ${fmt(DEPTS)} departments${QUICK ? ' (BENCH_QUICK)' : ''}`);
	const emu = await startWpsEmulator({ rateLimits: 'off' });
	try {
		// ---- 0. first sync into an empty tenant
		{
			const firstSource = org(DEPTS, USERS, '', true);
			const f = await tenant(emu, 'bench_first');
			const s = new MemoryStateStore();
			const started = Date.now();
			const preview = await previewSync(
				firstSource,
				[],
				f.dir,
				s,
				settings({
					thresholds: { maxDeletions: 1_000_000, maxDeletionPercent: 0, maxChanges: 1_000_000, maxChangePercent: 0 },
				}),
			);
			const report = await applyPlan(preview, f.dir, s, false);
			const ms = Date.now() - started;
			const calls = f.dir.calls();
			// token + root + root's children + root's members (the tenant is empty), then one create per object.
			const minimum = 4 + DEPTS + USERS;
			const dump = await again(() => emu.admin.dump({ clientId: 'bench_first' }));
			const leaders = dump.users.filter((u) => u.leader_id).length;
			if (report.summary.failed || dump.users.length !== USERS || dump.depts.length !== DEPTS + 1) {
				throw new Error(
					`first sync incomplete: ${report.summary.failed} failed, ${dump.users.length} users, ${dump.depts.length - 1} departments`,
				);
			}
			const ratio = calls / minimum;
			console.log(
				`first sync:                ${fmt(calls)} API calls for ${fmt(DEPTS)} departments and ${fmt(USERS)} users (${fmt(leaders)} with a leader, set in their create); ` +
					`minimum ${fmt(minimum)}; ratio ${fmt(ratio)}x (target <= 1.05x) ${ratio <= 1.05 ? 'OK' : 'MISSED'}`,
			);
			console.log(
				`first sync time:           ${fmt(ms / 1000)} s against an unthrottled emulator; at the documented 10/s it cannot take less than ${fmt(minimum / SPEC_PER_SECOND / 60)} min ` +
					`(${fmt(calls / SPEC_PER_SECOND / 60)} min for these calls); peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
			);
		}

		// ---- 2. unchanged full and incremental runs (and the state the plan-time bench starts from)
		const source = org(DEPTS, USERS);
		const t = await tenant(emu, 'bench_unchanged');
		await seedMatching(emu, 'bench_unchanged', t.rootId, source);
		const store = new MemoryStateStore();
		const first = await previewSync(source, [], t.dir, store, settings());
		await applyPlan(first, t.dir, store, true);
		if (first.plan.operations.length)
			throw new Error(`a matching tenant planned ${first.plan.operations.length} operations`);
		const full = await previewSync(source, [], t.dir, store, settings({ mode: 'full' }));
		const inc = await previewSync(source, [], t.dir, store, settings({ mode: 'incremental' }));
		console.log(
			`unchanged full run:        ${fmt(full.calls)} API calls for ${fmt(DEPTS + USERS)} objects (one per ${fmt((DEPTS + USERS) / full.calls)})`,
		);
		console.log(
			`unchanged incremental run: ${fmt(inc.calls)} API calls (target < 10) ${inc.calls < 10 ? 'OK' : 'MISSED'}`,
		);

		// ---- 1. plan CPU time
		const current: TargetState = {
			rootId: t.rootId,
			depts: [
				{ id: t.rootId, exId: t.rootId, name: 'Root', parentId: '', order: 0 },
				...(await t.dir.readSubtree(t.rootId)),
			],
			users: await t.dir.readUsersUnder(t.rootId),
		};
		const records = await store.loadRecords();
		const rules = {
			now: Date.now(),
			graceDays: 30,
			conflictStrategy: 'sourceWins' as const,
			adoptBy: [],
			unreadable: [],
			fullRead: true,
		};
		const edited = org(DEPTS, USERS);
		for (let i = 0; i < USERS; i += 100) edited.users[i].fields.title = 'Changed';
		for (let i = 10; i < DEPTS; i += 100) edited.depts[i].name += ' (renamed)';
		const times = { unchanged: [] as number[], edited: [] as number[] };
		let editedOps = 0;
		const plan = (from: typeof source) =>
			makePlan({
				source: from,
				current,
				records,
				rules,
				thresholds: settings().thresholds,
				targetKey: 'bench',
				mode: 'full',
				now: Date.now(),
			});
		for (let r = 0; r < 3; r++) {
			times.unchanged.push(cpuMs(() => plan(source)));
			times.edited.push(cpuMs(() => (editedOps = plan(edited).plan.operations.length)));
		}
		console.log(
			`plan CPU time, unchanged:  ${fmt(median(times.unchanged))} ms (target < 1000 ms) ${median(times.unchanged) < 1000 ? 'OK' : 'MISSED'}`,
		);
		console.log(
			`plan CPU time, 1% edits:   ${fmt(median(times.edited))} ms for ${fmt(editedOps)} operations (target < 1000 ms) ${median(times.edited) < 1000 ? 'OK' : 'MISSED'}`,
		);

		// ---- 3. apply a large plan at 10x the documented rate limit, against the floor
		const deptCount = Math.round(APPLY_OPS / 20);
		const applySource = org(deptCount, APPLY_OPS - deptCount, ' new');
		const measure = async (clientId: string, rate: number | false) => {
			const a = await tenant(emu, clientId);
			const wps = createWpsContacts({
				baseUrl: emu.baseUrl,
				clientId,
				clientSecret: 'secret',
				ratePerSecond: rate,
				retry: { baseDelayMs: 50 },
			});
			const dir = wpsDirectory(wps);
			const s = new MemoryStateStore();
			const preview = await previewSync(applySource, [], a.dir, s, settings());
			const started = Date.now();
			const report = await applyPlan(preview, dir, s, false);
			return {
				ms: Date.now() - started,
				ops: preview.plan.operations.length,
				calls: report.summary.calls,
				failed: report.summary.failed,
				retries: wps.client.stats.retries,
			};
		};
		const free = await measure('bench_apply_free', false);
		await again(() => emu.admin.setRateLimits({ multiplier: MULTIPLIER }));
		const limited = await measure('bench_apply_limited', LIMIT);
		await again(() => emu.admin.setRateLimits('off'));
		const floorMs = Math.max((limited.calls / LIMIT) * 1000, free.ms);
		console.log(
			`apply ${fmt(limited.ops)} operations at ${LIMIT}/s: ${fmt(limited.ms / 1000)} s, ${fmt(limited.calls)} calls, ${limited.retries} retries, ${limited.failed} failed; ` +
				`floor max(${fmt(limited.calls)} / ${LIMIT}/s = ${fmt(limited.calls / LIMIT)} s, service time ${fmt(free.ms / 1000)} s) = ${fmt(floorMs / 1000)} s; ` +
				`ratio ${fmt(limited.ms / floorMs)}x (target <= 1.2x) ${limited.ms / floorMs <= 1.2 ? 'OK' : 'MISSED'}`,
		);
	} finally {
		clearTokenCache();
		await emu.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
