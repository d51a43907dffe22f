/**
 * What a Feishu user sees in the task table's `syncState` and `source` columns, through the harness:
 * `syncing` while a generation runs, `synced` once MySQL and the row agree, `failed` when writing the row
 * failed (until the reconciler writes it), `conflict` from a prompt edit that no later write replaces
 * until a person clears it; `source` frontend / api (intake's `source` field) / feishu (typed in the table).
 */
import { pollOnce } from '../harness';
import { triggerOf } from './templates';
import {
	APP_TOKEN,
	editTaskRow,
	mysqlTasks,
	pollAndRun,
	reconcileOnce,
	useWorldWithEditor,
	editPromptWhileGenerating,
	submit,
	taskRecord,
	taskRow,
	type PolledWorkflow,
} from './setup';

const HUMAN = 'ou_sync_state_editor';

const world = useWorldWithEditor(4, { open_id: HUMAN, name: 'Sync State Editor' });

const recordOf = (taskId: string) => taskRecord(world, taskId);
const rowOf = (taskId: string) => taskRow(world, taskId);
/** What the user sees of a task: its row's status, sync state and source. */
const seen = async (taskId: string) => {
	const r = await recordOf(taskId);
	return r && { status: r.plain.status, syncState: r.plain.syncState ?? null, source: r.plain.source ?? null };
};
const editRow = (recordId: string, fields: Record<string, unknown>) => editTaskRow(world, recordId, fields, HUMAN);
const task = (taskId: string, extra: Record<string, unknown> = {}) => ({
	taskId,
	userId: 'u-sync',
	prompt: `ok- a product photo for ${taskId}`,
	...extra,
});

/**
 * One poll and run of a Feishu-side workflow from inside a running execution (pollAndRun would wait for
 * every execution to end, the one calling it included).
 */
async function pollAndRunNow(w: PolledWorkflow) {
	const items = await pollOnce(w.poller, triggerOf(w.template).name, { credentials: world.credentials });
	if (!items?.length) return undefined;
	return world.host.execute(
		w,
		items.map((i) => i.json),
	);
}

describe('source', () => {
	it('is frontend by default, api when the caller says so, and anything else is refused before a write', async () => {
		expect((await submit(world, task('ok-src-front'))).status).toBe(202);
		expect((await submit(world, task('ok-src-api', { source: 'api' }))).status).toBe(202);
		const refused = await Promise.all(
			['feishu', 'robot', 7].map((source) => submit(world, task(`ok-src-bad-${source}`, { source }))),
		);
		await world.host.drain();
		expect(refused.map((r) => [r.status, r.json.error])).toEqual([
			[400, 'source must be "frontend" or "api"'],
			[400, 'source must be "frontend" or "api"'],
			[400, 'source must be "frontend" or "api"'],
		]);
		expect(await seen('ok-src-front')).toEqual({ status: 'Completed', syncState: 'synced', source: 'frontend' });
		expect(await seen('ok-src-api')).toEqual({ status: 'Completed', syncState: 'synced', source: 'api' });
		const origins = (await mysqlTasks(world)).filter((r) => r.task_id.startsWith('ok-src-'));
		expect(origins.map((r) => [r.task_id, r.origin])).toEqual([
			['ok-src-front', 'frontend'],
			['ok-src-api', 'api'],
		]);
	});

	it('is feishu for a task typed in the table, which shows syncing while generated and synced after', async () => {
		const prompt = 'ok- a kettle typed in Feishu';
		let whileGenerating: unknown;
		world.service.whileGenerating = async (request) => {
			if (request.prompt === prompt) whileGenerating = await seen(request.taskId);
		};
		const [recordId] = await world.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: world.tableId,
			records: [{ fields: { prompt, status: 'Pending', source: 'feishu' }, asUser: HUMAN }],
		});
		const run = await pollAndRun(world, world.fromBitable);
		expect(run.result?.error).toBeUndefined();
		const taskId = `feishu-${recordId}`;
		expect(whileGenerating).toEqual({ status: 'Processing', syncState: 'syncing', source: 'feishu' });
		expect(await seen(taskId)).toEqual({ status: 'Completed', syncState: 'synced', source: 'feishu' });
		expect((await rowOf(taskId))?.origin).toBe('feishu');
	});
});

