/**
 * The Feishu-side task templates on the real n8n server, started by their own Feishu Bitable Triggers
 * (activated, polling every minute, as a user runs them): a task typed into the table by a Feishu user goes
 * through task-from-bitable into the generation chain; a prompt edited while it is being generated gets the
 * conflict state and a bot message (task-prompt-edits), and the result still lands. Each wait covers a
 * minute's poll, so this file takes a few minutes.
 */
import type * as mysql from 'mysql2/promise';

import { feishuSession } from '../../lib/feishu/session';
import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { setUpTaskFlow, taskTemplatesMissing, type TaskFlow } from './scenarios/taskFlow';
import { connectDatabase, loadSuite, requireCredentials, scenarioContext, type Suite } from './suite';
import { deploy, loadTemplate, templateExists } from './workflowCopies';

const FEISHU_TEMPLATES = ['task-from-bitable.json', 'task-prompt-edits.json'];
const missing = [...taskTemplatesMissing(), ...FEISHU_TEMPLATES.filter((file) => !templateExists(file))];
const HUMAN = 'ou_e2e_feishu_typist';
const POLL_WAIT_MS = 150_000; // a poll a minute, plus the chain

let suite: Suite;
let db: mysql.Connection;
let flow: TaskFlow;
let admin: FeishuAdmin;
const deployed: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = POLL_WAIT_MS): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (true) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

if (missing.length) it.skip(`templates not in workflows/ yet: ${missing.join(', ')}`, () => undefined);
else
	describe('tasks typed in Feishu (task-from-bitable, task-prompt-edits) with their polling triggers', () => {
		beforeAll(async () => {
			suite = await loadSuite();
			requireCredentials(suite, ['mySqlApi', 'feishuAppApi', 'feishuBotWebhookApi']);
			const feishu = suite.emulators.feishu!;
			db = await connectDatabase(suite);
			flow = await setUpTaskFlow(scenarioContext(suite, db, 'e2efs'));
			// The fields task-from-bitable's note asks for, added as a user would (here through the open API); syncState
			// is in the intake note's table already.
			const session = feishuSession({ appId: feishu.appId, appSecret: feishu.appSecret, baseUrl: feishu.baseUrl });
			await session.createField(feishu.appToken, flow.tableId, { field_name: 'modifiedAt', type: 1002 });
			await session.createField(feishu.appToken, flow.tableId, { field_name: 'editedPrompt', type: 1 });
			admin = new FeishuAdmin(feishu.baseUrl);
			await admin.addUser({ open_id: HUMAN, name: 'E2E Feishu Typist' });

			for (const [file, trigger] of [
				['task-from-bitable.json', 'Task Typed in Feishu'],
				['task-prompt-edits.json', 'Prompt Edited in Feishu'],
			]) {
				const copy = flow.copy(loadTemplate(file), {
					name: `e2efs: ${file}`,
					// The table is new: whatever its first poll finds is typed by this test, so let it emit that.
					parameters: {
						[trigger]: { base: { __rl: true, mode: 'url', value: flow.bitableUrl }, options: { emitExisting: true } },
					},
					config: { Config: { bitableUrl: flow.bitableUrl, generationWorkflowUrl: flow.generationUrl } },
				});
				deployed.push(await deploy(suite.rest, copy));
			}
		});

		afterAll(async () => {
			for (const id of deployed)
				await suite.rest.request('POST', `/rest/workflows/${id}/deactivate`, {}, { allowError: true });
			await flow?.close();
			await db?.end();
		});

		const typeIn = async (prompt: string) => {
			const [recordId] = await admin.seedRecords({
				appToken: suite.emulators.feishu!.appToken,
				tableId: flow.tableId,
				records: [{ fields: { prompt, status: 'Pending', source: 'feishu' }, asUser: HUMAN }],
			});
			return recordId;
		};
		const record = async (recordId: string) =>
			(await flow.bitableRecords()).find((candidate) => candidate.recordId === recordId);

		let later = '';

		it('takes in tasks typed by a Feishu user and runs them through generation (Completed, Failed, Processing)', async () => {
			const ok = await typeIn('succeed');
			const failed = await typeIn('fail');
			later = await typeIn('later');

			const okRow = await flow.waitForRow(`feishu-${ok}`, ['Completed'], POLL_WAIT_MS);
			expect(okRow.feishu_record_id).toBe(ok);
			// the row's sync state is written right after its status
			const synced = await until('the synced state', async () => {
				const r = await record(ok);
				return r?.syncState === 'synced' ? r : undefined;
			});
			expect(synced).toEqual(
				expect.objectContaining({ taskId: `feishu-${ok}`, status: 'Completed', source: 'feishu', syncState: 'synced' }),
			);
			await flow.waitForRow(`feishu-${failed}`, ['Failed'], POLL_WAIT_MS);
			expect((await record(failed))?.status).toBe('Failed');
			await flow.waitForRow(`feishu-${later}`, ['Processing'], POLL_WAIT_MS);
			expect((await flow.rows()).filter((row) => [ok, failed, later].includes(row.feishu_record_id))).toHaveLength(3);
		});

		it('flags a prompt edited during generation as a conflict, tells the bot, and still lands the result', async () => {
			const taskId = `feishu-${later}`;
			const call = await flow.waitForServiceCall(taskId);
			const botToken = suite.emulators.feishu!.botWebhookUrl.split('/').pop()!;
			const botBefore = (await admin.botMessages(botToken)).length;
			await admin.editRecord({
				appToken: suite.emulators.feishu!.appToken,
				tableId: flow.tableId,
				recordId: later,
				fields: { prompt: 'succeed, but bluer' },
				asUser: HUMAN,
			});

			const flagged = await until('the conflict state', async () => {
				const r = await record(later);
				return r?.syncState === 'conflict' ? r : undefined;
			});
			expect(flagged).toEqual(
				expect.objectContaining({ editedPrompt: 'succeed, but bluer', prompt: 'later', status: 'Processing' }),
			);
			// The demo bot is shared: look for this task's message among the new ones.
			const message = await until('the bot message', async () =>
				(await admin.botMessages(botToken)).slice(botBefore).find((m) => JSON.stringify(m).includes(taskId)),
			);
			expect(JSON.stringify(message)).toContain('Prompt conflict');

			const signed = await flow.callback({
				taskId,
				status: 'Completed',
				version: call.version,
				resultImageUrls: [flow.imageUrl(taskId)],
			});
			expect(signed.status).toBe(200);
			await flow.waitForRow(taskId, ['Completed']);
			await flow.settled(); // Task callback has written the row's sync state: "synced" did not replace the conflict
			expect(await record(later)).toEqual(
				expect.objectContaining({ status: 'Completed', syncState: 'conflict', editedPrompt: 'succeed, but bluer' }),
			);
		});
	});
