/**
 * What the task templates write into rows Feishu users may edit, through the harness: the prompt,
 * product image, user and source are written into a Bitable row only when a workflow creates it
 * (Record Status "Fields on Create Only"), generation starts from the prompt saved in MySQL, and the
 * reconciler writes a task's own origin back as its source.
 */
import type { IDataObject } from 'n8n-workflow';
import { configure, runnerFor, type HostedWorkflow } from './templates';
import {
	APP_TOKEN,
	bitableTasks,
	BOT_TOKEN,
	INTERNAL_AUTH,
	mysqlTasks,
	pollAndRun,
	reconcileOnce,
	editTaskRow,
	useWorldWithEditor,
	editPromptWhileGenerating,
	submit,
	taskRecord,
	taskRow,
} from './setup';

const HUMAN = 'ou_feishu_editor';
const UNREACHABLE = 'http://127.0.0.1:9/webhook/task-generation';

const world = useWorldWithEditor(4, { open_id: HUMAN, name: 'Feishu Editor' });

const recordOf = (taskId: string) => taskRecord(world, taskId);
const rowOf = (taskId: string) => taskRow(world, taskId);
const editRow = (recordId: string, fields: Record<string, unknown>) => editTaskRow(world, recordId, fields, HUMAN);
const botTexts = async () => (await world.emu.admin.botMessages(BOT_TOKEN)).map((m) => JSON.stringify(m));
const requestsOf = (taskId: string) => world.service.requests.filter((r) => r.taskId === taskId).map((r) => r.prompt);

/** A template whose hand-off to generation cannot get through (the request is "in flight" until the test sends it). */
function withoutHandOff(w: HostedWorkflow): HostedWorkflow {
	return { ...w, runner: runnerFor(world.nodeTypes, configure(w.template, { generationWorkflowUrl: UNREACHABLE })) };
}

/** The hand-off request as intake / task-from-bitable send it to the generation webhook. */
async function handOff(body: IDataObject) {
	const res = await fetch(`${world.host.baseUrl}/webhook/task-generation`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [INTERNAL_AUTH.name]: INTERNAL_AUTH.value },
		body: JSON.stringify(body),
	});
	expect(res.status).toBe(200);
	await world.host.drain();
}

/** A front-end task taken in by intake, left Pending: its hand-off to generation has not arrived yet. */
async function intakeWithoutHandOff(task: IDataObject) {
	const r = await world.host.execute(withoutHandOff(world.intake), { headers: {}, params: {}, query: {}, body: task });
	expect(r.error).toBeUndefined();
	expect((await rowOf(String(task.taskId)))?.status).toBe('Pending');
}

it('a prompt edited in Feishu while the service generates (answering at once) survives the result and ends as a conflict with a bot message', async () => {
	const taskId = 'ok-edit-during-1';
	const edited = 'ok- a blue vase, edited while it was being generated';
	let statusWhileEdited: unknown;
	editPromptWhileGenerating(world, taskId, edited, HUMAN, async (before) => {
		statusWhileEdited = before.plain.status;
	});
	expect(
		(
			await submit(world, {
				taskId,
				userId: 'u-1',
				prompt: 'ok- a vase',
				productImageUrl: 'https://img.example.com/vase.png',
			})
		).status,
	).toBe(202);
	await world.host.drain();

	expect(statusWhileEdited).toBe('Processing');
	// The result landed without writing the prompt back: the edit is still in the row.
	const landed = (await recordOf(taskId))!;
	expect([landed.plain.status, landed.plain.prompt, (landed.plain.resultImages as unknown[]).length]).toEqual([
		'Completed',
		edited,
		2,
	]);
	expect(requestsOf(taskId)).toEqual(['ok- a vase']);

	const run = await pollAndRun(world, world.promptEdits);
	expect(run.result?.error).toBeUndefined();
	expect(run.result!.json('Conflict')).toEqual([
		expect.objectContaining({ taskId, status: 'Completed', editedPrompt: edited }),
	]);
	const flagged = (await recordOf(taskId))!;
	expect({
		syncState: flagged.plain.syncState,
		editedPrompt: flagged.plain.editedPrompt,
		prompt: flagged.plain.prompt,
		status: flagged.plain.status,
	}).toEqual({
		syncState: 'conflict',
		editedPrompt: edited,
		prompt: 'ok- a vase', // what the images were made from
		status: 'Completed',
	});
	expect(
		(await botTexts()).filter((t) => t.includes('Prompt conflict') && t.includes(taskId) && t.includes(edited)),
	).toHaveLength(1);
	expect((await rowOf(taskId))!.prompt).toBe('ok- a vase');
});

