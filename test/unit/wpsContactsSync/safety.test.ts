import { MemoryStateStore } from '../../../lib/wpsContactsSync/state/memoryStateStore';
import { LockBusyError, LockLostError } from '../../../lib/wpsContactsSync/state/stateStore';
import { type ApplySettings, PlanRefusedError, applyWithState } from '../../../lib/wpsContactsSync/applyPlan';
import { type SyncSettings, previewSync, previewWithLock } from '../../../lib/wpsContactsSync/preview';
import { desiredFromSource } from '../../../lib/wpsContactsSync/syncRules';
import type { Operation, Source } from '../../../lib/wpsContactsSync/types';
import { DAY, NOW, ruleSettings, settings, sourceOf, world } from './fixtures';
import { FakeDirectory } from './fakeDirectory';

function applySettings(
	plan: { rootId: string; fingerprint: string; mode: 'full' | 'incremental' },
	over: Partial<ApplySettings> = {},
): ApplySettings {
	return {
		targetKey: 'test-target',
		rootId: plan.rootId,
		planId: plan.fingerprint,
		planMode: plan.mode,
		concurrency: 1,
		lockWaitSec: 0,
		verifyTarget: true,
		now: () => NOW,
		...over,
	};
}

async function syncFake(dir: FakeDirectory, store: MemoryStateStore, source: Source, over: Partial<SyncSettings> = {}) {
	const preview = await previewSync(source, [], dir, store, settings({ now: () => NOW, ...over }));
	if (preview.sourceErrors.length) throw new Error(preview.sourceErrors.map((e) => e.message).join('; '));
	const report = await applyWithState(preview.plan.operations, dir, store, applySettings(preview.plan));
	return { preview, report };
}

/** 2 departments, `n` users with email and title. */
function org(
	n: number,
	user: (i: number) => { email?: string; title?: string } = (i) => ({ email: `u${i}@example.com`, title: 'Staff' }),
): Source {
	return sourceOf(
		[
			['d1', '', 'Sales'],
			['d2', 'd1', 'North'],
		],
		Array.from(
			{ length: n },
			(_, i) =>
				[`e${i}`, `User ${i}`, [i % 2 ? 'd1' : 'd2'], user(i)] as [string, string, string[], Record<string, string>],
		),
	);
}

