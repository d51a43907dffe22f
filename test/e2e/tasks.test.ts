/**
 * The generation-task templates end to end on the real n8n server (its task runner runs their Code nodes): intake
 * (the front end's header secret, 202 at once), generation through a stand-in service (succeeds, fails, answers
 * later) started only with n8n's internal secret, the signed callback. What a security reviewer asks for: the
 * front end's secret cannot start generation; a callback with a wrong signature, a stale timestamp, an oversized
 * body or a replayed signature is refused and changes nothing; a URL from a request body is never called.
 * Asserts MariaDB's rows and the Feishu emulator's Tasks table, not just HTTP answers. Time is injected (a
 * backdated X-Timestamp), never waited for.
 */
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { RECONCILE_TEMPLATE, setUpTaskFlow, taskTemplatesMissing, type TaskFlow } from './scenarios/taskFlow';
import { executionsOf, templateExists } from './workflowCopies';
import { connectDatabase, loadSuite, recordSecrets, requireCredentials, scenarioContext, type Suite } from './suite';

const missing = taskTemplatesMissing();

let suite: Suite;
let db: mysql.Connection;
let flow: TaskFlow;

if (missing.length) it.skip(`task templates not in workflows/ yet: ${missing.join(', ')}`, () => undefined);
else
	describe('generation tasks (task-intake, task-generation, task-callback)', () => {
		beforeAll(async () => {
			suite = await loadSuite();
			requireCredentials(suite, ['mySqlApi', 'feishuAppApi']);
			db = await connectDatabase(suite);
			flow = await setUpTaskFlow({
				...scenarioContext(suite, db, 'e2e'),
				onSecret: (secret) => recordSecrets(suite, secret),
			});
		});

		afterAll(async () => {
			await flow?.close();
			await db?.end();
		});

		const rowOf = async (taskId: string) => (await flow.rows()).find((row) => row.task_id === taskId);
		const recordOf = async (taskId: string) => (await flow.bitableRecords()).find((record) => record.taskId === taskId);
		const notified = (taskId: string) => flow.notifications.filter((notification) => notification.taskId === taskId);

		it('accepts a task with 202 at once and ends Completed in MySQL and in Bitable; the front end hears at its callbackUrl', async () => {
			const answer = await flow.submit({ taskId: 'T-OK-1', prompt: 'succeed', callbackUrl: flow.notifyUrl });
			expect(answer).toEqual({ status: 202, json: { taskId: 'T-OK-1' } });

			const row = await flow.waitForRow('T-OK-1', ['Completed']);
			expect(JSON.parse(row.result_image_urls)).toEqual([flow.imageUrl('T-OK-1')]);
			expect(row.callback_url).toBe(flow.notifyUrl);
			await flow.settled(); // the row's sync state is written after MySQL's status
			const record = await recordOf('T-OK-1');
			expect(record).toEqual(expect.objectContaining({ status: 'Completed', source: 'frontend', syncState: 'synced' }));
			expect(record!.resultImages).toHaveLength(1); // the generated image, uploaded as an attachment
			expect(row.feishu_record_id).toBe(record!.recordId);
			await flow.settled();
			expect(notified('T-OK-1')).toEqual([expect.objectContaining({ taskId: 'T-OK-1', status: 'Completed' })]);
		});

		it('a task sent by another system with source "api" shows that source; another source is refused (400)', async () => {
			expect((await flow.submit({ taskId: 'T-API-1', prompt: 'succeed', source: 'api' })).status).toBe(202);
			const refused = await flow.submit({ taskId: 'T-SRC-1', prompt: 'succeed', source: 'feishu' });
			expect(refused).toEqual({ status: 400, json: { error: 'source must be "frontend" or "api"' } });
			expect((await flow.waitForRow('T-API-1', ['Completed'])).origin).toBe('api');
			await flow.settled();
			expect(await recordOf('T-API-1')).toEqual(
				expect.objectContaining({ status: 'Completed', source: 'api', syncState: 'synced' }),
			);
			expect(await rowOf('T-SRC-1')).toBeUndefined();
		});

		it('ends Failed with the error when the service fails', async () => {
			await flow.submit({ taskId: 'T-FAIL-1', prompt: 'fail' });
			const row = await flow.waitForRow('T-FAIL-1', ['Failed']);
			expect(row.error_message).toContain('refused');
			expect((await recordOf('T-FAIL-1'))?.status).toBe('Failed');
		});

		it('refuses at intake, before writing anything: an oversized body (413), a missing prompt, a callbackUrl on a host not allowed (400)', async () => {
			const oversized = await flow.postIntake(JSON.stringify({ taskId: 'T-BIG-1', prompt: 'x'.repeat(70_000) }));
			expect(oversized).toEqual({ status: 413, json: { error: 'the request body is over 65536 bytes' } });
			const noPrompt = await flow.postIntake(JSON.stringify({ taskId: 'T-NOPROMPT-1' }));
			expect(noPrompt).toEqual({ status: 400, json: { error: 'prompt is required' } });
			// The same receiver, named by a host that is not in callbackHosts.
			const elsewhere = await flow.submit({
				taskId: 'T-HOST-1',
				prompt: 'succeed',
				callbackUrl: flow.notifyUrl.replace('127.0.0.1', 'localhost'),
			});
			expect(elsewhere.status).toBe(400);
			expect(elsewhere.json.error).toMatch(/^callbackUrl: the host localhost is not allowed/);

			await flow.settled();
			const refused = ['T-BIG-1', 'T-NOPROMPT-1', 'T-HOST-1'];
			expect((await flow.rows()).filter((row) => refused.includes(row.task_id))).toEqual([]);
			expect((await flow.bitableRecords()).filter((record) => refused.includes(record.taskId))).toEqual([]);
			expect(flow.serviceCalls.filter((call) => refused.includes(call.taskId))).toEqual([]);
			expect(flow.notifications.filter((notification) => refused.includes(notification.taskId))).toEqual([]);
		});

		it("the front end's secret cannot start Task generation; n8n's internal secret can, and a callbackUrl in that body is never called", async () => {
			// A task taken in whose hand-off has not arrived yet.
			await db.query(
				`INSERT INTO gen_tasks (task_id, user_id, prompt, status, version, status_at, feishu_dirty)
				 VALUES ('T-INTERNAL-1', 'u-demo', 'succeed', 'Pending', 1, NOW(3), 1)`,
			);
			const newestRun = async () => (await executionsOf(suite.rest, flow.workflowIds.generation, 1))[0]?.id;
			const runBefore = await newestRun();
			const { intake, internal } = flow.secrets;
			for (const headers of [{ [intake.name]: intake.value }, { [internal.name]: intake.value }, {}]) {
				const answer = await flow.postGeneration({ taskId: 'T-INTERNAL-1' }, headers);
				expect({ headers: Object.keys(headers), status: answer.status }).toEqual({
					headers: Object.keys(headers),
					status: 403,
				});
			}
			expect(await newestRun()).toBe(runBefore); // no run started
			expect(await rowOf('T-INTERNAL-1')).toEqual(expect.objectContaining({ status: 'Pending', version: 1 }));
			expect(flow.serviceCalls.filter((call) => call.taskId === 'T-INTERNAL-1')).toEqual([]);

			const started = await flow.postGeneration(
				{ taskId: 'T-INTERNAL-1', callbackUrl: flow.notifyUrl },
				{ [internal.name]: internal.value },
			);
			expect(started.status).toBe(200);
			await flow.waitForRow('T-INTERNAL-1', ['Completed']);
			await flow.settled();
			expect(notified('T-INTERNAL-1')).toEqual([]); // the row has no callbackUrl; the body's is never used
		});

		it('applies a signed callback; a wrong signature, a stale timestamp, an oversized body, a bad field or a replay is refused and changes nothing', async () => {
			await flow.submit({ taskId: 'T-LATER-1', prompt: 'later' }); // no callbackUrl: nobody is to be told
			const call = await flow.waitForServiceCall('T-LATER-1');
			const processing = await flow.waitForRow('T-LATER-1', ['Processing']);
			expect(call.version).toBe(processing.version);
			await flow.settled();
			const result = {
				taskId: 'T-LATER-1',
				status: 'Completed',
				version: call.version,
				resultImageUrls: [flow.imageUrl('T-LATER-1')],
			};
			const state = async () => ({
				row: await rowOf('T-LATER-1'),
				record: await recordOf('T-LATER-1'),
				deliveries: (await flow.deliveries()).length,
			});
			const before = await state();
			expect(before.record?.status).toBe('Processing');

			const now = Math.floor(Date.now() / 1000);
			const refusals = {
				'wrong signature': await flow.callback(result, { secret: 'not-the-secret' }),
				'stale timestamp': await flow.callback(result, { timestamp: now - 600 }),
				'future timestamp': await flow.callback(result, { timestamp: now + 600 }),
				'oversized body': await flow.callback({ ...result, padding: 'x'.repeat(70_000) }),
				'bad field': await flow.callback({ ...result, version: 'latest' }),
			};
			expect(
				Object.fromEntries(Object.entries(refusals).map(([what, answer]) => [what, [answer.status, answer.json]])),
			).toEqual({
				'wrong signature': [401, { error: 'invalid signature' }],
				'stale timestamp': [401, { error: expect.stringMatching(/^X-Timestamp is more than 300 seconds from now/) }],
				'future timestamp': [401, { error: expect.stringMatching(/^X-Timestamp is more than 300 seconds from now/) }],
				'oversized body': [413, { error: 'the body is over 65536 bytes' }],
				'bad field': [422, { error: 'version must be the integer version you were sent with the task' }],
			});
			await flow.settled();
			expect(await state()).toEqual(before);

			// Signed now; the body also names a callbackUrl, which is never called.
			const signed = await flow.callback({ ...result, callbackUrl: flow.notifyUrl });
			expect(signed).toEqual(
				expect.objectContaining({ status: 200, json: expect.objectContaining({ taskId: 'T-LATER-1', applied: true }) }),
			);
			await flow.waitForRow('T-LATER-1', ['Completed']);
			await flow.settled();
			const after = await state();
			expect(after.record?.status).toBe('Completed');
			expect(after.deliveries).toBe(before.deliveries + 1);
			expect(notified('T-LATER-1')).toEqual([]);

			const replayed = await flow.resend(signed.request); // byte for byte, within the window
			expect(replayed).toEqual({
				status: 409,
				json: { error: expect.stringMatching(/^this signed callback was received before/) },
			});
			await flow.settled();
			expect(await state()).toEqual(after);

			// A retry signed anew gets through the signature checks and meets the status guard.
			const retried = await flow.callback(result, { timestamp: Number(signed.request.headers['X-Timestamp']) - 1 });
			expect(retried).toEqual(
				expect.objectContaining({ status: 200, json: expect.objectContaining({ applied: false }) }),
			);
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
				await db.query(
					`UPDATE gen_tasks SET status_at = status_at - INTERVAL 40 MINUTE WHERE task_id IN ('T-STUCK-1', 'T-STUCK-2')`,
				);
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
				await flow.settled(); // the row is copied to Feishu before the service is called, in the same run
				const [[retried]] = (await db.query(`SELECT attempts FROM gen_tasks WHERE task_id = 'T-STUCK-1'`)) as any;
				expect(retried.attempts).toBe(1);
				expect(flow.serviceCalls.filter((call) => call.taskId === 'T-STUCK-1')).toHaveLength(2); // re-submitted

				const gaveUp = await flow.waitForRow('T-STUCK-2', ['Failed']);
				expect(gaveUp.error_message).toMatch(/Gave up after 3 attempts/);
				expect((await flow.bitableRecords()).find((record) => record.taskId === 'T-STUCK-2')?.status).toBe('Failed');

				const texts = (await bot.botMessages(botToken))
					.slice(messagesBefore)
					.map((message) => JSON.stringify(message.body));
				expect(
					texts.some((text) => /Task reconcile/.test(text) && /T-STUCK-1/.test(text) && /T-STUCK-2/.test(text)),
				).toBe(true);
			},
		);
	});
