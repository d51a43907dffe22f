import type { IDataObject } from 'n8n-workflow';
import { startChild, waitFor } from './wpsContacts/child';
import { rows, useNodeKit } from './wpsContacts/setup';
import { targetKeyOf } from '../../nodes/WpsContacts/helpers/context';

/**
 * Crash and concurrency with real processes: the apply runs in a child process that is SIGKILLed
 * after operation k (or while a write is in flight), and a new process finishes the job.
 */
describe('WPS Contacts: killed runs resume, concurrent runs take turns', () => {
	const kit = useNodeKit('wpscrash');

	const before = rows(
		[
			['10', '0', 'Sales'],
			['11', '10', 'North'],
			['20', '0', 'R&D'],
		],
		[
			['e1', 'Ann', '11'],
			['e2', 'Bob', '20'],
			['e3', 'Cem', '20'],
		],
	);
	/** About 30 operations: new branches with members, a move, a rename, a leaver. */
	const after = rows(
		[
			['10', '0', 'Sales'],
			['11', '20', 'Nord'],
			['20', '0', 'R&D'],
			...Array.from({ length: 6 }, (_, i) => [`3${i}`, '20', `Team ${i}`] as [string, string, string]),
			...Array.from({ length: 6 }, (_, i) => [`4${i}`, `3${i}`, `Squad ${i}`] as [string, string, string]),
		],
		[
			['e1', 'Ann', '11'],
			['e2', 'Bob', '30'],
			...Array.from({ length: 12 }, (_, i) => [`n${i}`, `New ${i}`, `4${i % 6}`] as [string, string, string]),
		],
	);

	/** The `before` org synced, and the plan from there to `after`. */
	async function prepare(): Promise<{ ops: IDataObject[]; targetKey: string }> {
		await kit.sync(before);
		const preview = await kit.run({ operation: 'preview' }, after);
		const ops = preview.json('WPS', 1);
		expect(ops.length).toBeGreaterThan(25);
		return { ops, targetKey: targetKeyOf(kit.emu.baseUrl, kit.env.clientId, '') };
	}

	/** Apply Plan of `ops`, or a Sync to `after`, in a process of its own. */
	const applyChild = (ops: IDataObject[], options: IDataObject, opts?: { ready: boolean }) =>
		startChild({ operation: 'applyPlan', credentials: kit.env.credentials, pinData: { Plan: ops }, options }, opts);
	const syncChild = (options: IDataObject, opts?: { ready: boolean }) =>
		startChild({ operation: 'sync', credentials: kit.env.credentials, pinData: after, options }, opts);

	async function doneCount(targetKey: string): Promise<number> {
		// operations of the run in progress (the setup sync left finished rows of its own)
		const [rowsFound] = await kit.db.admin.query(
			`SELECT COUNT(*) AS n FROM wps_sync_progress p JOIN wps_sync_run r ON r.target_key = p.target_key AND r.run_id = p.run_id WHERE p.target_key = ? AND p.status = 'done' AND r.status = 'running'`,
			[targetKey],
		);
		return Number((rowsFound as { n: number }[])[0]?.n ?? 0);
	}

	async function expectConverged(): Promise<void> {
		const dump = await kit.dump();
		const exIds = dump.users.map((u) => u.ex_user_id);
		expect(new Set(exIds).size).toBe(exIds.length);
		expect(dump.depts.filter((d) => d.name.includes('~sync'))).toEqual([]);
		const replan = await kit.run({ operation: 'preview', mode: 'full' }, after);
		expect(replan.json('WPS', 0)[0].totalOperations).toBe(0);
		const byEx = new Map(dump.depts.map((d) => [d.dept_id, d.ex_dept_id]));
		expect(byEx.get(dump.depts.find((d) => d.ex_dept_id === '11')!.parent_id)).toBe('20');
		expect(dump.users.filter((u) => u.ex_user_id.startsWith('n') && u.status === 'active')).toHaveLength(12);
		expect(dump.users.find((u) => u.ex_user_id === 'e3')?.status).toBe('disabled');
	}

	test.each([2, 9, 20])('SIGKILLed after operation %i, a new process resumes the plan and converges', async (k) => {
		const { ops, targetKey } = await prepare();
		// slowed down so the kill lands right after operation k
		const victim = applyChild(ops, { ratePerSecond: 15, concurrency: 2 });
		await waitFor(async () => (await doneCount(targetKey)) >= k, 60_000, `operation ${k}`);
		victim.kill();
		expect(await victim.done).toBeUndefined();
		const doneBefore = await doneCount(targetKey);
		expect(doneBefore).toBeLessThan(ops.length);
		const heir = applyChild(ops, { ratePerSecond: 0 });
		const result = await heir.done;
		expect(result?.error).toBeNull();
		expect(result?.summary).toMatchObject({ status: 'done', resumed: true });
		// the operations finished before the kill were not sent again
		expect((result?.summary as IDataObject).calls).toBeLessThan(ops.length * 2);
		await expectConverged();
	});

	test('SIGKILLed while a create is in flight (applied, answer not yet back), a Sync in a new process completes it without a duplicate', async () => {
		const { ops } = await prepare();
		try {
			await kit.emu.admin.resetCounters();
			await kit.emu.admin.setFaultPlan({
				seed: 1,
				kinds: ['applied_then_timeout'],
				endpoints: ['POST /v7/users/create'],
				onCalls: [3],
				slowMs: 60_000,
			});
			const victim = applyChild(ops, { ratePerSecond: 0, concurrency: 1 });
			const created = async () => (await kit.dump()).users.filter((u) => u.ex_user_id.startsWith('n')).length;
			await waitFor(
				async () =>
					((await kit.emu.admin.counters()).calls['POST /v7/users/create'] ?? 0) >= 3 && (await created()) >= 3,
				60_000,
				'the held create',
			);
			await new Promise((r) => setTimeout(r, 100));
			expect(await created()).toBe(3); // the third create was applied, its answer is held: nothing after it was sent
			victim.kill();
			expect(await victim.done).toBeUndefined();
			await kit.emu.admin.clearFaultPlan();
			const heir = syncChild({ ratePerSecond: 0, maxDeletionPercent: 0 });
			const result = await heir.done;
			expect(result?.error).toBeNull();
			expect(result?.summary?.completedEarlierRun).toBeTruthy();
			await expectConverged();
		} finally {
			await kit.emu.admin.clearFaultPlan();
		}
	});

	test('two processes contend for the lock: one is refused while the other runs, a waiting one goes after it', async () => {
		const { ops, targetKey } = await prepare();
		// all three processes load first; then the first starts, and the other two once it holds the lock
		const first = applyChild(ops, { ratePerSecond: 10, concurrency: 2 }, { ready: true });
		const refused = syncChild({ ratePerSecond: 0, lockWaitSec: 0, maxDeletionPercent: 0 }, { ready: true });
		const waiting = syncChild({ ratePerSecond: 0, lockWaitSec: 60, maxDeletionPercent: 0 }, { ready: true });
		await Promise.all([first.ready, refused.ready, waiting.ready]);
		first.go();
		await waitFor(async () => (await doneCount(targetKey)) >= 1, 60_000, 'the first run to start');
		refused.go();
		waiting.go();
		const refusedResult = await refused.done;
		expect(refusedResult?.error).toMatch(/holds the lock/);
		const firstResult = await first.done;
		expect(firstResult?.summary).toMatchObject({ status: 'done' });
		const waitingResult = await waiting.done;
		expect(waitingResult?.error).toBeNull();
		expect(waitingResult?.summary?.planned).toEqual({});
		await expectConverged();
	});
});
