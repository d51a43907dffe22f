/**
 * The generation-task templates end to end on the real n8n server: intake (header auth, 202 at once), generation
 * through a stand-in service (succeeds, fails, answers later), the signed callback (valid and invalid signature).
 * Asserts MariaDB's gen_tasks rows and the Feishu emulator's Tasks table, not just HTTP answers.
 */
import * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { adminConnectionOptions } from '../harness/mysql';
import { RECONCILE_TEMPLATE, setUpTaskFlow, taskTemplatesMissing, type TaskFlow } from './scenarios/taskFlow';
import { templateExists } from './workflowCopies';
import { loadSuite, recordSecrets, type Suite } from './suite';

const missing = taskTemplatesMissing();
const needs = ['mySqlApi', 'feishuAppApi'];

let suite: Suite;
let db: mysql.Connection;
let flow: TaskFlow;

if (missing.length) it.skip(`task templates not in workflows/ yet: ${missing.join(', ')}`, () => undefined);
else
	describe('generation tasks (task-intake, task-generation, task-callback)', () => {
		beforeAll(async () => {
			suite = await loadSuite();
			const unavailable = needs.filter((type) => !suite.credentials[type]);
			if (unavailable.length)
				throw new Error(`credentials needed by the task templates are not available: ${unavailable
					.map((type) => `${type} (${suite.credentialsUnavailable[type] ?? 'not in package.json'})`).join(', ')}`);
			db = await mysql.createConnection({ ...adminConnectionOptions(), database: suite.mysql.database });
			flow = await setUpTaskFlow({
				rest: suite.rest,
				n8nBaseUrl: suite.instance.baseUrl,
				db,
				feishu: suite.emulators.feishu!,
				credentials: suite.credentials,
				prefix: 'e2e',
				onSecret: (secret) => recordSecrets(suite, secret),
			});
		});

		afterAll(async () => {
			await flow?.close();
			await db?.end();
		});

		it('accepts a task with 202 at once and ends Completed in MySQL and in Bitable', async () => {
			const answer = await flow.submit({ taskId: 'T-OK-1', prompt: 'succeed' });
			expect(answer).toEqual({ status: 202, json: { taskId: 'T-OK-1' } });

			const row = await flow.waitForRow('T-OK-1', ['Completed']);
			expect(JSON.parse(row.result_image_urls)).toEqual([flow.imageUrl('T-OK-1')]);
			const record = (await flow.bitableRecords()).find((candidate) => candidate.taskId === 'T-OK-1');
			expect(record).toEqual(expect.objectContaining({ status: 'Completed', source: 'frontend' }));
			expect(record!.resultImages).toHaveLength(1); // the generated image, uploaded as an attachment
			expect(row.feishu_record_id).toBe(record!.recordId);
		});

		it('ends Failed with the error when the service fails', async () => {
			await flow.submit({ taskId: 'T-FAIL-1', prompt: 'fail' });
			const row = await flow.waitForRow('T-FAIL-1', ['Failed']);
			expect(row.error_message).toContain('refused');
			const record = (await flow.bitableRecords()).find((candidate) => candidate.taskId === 'T-FAIL-1');
			expect(record?.status).toBe('Failed');
		});

		it('applies a signed callback for a service that answers later; a bad signature gets 401 and changes nothing', async () => {
			await flow.submit({ taskId: 'T-LATER-1', prompt: 'later' });
			const call = await flow.waitForServiceCall('T-LATER-1');
			const processing = await flow.waitForRow('T-LATER-1', ['Processing']);
			expect(call.version).toBe(processing.version);
			const result = { taskId: 'T-LATER-1', status: 'Completed', version: call.version, resultImageUrls: [flow.imageUrl('T-LATER-1')] };

			const forged = await flow.callback(result, { badSignature: true });
			expect(forged.status).toBe(401);
			expect((await flow.waitForRow('T-LATER-1', ['Processing'])).version).toBe(processing.version);

			const signed = await flow.callback(result);
			expect(signed).toEqual({ status: 200, json: expect.objectContaining({ taskId: 'T-LATER-1', applied: true }) });
			await flow.waitForRow('T-LATER-1', ['Completed']);
			const record = (await flow.bitableRecords()).find((candidate) => candidate.taskId === 'T-LATER-1');
			expect(record?.status).toBe('Completed');

			const replay = await flow.callback(result);
			expect(replay).toEqual({ status: 200, json: expect.objectContaining({ applied: false }) });
		});

		it('does not create a second task for a repeated POST', async () => {
			const again = await flow.submit({ taskId: 'T-OK-1', prompt: 'succeed' });
			expect(again.status).toBe(202);
			const rows = (await flow.rows()).filter((row) => row.task_id === 'T-OK-1');
			expect(rows).toHaveLength(1);
			expect((await flow.bitableRecords()).filter((record) => record.taskId === 'T-OK-1')).toHaveLength(1);
		});

		(templateExists(RECONCILE_TEMPLATE) ? it : it.skip)(
			'task-reconcile writes tasks Feishu missed, re-submits a stuck task, gives up after the last attempt, tells the team',
			async () => {
				// Feishu was down at intake: the row kept its flag and has no record.
				await db.query(
					`INSERT INTO gen_tasks (task_id, user_id, prompt, status, version, status_at, result_image_urls, feishu_dirty)
					 VALUES ('T-DIRTY-1', 'u-demo', 'succeed', 'Completed', 2, NOW(3), '[]', 1)`,
				);
				// Two tasks stuck in Processing (the service never called back), one with attempts left, one without.
				for (const taskId of ['T-STUCK-1', 'T-STUCK-2']) {
					await flow.submit({ taskId, prompt: 'later' });
					await flow.waitForServiceCall(taskId);
					await flow.waitForRow(taskId, ['Processing']);
				}
				await db.query(`UPDATE gen_tasks SET status_at = status_at - INTERVAL 40 MINUTE WHERE task_id IN ('T-STUCK-1', 'T-STUCK-2')`);
				await db.query(`UPDATE gen_tasks SET attempts = 3 WHERE task_id = 'T-STUCK-2'`);
				const bot = new FeishuAdmin(suite.emulators.feishu!.baseUrl);
				const botToken = suite.emulators.feishu!.botWebhookUrl.split('/').pop()!;
				const messagesBefore = (await bot.botMessages(botToken)).length;

				const answer = await flow.reconcile();
				expect(answer.status).toBe(200);

				const dirty = await flow.waitForRow('T-DIRTY-1', ['Completed']);
				const records = await flow.bitableRecords();
				expect(records.find((record) => record.taskId === 'T-DIRTY-1')?.status).toBe('Completed');
				expect(dirty.feishu_record_id).toBe(records.find((record) => record.taskId === 'T-DIRTY-1')!.recordId);

				await flow.waitForRow('T-STUCK-1', ['Processing']);
				const [[retried]] = (await db.query(`SELECT attempts FROM gen_tasks WHERE task_id = 'T-STUCK-1'`)) as any;
				expect(retried.attempts).toBe(1);
				expect(flow.serviceCalls.filter((call) => call.taskId === 'T-STUCK-1')).toHaveLength(2); // re-submitted

				const gaveUp = await flow.waitForRow('T-STUCK-2', ['Failed']);
				expect(gaveUp.error_message).toMatch(/Gave up after 3 attempts/);
				expect((await flow.bitableRecords()).find((record) => record.taskId === 'T-STUCK-2')?.status).toBe('Failed');

				const texts = (await bot.botMessages(botToken)).slice(messagesBefore).map((message) => JSON.stringify(message.body));
				expect(texts.some((text) => /Task reconcile/.test(text) && /T-STUCK-1/.test(text) && /T-STUCK-2/.test(text))).toBe(true);
			},
		);
	});
