/**
 * Nothing lost at the trigger: a task typed in Feishu whose task-from-bitable run fails before its MySQL row exists
 * (the trigger has already moved past it, as n8n saves a trigger's position before the run) is taken in by the
 * reconciler (task-reconcile.json, "Pending Feishu Tasks" branch) once it has been unchanged for
 * `feishuTakeInAfterMinutes`: task ID written to Feishu, MySQL row, generation. Taken in once, never twice.
 */
import { configure, loadTemplate, runnerFor, type HostedWorkflow } from './templates';
import { APP_TOKEN, bitableTasks, mysqlTasks, pollAndRun, startWorld, type World } from './setup';

const HUMAN = 'ou_feishu_typist_takein';
let world: World;

beforeAll(async () => {
	world = await startWorld(4);
	await world.emu.admin.addUser({ open_id: HUMAN, name: 'Feishu Typist' });
	// activation: the first poll only remembers where the table is
	expect((await pollAndRun(world, world.fromBitable)).items).toEqual([]);
});
afterAll(async () => {
	await world?.close();
});

/** The reconciler with its take-in margin set (the shipped default is 10 minutes). */
function reconciler(marginMinutes: number): HostedWorkflow {
	const bitableUrl = `https://example.feishu.cn/base/${APP_TOKEN}?table=${world.tableId}`;
	const generationWorkflowUrl = String(
		(
			world.reconcile.template.nodes.find((n) => n.name === 'Config')!.parameters.assignments as {
				assignments: { name: string; value: unknown }[];
			}
		).assignments.find((a) => a.name === 'generationWorkflowUrl')!.value,
	);
	const template = configure(loadTemplate('task-reconcile.json'), {
		bitableUrl,
		generationWorkflowUrl,
		maxAttempts: 3,
		feishuTakeInAfterMinutes: marginMinutes,
	});
	return { template, runner: runnerFor(world.nodeTypes, template) };
}
async function reconcileWith(w: HostedWorkflow) {
	const r = await world.host.track(world.host.execute(w, { timestamp: new Date().toISOString() }));
	await world.host.drain();
	return r;
}

describe('a Feishu task whose first run failed before its MySQL row', () => {
	it('is not seen again by the trigger, and is taken in by the reconciler, once', async () => {
		const [recordId] = await world.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: world.tableId,
			records: [
				{ fields: { prompt: 'ok- typed while MySQL was away', status: 'Pending', source: 'feishu' }, asUser: HUMAN },
			],
		});
		// MySQL is away during the run: "Known Task?" fails, no row is written
		await world.db.admin.query('RENAME TABLE gen_tasks TO gen_tasks_away');
		let failed;
		try {
			failed = await pollAndRun(world, world.fromBitable);
		} finally {
			await world.db.admin.query('RENAME TABLE gen_tasks_away TO gen_tasks');
		}
		expect(failed.items.map((i) => i.record_id)).toEqual([recordId]);
		expect(failed.result?.error).toBeDefined();
		expect(await mysqlTasks(world)).toEqual([]);
		// the trigger has moved on: the next poll does not bring it back
		expect((await pollAndRun(world, world.fromBitable)).items).toEqual([]);

		// within the margin the reconciler leaves it to the trigger
		await reconcileWith(reconciler(10));
		expect(await mysqlTasks(world)).toEqual([]);

		await reconcileWith(reconciler(0));
		const rows = await mysqlTasks(world);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			task_id: `feishu-${recordId}`,
			origin: 'feishu',
			feishu_record_id: recordId,
			prompt: 'ok- typed while MySQL was away',
		});
		expect(['Pending', 'Processing', 'Completed']).toContain(rows[0].status);
		const record = (await bitableTasks(world)).find((r) => r.record_id === recordId)!;
		expect(record.plain.taskId).toBe(`feishu-${recordId}`);

		// the next reconcile finds its row and takes nothing in again
		await reconcileWith(reconciler(0));
		expect(await mysqlTasks(world)).toHaveLength(1);
	});
});