it('a Pending prompt edit saved while the hand-off is in flight is the prompt generated, and is not written over in Feishu', async () => {
	const taskId = 'ok-handoff-1';
	const task = {
		taskId,
		userId: 'u-2',
		prompt: 'ok- a chair',
		productImageUrl: 'https://img.example.com/chair.png',
		callbackUrl: '',
	};
	await intakeWithoutHandOff(task);
	const record = (await recordOf(taskId))!;
	const edited = 'ok- a chair, oak, edited while Pending';
	await editRow(record.record_id, { prompt: edited });
	const saved = await pollAndRun(world, world.promptEdits);
	expect(saved.result!.json('Saved Before Generation')).toHaveLength(1);
	expect((await rowOf(taskId))!.prompt).toBe(edited);

	// The hand-off intake sent earlier arrives now, still carrying the old prompt.
	await handOff({ ...task, feishuRecordId: record.record_id });
	expect(requestsOf(taskId)).toEqual([edited]);
	const row = (await rowOf(taskId))!;
	const done = (await recordOf(taskId))!;
	expect([row.status, row.prompt, done.plain.status, done.plain.prompt, done.plain.syncState ?? null]).toEqual([
		'Completed',
		edited,
		'Completed',
		edited,
		'synced', // the edit was in MySQL before generation: no conflict
	]);
	const after = await pollAndRun(world, world.promptEdits);
	expect(['Apply Edit (MySQL)', 'Conflict'].map((n) => after.result?.json(n) ?? [])).toEqual([[], []]);
	expect((await botTexts()).filter((t) => t.includes(taskId))).toEqual([]);
});

it('the reconciler writes a task Feishu missed with its own origin as source: an existing row keeps its source and prompt, a lost row is re-created with them', async () => {
	const fromBitable = withoutHandOff(world.fromBitable);
	const [kept, lost] = await world.emu.admin.seedRecords({
		appToken: APP_TOKEN,
		tableId: world.tableId,
		records: ['ok- a lamp typed in Feishu', 'ok- a rug typed in Feishu'].map((prompt) => ({
			fields: { prompt, status: 'Pending', source: 'feishu' },
			asUser: HUMAN,
		})),
	});
	const taken = await pollAndRun(world, world.fromBitable, fromBitable);
	expect(taken.result?.error).toBeUndefined();
	const front = 'ok-frontend-origin-1';
	await intakeWithoutHandOff({ taskId: front, userId: 'u-3', prompt: 'ok- a mug', productImageUrl: '' });
	const origins = new Map((await mysqlTasks(world)).map((r) => [r.task_id, r.origin]));
	expect([origins.get(`feishu-${kept}`), origins.get(`feishu-${lost}`), origins.get(front)]).toEqual([
		'feishu',
		'feishu',
		'frontend',
	]);

	// Feishu fails while the three are generated: MySQL has the results, Bitable does not.
	await world.emu.admin.setFaultPlan({
		seed: 9,
		rate: 1,
		kinds: ['5xx'],
		endpoints: [
			'bitable.records.search',
			'bitable.records.create',
			'bitable.records.update',
			'bitable.records.batch_get',
		],
	});
	for (const [taskId, prompt] of [
		[`feishu-${kept}`, 'ok- a lamp typed in Feishu'],
		[`feishu-${lost}`, 'ok- a rug typed in Feishu'],
		[front, 'ok- a mug'],
	]) {
		await handOff({ taskId, prompt, productImageUrl: '', feishuRecordId: '', callbackUrl: '' });
	}
	await world.emu.admin.clearFaultPlan();
	world.clock.offset += 120_000; // past the breaker's cooldown, on the transport's clock
	const dirty = (await mysqlTasks(world)).filter((r) => Number(r.feishu_dirty) === 1).map((r) => [r.task_id, r.status]);
	expect(dirty.sort()).toEqual(
		[
			[`feishu-${kept}`, 'Completed'],
			[`feishu-${lost}`, 'Completed'],
			[front, 'Completed'],
		].sort(),
	);

	// Someone deletes one typed row meanwhile; the front-end task's row is still Pending in Bitable.
	await world.emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId: world.tableId, recordIds: [lost] });
	const r = await reconcileOnce(world);
	expect(r.error).toBeUndefined();

	const rows = new Map((await mysqlTasks(world)).map((row) => [row.task_id, row]));
	const records = await bitableTasks(world);
	const shown = (taskId: string) => {
		const rec = records.find((x) => x.plain.taskId === taskId);
		return {
			status: rec?.plain.status,
			source: rec?.plain.source,
			prompt: rec?.plain.prompt,
			dirty: Number(rows.get(taskId)!.feishu_dirty),
			recordId: rows.get(taskId)!.feishu_record_id === rec?.record_id,
		};
	};
	expect(shown(`feishu-${kept}`)).toEqual({
		status: 'Completed',
		source: 'feishu',
		prompt: 'ok- a lamp typed in Feishu',
		dirty: 0,
		recordId: true,
	});
	expect(shown(`feishu-${lost}`)).toEqual({
		status: 'Completed',
		source: 'feishu',
		prompt: 'ok- a rug typed in Feishu',
		dirty: 0,
		recordId: true,
	});
	expect(shown(front)).toEqual({
		status: 'Completed',
		source: 'frontend',
		prompt: 'ok- a mug',
		dirty: 0,
		recordId: true,
	});
	expect(
		records.filter((x) => [`feishu-${kept}`, `feishu-${lost}`, front].includes(x.plain.taskId as string)),
	).toHaveLength(3);
});
