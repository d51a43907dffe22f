/**
 * The generation-task templates end to end on the real n8n server: intake (header auth, 202 at once), generation
 * through a stand-in service (succeeds, fails, answers later), the signed callback (valid and invalid signature).
 * Asserts MariaDB's gen_tasks rows and the Feishu emulator's Tasks table, not just HTTP answers.
 */
import * as mysql from 'mysql2/promise';

import { adminConnectionOptions } from '../harness/mysql';
import { setUpTaskFlow, taskTemplatesMissing, type TaskFlow } from './scenarios/taskFlow';
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
	});