describe('safety on real data', () => {
	test('a blank source value never clears a WPS value, unless that field is allowed to clear', async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		await syncFake(dir, store, org(50));
		// the HR query's email column comes back NULL (a failed join): every email would be wiped
		const blanks = org(50, () => ({ email: '', title: 'Staff' }));
		const { preview } = await syncFake(dir, store, blanks);
		expect(preview.plan.operations).toEqual([]);
		expect([...dir.users.values()].filter((u) => u.fields.email)).toHaveLength(50);
		// a real change next to a blank still goes through; the blank field stays
		const promoted = org(50, (i) => ({ email: '', title: i === 3 ? 'Lead' : 'Staff' }));
		const second = await syncFake(dir, store, promoted);
		expect(second.preview.plan.operations.map((op) => [op.id, op.after])).toEqual([
			['user.update:e3', { fields: { title: 'Lead' } }],
		]);
		expect(dir.userByEx('e3')!.fields).toMatchObject({ email: 'u3@example.com', title: 'Lead' });
		// turned on for email: the blank clears it
		const cleared = await syncFake(dir, store, promoted, { clearBlank: ['email'] });
		expect(cleared.preview.plan.operations).toHaveLength(50);
		expect([...dir.users.values()].filter((u) => u.fields.email)).toHaveLength(0);
	});

	test('updates count toward the limits: a mass change is outside the limits before any write', async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		await syncFake(dir, store, org(100));
		// the title column now points at another column: every user changes
		const renamed = org(100, (i) => ({ email: `u${i}@example.com`, title: `Cost centre ${i}` }));
		const limits = { maxDeletions: 500, maxDeletionPercent: 10, maxChanges: 1000, maxChangePercent: 20 };
		const mass = await previewSync(renamed, [], dir, store, settings({ now: () => NOW, thresholds: limits }));
		expect(mass.plan.verdict).toMatchObject({
			withinLimits: false,
			changes: 100,
			reason: expect.stringMatching(/100 objects changed are 98(\.\d)?% .*limit 20%/),
		});
		const counted = await previewSync(
			renamed,
			[],
			dir,
			store,
			settings({ now: () => NOW, thresholds: { ...limits, maxChanges: 50, maxChangePercent: 0 } }),
		);
		expect(counted.plan.verdict).toMatchObject({
			withinLimits: false,
			reason: '100 objects changed exceed the limit of 50',
		});
		// a few ordinary edits stay within the limits; a department rename counts as a change too
		const few = org(100, (i) => ({ email: `u${i}@example.com`, title: i < 5 ? 'Lead' : 'Staff' }));
		few.depts[1].name = 'North-East';
		const ok = await previewSync(few, [], dir, store, settings({ now: () => NOW, thresholds: limits }));
		expect(ok.plan.verdict).toMatchObject({ withinLimits: true, changes: 6 });
		expect(dir.writes.filter((w) => w.startsWith('update'))).toEqual([]);
	});

	test('Apply Plan re-checks ownership and scope against the stored state: an edited item naming a hand-made object is refused', async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		await syncFake(dir, store, org(4));
		const hand = dir.handUser('H1', 'Hana', ['R'], { title: 'Founder' });
		const handDept = dir.handDept('HD', 'Hand made');
		const changed = org(4, (i) => ({ email: `u${i}@example.com`, title: i === 1 ? 'Lead' : 'Staff' }));
		changed.depts.push({ id: 'd3', parentId: 'd1', name: 'South' });
		const { plan } = await previewSync(changed, [], dir, store, settings({ now: () => NOW }));
		const update = plan.operations.find((op) => op.kind === 'user.update')!;
		const create = plan.operations.find((op) => op.kind === 'dept.create')!;
		const writesBefore = dir.writes.length;
		const edits: [string, Operation[], RegExp][] = [
			[
				'a hand-made user',
				plan.operations.map((op) => (op === update ? { ...op, wpsId: hand.id } : op)),
				/user H1 is not one this sync created or adopted/,
			],
			[
				'a hand-made user under its own id as external id',
				plan.operations.map((op) => (op === update ? { ...op, id: 'user.update:H1', exId: 'H1', wpsId: hand.id } : op)),
				/user H1 is not one this sync created or adopted/,
			],
			[
				'a hand-made parent',
				plan.operations.map((op) =>
					op === create ? { ...op, after: { ...(op.after as object), parent: { ex: 'HD', id: handDept.id } } } : op,
				),
				/parent department HD is not managed/,
			],
			[
				'a department outside the scope for a member',
				plan.operations.map((op) =>
					op === update ? { ...op, after: { ...(op.after as object), depts: [{ ex: 'x', id: 'OUT' }] } } : op,
				),
				/department OUT is not managed/,
			],
		];
		for (const [name, ops, message] of edits) {
			const error = await applyWithState(ops, dir, store, applySettings(plan)).catch((e: unknown) => e);
			expect({ name, refused: error instanceof PlanRefusedError, message: String((error as Error).message) }).toEqual({
				name,
				refused: true,
				message: expect.stringMatching(message),
			});
		}
		const otherRoot = await applyWithState(plan.operations, dir, store, {
			...applySettings(plan),
			rootId: handDept.id,
		}).catch((e: unknown) => e);
		expect(String(otherRoot)).toMatch(/scope department HD is not the one this target syncs/);
		expect(dir.writes.length).toBe(writesBefore);
		expect(dir.users.get('H1')!.fields.title).toBe('Founder');
		// the plan as previewed is applied
		const report = await applyWithState(plan.operations, dir, store, applySettings(plan));
		expect(report.summary).toMatchObject({ status: 'done', failed: 0 });
	});

	test("with an empty External ID Prefix, a source id equal to a hand-made object's own WPS id is refused", async () => {
		const dir = new FakeDirectory();
		dir.handDept('7', 'Hand made dept');
		dir.handUser('42', 'Hana');
		const store = new MemoryStateStore();
		const source = sourceOf(
			[['7', '', 'Sales']],
			[
				['42', 'Ann', ['7']],
				['43', 'Bob', ['7']],
			],
		);
		const preview = await previewSync(source, [], dir, store, settings({ now: () => NOW }));
		expect(preview.sourceErrors.map((e) => [e.kind, e.ids])).toEqual([['idCollision', ['7', '42']]]);
		expect(preview.sourceErrors[0].message).toMatch(
			/department id\(s\) 7 and user id\(s\) 42 .*set an External ID Prefix/,
		);
		expect(preview.plan.operations).toEqual([]);
		expect(store.stages.size + store.records.depts.size + store.records.users.size).toBe(0);
		// with a prefix the same rows are new objects
		const prefixed = sourceOf(
			[['hr-7', '', 'Sales']],
			[
				['hr-42', 'Ann', ['hr-7']],
				['hr-43', 'Bob', ['hr-7']],
			],
		);
		await syncFake(dir, store, prefixed);
		expect(dir.depts.get('7')!.name).toBe('Hand made dept');
		expect(dir.users.get('42')!.fields.user_name).toBe('Hana');
		expect(dir.userByEx('hr-42')!.fields.user_name).toBe('Ann');
	});

	test("Newer Wins compares the source time with the WPS object's own modification time where a read reports one", () => {
		const { current, records } = world('Edited in WPS');
		const source = sourceOf([['d1', '', 'Sales']], [['e1', 'Ann', ['d1'], { title: 'Senior Rep' }]], {
			fields: ['user_name', 'title'],
		});
		source.users[0].updatedAt = NOW - 2 * DAY; // HR changed after the sync last wrote, but before the WPS edit
		const rules = ruleSettings({ conflictStrategy: 'newerWins' });
		const withMtime = { ...current, users: [{ ...current.users[0], mtime: NOW - DAY }] };
		expect(desiredFromSource(source, withMtime, records, rules).conflicts.map((c) => c.resolution)).toEqual([
			'targetWins',
		]);
		// without a modification time from WPS: against the time the sync last wrote (the option's description says so)
		expect(desiredFromSource(source, current, records, rules).conflicts.map((c) => c.resolution)).toEqual([
			'sourceWins',
		]);
		// a source change after the WPS edit wins
		source.users[0].updatedAt = NOW - DAY / 2;
		expect(desiredFromSource(source, withMtime, records, rules).conflicts.map((c) => c.resolution)).toEqual([
			'sourceWins',
		]);
	});

	test('a lost lock stops the run before its next write; the run stays resumable and the next one completes it', async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		const source = org(10);
		const { plan } = await previewWithLock(source, [], dir, store, settings({ now: () => NOW }), 0);
		expect(plan.operations).toHaveLength(12);
		dir.onWrite = (n) => {
			if (n === 3) store.loseLock(); // e.g. the MySQL connection holding the lock dropped
		};
		const error = await applyWithState(plan.operations, dir, store, applySettings(plan)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(LockLostError);
		expect(dir.writes).toHaveLength(3);
		expect([...store.runs.values()].map((r) => r.status)).toEqual(['running']);
		dir.onWrite = undefined;
		// the next run (here: the same plan again) completes the unfinished one without repeating its writes
		const report = await applyWithState(plan.operations, dir, store, applySettings(plan));
		expect(report.summary).toMatchObject({ status: 'done', failed: 0, resumed: true });
		expect(dir.writes).toHaveLength(12);
		expect(dir.users.size).toBe(10);
		expect(store.records.users.size).toBe(10);
	});

	test("a lock lost after the last write leaves the records and the run's end to the next run", async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		const { plan } = await previewWithLock(org(4), [], dir, store, settings({ now: () => NOW }), 0);
		dir.onWrite = (n) => {
			if (n === plan.operations.length) store.loseLock();
		};
		await expect(applyWithState(plan.operations, dir, store, applySettings(plan))).rejects.toBeInstanceOf(
			LockLostError,
		);
		expect(store.records.users.size).toBe(0);
		expect([...store.runs.values()].map((r) => r.status)).toEqual(['running']);
		dir.onWrite = undefined;
		const report = await applyWithState(plan.operations, dir, store, applySettings(plan));
		expect(report.summary).toMatchObject({ status: 'done', resumed: true });
		expect(dir.writes).toHaveLength(plan.operations.length);
		expect(store.records.users.size).toBe(4);
	});

	test('Preview takes the lock when it writes state; without a state store it needs none', async () => {
		const dir = new FakeDirectory();
		const store = new MemoryStateStore();
		let release!: () => void;
		const held = store.withLock(0, () => new Promise<void>((resolve) => (release = resolve)));
		while (!store.isLocked) await new Promise((resolve) => setImmediate(resolve));
		const refused = await previewWithLock(org(3), [], dir, store, settings({ now: () => NOW }), 0).catch(
			(e: unknown) => e,
		);
		expect(refused).toBeInstanceOf(LockBusyError);
		expect(store.stages.size).toBe(0);
		const stateless = await previewWithLock(org(3), [], dir, undefined, settings({ now: () => NOW }), 0);
		expect(stateless.plan.operations).toHaveLength(5);
		release();
		await held;
		const after = await previewWithLock(org(3), [], dir, store, settings({ now: () => NOW }), 0);
		expect(store.stages.has(after.plan.fingerprint)).toBe(true);
	});
});
