/**
 * The Feishu-side templates end to end, through the harness: tasks that "Feishu users" type into the
 * Bitable table (the emulator's admin API, as a human user) are found by task-from-bitable's trigger
 * (pollOnce, static data round-tripped as JSON) and go through the same generation chain as front-end
 * tasks; prompt edits (task-prompt-edits) are saved before generation, re-queue a failed task, or
 * flag a conflict with a bot message when the task is already being generated or done.
 */
import { configure, runnerFor } from './templates';
import { feishuSession } from '../../lib/feishu/session';
import {
	APP,
	APP_TOKEN,
	bitableTasks,
	BOT_TOKEN,
	mysqlTasks,
	pollAndRun,
	reconcileOnce,
	startWorld,
	submit,
	type World,
} from './setup';

const TOTAL = Number(process.env.FEISHU_TASKS ?? 50);
const HUMAN = 'ou_feishu_typist';
const KINDS = ['ok', 'fail', 'async', 'ok', 'fail'] as const;

let world: World;

const typeIn = (records: Array<{ fields: Record<string, unknown>; at?: number }>) =>
	world.emu.admin.seedRecords({
		appToken: APP_TOKEN,
		tableId: world.tableId,
		records: records.map(({ fields, at }) => ({ fields, asUser: HUMAN, createdTime: at, modifiedTime: at })),
	});
const edit = (recordId: string, fields: Record<string, unknown>) =>
	world.emu.admin.editRecord({ appToken: APP_TOKEN, tableId: world.tableId, recordId, fields, asUser: HUMAN });
const recordById = async () => new Map((await bitableTasks(world)).map((r) => [r.record_id, r]));
const rowByTask = async () => new Map((await mysqlTasks(world)).map((r) => [r.task_id as string, r]));
const botTexts = async () => (await world.emu.admin.botMessages(BOT_TOKEN)).map((m) => JSON.stringify(m));
/** Delivers every callback the stand-in service holds (services that answer later). */
async function deliverHeldCallbacks() {
	for (const cb of world.service.prompt.splice(0)) expect((await world.service.deliver(cb)).status).toBe(200);
	await world.host.drain();
}

beforeAll(async () => {
	world = await startWorld(6);
	await world.emu.admin.addUser({ open_id: HUMAN, name: 'Feishu Typist' });
	// Activation: the first poll of each trigger only remembers where the table is.
	expect((await pollAndRun(world, world.fromBitable)).items).toEqual([]);
	expect((await pollAndRun(world, world.promptEdits)).items).toEqual([]);
});
afterAll(async () => {
	await world?.close();
});