describe('sync state', () => {
	it('is syncing while a front-end task is generated, then synced', async () => {
		const taskId = 'ok-sync-1';
		let whileGenerating: unknown;
		world.service.whileGenerating = async (request) => {
			if (request.taskId === taskId) whileGenerating = await seen(taskId);
		};
		expect((await submit(world, task(taskId))).status).toBe(202);
		await world.host.drain();
		expect(whileGenerating).toEqual({ status: 'Processing', syncState: 'syncing', source: 'frontend' });
		expect(await seen(taskId)).toEqual({ status: 'Completed', syncState: 'synced', source: 'frontend' });
	});

	it('is failed when writing the result into the row failed, and synced once the reconciler writes it', async () => {
		const taskId = 'ok-sync-noimage';
		world.service.missingImages.add(taskId); // the row's attachment cannot be fetched: the write fails
		expect((await submit(world, task(taskId))).status).toBe(202);
		await world.host.drain();
		expect(await seen(taskId)).toEqual({ status: 'Processing', syncState: 'failed', source: 'frontend' });
		expect(await rowOf(taskId)).toMatchObject({ status: 'Completed', feishu_dirty: 1 });

		world.service.missingImages.delete(taskId);
		expect((await reconcileOnce(world)).error).toBeUndefined();
		expect(await seen(taskId)).toEqual({ status: 'Completed', syncState: 'synced', source: 'frontend' });
		expect(await rowOf(taskId)).toMatchObject({ status: 'Completed', feishu_dirty: 0 });
	});

	it('stays conflict when a prompt edited during generation meets the result and later writes, until a person clears it', async () => {
		const taskId = 'ok-sync-conflict';
		const edited = 'ok- bluer, edited while it was being generated';
		let flagged: unknown;
		// Task prompt edits sees the edit before the result lands.
		editPromptWhileGenerating(world, taskId, edited, HUMAN, async () => {
			const run = await pollAndRunNow(world.promptEdits);
			expect(run?.error).toBeUndefined();
			flagged = await seen(taskId);
		});
		expect((await submit(world, task(taskId))).status).toBe(202);
		await world.host.drain();
		expect(flagged).toEqual({ status: 'Processing', syncState: 'conflict', source: 'frontend' });
		// The result landed (Completed, images attached) and its "synced" did not replace the conflict.
		const landed = (await recordOf(taskId))!;
		expect([landed.plain.status, landed.plain.syncState, (landed.plain.resultImages as unknown[]).length]).toEqual([
			'Completed',
			'conflict',
			2,
		]);

		// A later write of the same task (the reconciler re-sending it) keeps it too.
		await world.db.admin.query('UPDATE gen_tasks SET feishu_dirty = 1 WHERE task_id = ?', [taskId]);
		const resent = await reconcileOnce(world);
		expect(resent.json('Write to Feishu')).toEqual([expect.objectContaining({ key: taskId })]);
		expect(resent.json('Mark Sync State (Feishu)')).toEqual([
			expect.objectContaining({ applied: false, reason: 'illegal_transition', status: 'conflict' }),
		]);
		expect(await seen(taskId)).toEqual({ status: 'Completed', syncState: 'conflict', source: 'frontend' });

		// A person resolves it (clears the state): the next write says synced again.
		await editRow(landed.record_id, { syncState: null, editedPrompt: null });
		await world.db.admin.query('UPDATE gen_tasks SET feishu_dirty = 1 WHERE task_id = ?', [taskId]);
		await reconcileOnce(world);
		expect(await seen(taskId)).toEqual({ status: 'Completed', syncState: 'synced', source: 'frontend' });
	});
});