describe(`tasks typed in Feishu (${TOTAL}) and prompt edits`, () => {
	const taskRecords = new Map<string, string>(); // record_id -> kind
	let noise: string[] = [];

	it('every task typed by a Feishu user is taken in once and ends Completed or Failed in MySQL and Bitable', async () => {
		// Half type their own taskId (its prefix tells the stand-in service what to do); the others leave
		// it empty, so the workflow names the task feishu-<record id> (and the prompt's prefix decides).
		const typed = Array.from({ length: TOTAL }, (_, i) => {
			const kind = KINDS[i % KINDS.length];
			const ownId = i % 2 === 0;
			return {
				kind,
				fields: {
					...(ownId ? { taskId: `${kind}-fs${i}` } : {}),
					prompt: `${kind}-${i} a product photo typed in Feishu, number ${i}`,
					status: 'Pending',
					source: 'feishu',
					...(i % 3 === 0 ? { productImageUrl: { link: `https://img.example.com/p/${i}.png`, text: `p${i}` } } : {}),
				},
			};
		});
		const lateStart = typed.length - 2;
		// Two rows were created long ago and are only now filled in; one row has no prompt yet.
		const longAgo = (await world.emu.admin.now()) - 30 * 60_000;
		const [oldA, oldB] = await typeIn(
			typed.slice(lateStart).map((t) => ({ fields: { source: 'feishu', prompt: t.fields.prompt }, at: longAgo })),
		);
		const first = Math.floor(typed.length / 2);
		const ids1 = await typeIn(typed.slice(0, first).map((t) => ({ fields: t.fields })));
		const [noPromptYet, ...ids2] = await typeIn(
			typed
				.slice(first, lateStart)
				.map((t, i) => ({ fields: i === 0 ? { ...t.fields, prompt: undefined } : t.fields })),
		);
		noise = await typeIn([
			{ fields: { prompt: 'ok- typed, but meant for the front end', status: 'Pending', source: 'frontend' } },
			{ fields: { prompt: 'ok- a draft without status', source: 'feishu' } },
			{ fields: { prompt: 'ok- already done by hand', status: 'Completed', source: 'feishu' } },
		]);
		[...ids1, noPromptYet, ...ids2, oldA, oldB].forEach((id, i) => taskRecords.set(id, typed[i].kind));

		const firstPoll = await pollAndRun(world, world.fromBitable);
		expect(firstPoll.result?.error).toBeUndefined();
		expect(firstPoll.items.map((i) => i.record_id).sort()).toEqual([...ids1, noPromptYet, ...ids2].sort());
		expect(firstPoll.result!.json('Waiting for a Prompt').length).toBe(1);
		expect(firstPoll.result!.json('Hand to Generation').length).toBe(ids1.length + ids2.length);

		// The missing prompt arrives; the two old rows get their status now.
		await edit(noPromptYet, { prompt: typed[first].fields.prompt });
		await edit(oldA, { status: 'Pending' });
		await edit(oldB, { status: 'Pending' });
		const secondPoll = await pollAndRun(world, world.fromBitable);
		expect(secondPoll.items.map((i) => i.record_id).sort()).toEqual([noPromptYet, oldA, oldB].sort());
		expect(secondPoll.result!.json('Hand to Generation').length).toBe(3);
		await deliverHeldCallbacks();

		// The workflows' own writes (taskId, Processing, results) start nothing again. The prompt-edit
		// workflow sees every row typed since its last poll, finds each task's prompt equal to MySQL's, and does nothing.
		expect((await pollAndRun(world, world.fromBitable)).items).toEqual([]);
		const editsSeen = await pollAndRun(world, world.promptEdits);
		expect(editsSeen.result?.error).toBeUndefined();
		expect(editsSeen.items.length).toBe(TOTAL + noise.length);
		expect(editsSeen.result!.json('Load Task (MySQL)').length).toBe(TOTAL);
		expect(['Apply Edit (MySQL)', 'Conflict'].map((n) => editsSeen.result!.json(n))).toEqual([[], []]);
		expect((await pollAndRun(world, world.promptEdits)).items).toEqual([]);

		const records = await recordById();
		const rows = await rowByTask();
		expect(records.size).toBe(TOTAL + noise.length); // no record was created twice
		expect(rows.size).toBe(TOTAL);
		const problems: string[] = [];
		for (const [recordId, kind] of taskRecords) {
			const rec = records.get(recordId)!;
			const taskId = rec.plain.taskId as string;
			const row = rows.get(taskId);
			const urls = JSON.parse(row?.result_image_urls || '[]') as string[];
			const got = {
				taskId,
				mysql: row?.status,
				bitable: rec.plain.status,
				recordId: row?.feishu_record_id,
				dirty: Number(row?.feishu_dirty),
				images: ((rec.plain.resultImages as unknown[] | undefined) ?? []).length,
				generations: world.service.attempts.get(taskId),
			};
			const want = kind === 'ok' ? ['Completed'] : kind === 'fail' ? ['Failed'] : ['Completed', 'Failed'];
			const ok =
				/^(ok|fail|async)-fs\d+$|^feishu-rec/.test(taskId) &&
				want.includes(got.mysql) &&
				got.bitable === got.mysql &&
				got.recordId === recordId &&
				got.dirty === 0 &&
				got.images === urls.length &&
				(got.mysql === 'Completed') === (urls.length === 2) &&
				got.generations === 1 &&
				row?.prompt === rec.plain.prompt;
			if (!ok) problems.push(`${recordId} (${kind}): ${JSON.stringify(got)}`);
		}
		expect(problems).toEqual([]);
		for (const id of noise) expect(records.get(id)!.plain.taskId ?? null).toBeNull();
		expect(await botTexts()).toEqual([]); // nothing to report
	});

	it('a prompt edit is saved while Pending, re-queues a Failed task, and is a conflict (bot message) while Processing or Completed', async () => {
		const records = await recordById();
		const rows = await rowByTask();
		const taskOf = (recordId: string) => records.get(recordId)!.plain.taskId as string;
		const done = (status: string) =>
			[...taskRecords.keys()].find((id) => rows.get(taskOf(id))!.status === status && /^feishu-/.test(taskOf(id)))!;
		const completed = done('Completed');
		const failed = done('Failed');

		// Being generated: a task typed in Feishu and a front-end task, both with a service that answers later.
		const [processing] = await typeIn([
			{ fields: { prompt: 'async-2 a teapot on a shelf', status: 'Pending', source: 'feishu' } },
		]);
		await pollAndRun(world, world.fromBitable);
		expect(
			(
				await submit(world, {
					taskId: 'async-fe-1',
					userId: 'u1',
					prompt: 'async-fe a lamp',
					productImageUrl: 'https://img.example.com/lamp.png',
				})
			).status,
		).toBe(202);
		await world.host.drain();
		// Not generated yet: taken in while the generation workflow could not be reached.
		const [pending] = await typeIn([
			{ fields: { prompt: 'fail- a chair (to be fixed)', status: 'Pending', source: 'feishu' } },
		]);
		const unreachable = {
			...world.fromBitable,
			runner: runnerFor(
				world.nodeTypes,
				configure(world.fromBitable.template, { generationWorkflowUrl: 'http://127.0.0.1:9/webhook/task-generation' }),
			),
		};
		await pollAndRun(world, world.fromBitable, unreachable);
		const rec = await recordById();
		const feRecord = [...rec.values()].find((r) => r.plain.taskId === 'async-fe-1')!.record_id;
		let now = await rowByTask();
		const statusOf = (recordId: string) => now.get(rec.get(recordId)!.plain.taskId as string)?.status;
		expect([processing, feRecord, pending].map(statusOf)).toEqual(['Processing', 'Processing', 'Pending']);

		// Feishu users edit all five prompts; one poll sees them.
		const edits: Record<string, string> = {
			[processing]: 'async-2 a teapot on a RED shelf',
			[feRecord]: 'async-fe a lamp, warmer light',
			[completed]: 'ok- something else entirely',
			[failed]: 'ok- fixed prompt after the failure',
			[pending]: 'ok- a chair, prompt fixed before generation',
		};
		const before = await rowByTask();
		for (const [recordId, prompt] of Object.entries(edits)) await edit(recordId, { prompt });
		// A workflow writes another field of one edited row before the poll: the edit must still be seen.
		await feishuSession({ appId: APP.appId, appSecret: APP.appSecret, baseUrl: world.emu.baseUrl }).updateRecord(
			APP_TOKEN,
			world.tableId,
			processing,
			{ attempts: 0 },
		);
		expect((await recordById()).get(processing)!.plain.prompt).toBe(edits[processing]);
		const run = await pollAndRun(world, world.promptEdits);
		expect(run.result?.error).toBeUndefined();
		expect(run.items.map((i) => i.record_id).sort()).toEqual(Object.keys(edits).sort());

		const conflicts = [processing, feRecord, completed];
		const texts = await botTexts();
		expect(texts.length).toBe(conflicts.length);
		for (const recordId of conflicts) {
			const taskId = rec.get(recordId)!.plain.taskId as string;
			expect(texts.filter((t) => t.includes(taskId) && t.includes(edits[recordId])).length).toBe(1);
		}

		// The running generations answer: their results land; the conflict and the user's text stay.
		await deliverHeldCallbacks();
		// The task taken in without generation is found stuck by the reconciler and generated from MySQL.
		await world.db.admin.query(
			"UPDATE gen_tasks SET status_at = status_at - INTERVAL 11 MINUTE WHERE status = 'Pending'",
		);
		await reconcileOnce(world);

		now = await rowByTask();
		const after = await recordById();
		for (const recordId of conflicts) {
			const r = after.get(recordId)!;
			const taskId = r.plain.taskId as string;
			const row = now.get(taskId)!;
			expect({
				taskId,
				syncState: r.plain.syncState,
				editedPrompt: r.plain.editedPrompt,
				prompt: r.plain.prompt,
			}).toEqual({
				taskId,
				syncState: 'conflict',
				editedPrompt: edits[recordId],
				prompt: before.get(taskId)!.prompt, // what the images were made from
			});
			expect(row.prompt).toBe(before.get(taskId)!.prompt);
			expect(['Completed', 'Failed']).toContain(row.status);
			expect(r.plain.status).toBe(row.status);
			expect(world.service.attempts.get(taskId)).toBe(1); // nothing generated again
		}
		expect(now.get(taskOf(completed))!.result_image_urls).toBe(before.get(taskOf(completed))!.result_image_urls);
		expect(after.get(processing)!.plain.status).toBe('Completed');
		expect((after.get(processing)!.plain.resultImages as unknown[]).length).toBe(2);

		// Failed + edit: generated again from the new prompt. Pending + edit: generated once, from the new prompt.
		for (const recordId of [failed, pending]) {
			const taskId = after.get(recordId)!.plain.taskId as string;
			const requests = world.service.requests.filter((r) => r.taskId === taskId);
			expect({
				taskId,
				status: now.get(taskId)!.status,
				bitable: after.get(recordId)!.plain.status,
				prompt: now.get(taskId)!.prompt,
				syncState: after.get(recordId)!.plain.syncState ?? null,
				lastRequest: requests[requests.length - 1]?.prompt,
			}).toEqual({
				taskId,
				status: 'Completed',
				bitable: 'Completed',
				prompt: edits[recordId],
				syncState: 'synced', // MySQL has the edit and the row: no conflict
				lastRequest: edits[recordId],
			});
			expect(requests.length).toBe(recordId === failed ? 2 : 1);
		}

		// The workflows' own writes (the conflict's revert, results) change nothing more and report nothing new.
		const echo = await pollAndRun(world, world.promptEdits);
		expect(echo.items.map((i) => i.record_id).sort()).toEqual([...conflicts].sort()); // their prompt was put back
		expect(['Apply Edit (MySQL)', 'Conflict'].map((n) => echo.result!.json(n))).toEqual([[], []]);
		expect((await pollAndRun(world, world.promptEdits)).items).toEqual([]);
		expect((await botTexts()).filter((t) => t.includes('Prompt conflict')).length).toBe(conflicts.length);
	});

	it('a typed taskId that belongs to another task is flagged, not taken in; cleared, the row becomes its own task', async () => {
		const rowsBefore = await rowByTask();
		const [copy] = await typeIn([
			{ fields: { taskId: 'ok-fs0', prompt: 'ok- a copy of an existing task', status: 'Pending', source: 'feishu' } },
		]);
		const run = await pollAndRun(world, world.fromBitable);
		expect(run.result?.error).toBeUndefined();
		let rec = (await recordById()).get(copy)!;
		expect([rec.plain.syncState, rec.plain.errorMessage]).toEqual([
			'conflict',
			expect.stringContaining('already used by another task'),
		]);
		expect((await botTexts()).filter((t) => t.includes('Duplicate taskId') && t.includes('ok-fs0')).length).toBe(1);
		expect(await rowByTask()).toEqual(rowsBefore);

		await edit(copy, { taskId: null });
		await pollAndRun(world, world.fromBitable);
		rec = (await recordById()).get(copy)!;
		const row = (await rowByTask()).get(`feishu-${copy}`)!;
		expect([rec.plain.taskId, rec.plain.status, rec.plain.syncState ?? null, row.status, row.feishu_record_id]).toEqual(
			[`feishu-${copy}`, 'Completed', 'synced', 'Completed', copy],
		);
	});
});
