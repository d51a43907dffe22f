/**
 * The MySQL -> Bitable sync template on the real n8n server: the first run creates every row, a run with nothing
 * new reads nothing, and after Reset Watermark a run reads every row again and writes nothing ("unchanged = N").
 * Asserts the Bitable table in the Feishu emulator and its write counter, not just the summary.
 */
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../emulators/feishu/admin/client';
import {
	ALERT_TEMPLATE,
	setUpFailingSync,
	setUpOrderSync,
	syncTemplateMissing,
	SYNC_TEMPLATE,
	type OrderSync,
} from './scenarios/orderSync';
import { execute, importWorkflow, nodeItems } from './realN8n';
import { loadTemplate, templateExists, testCopy } from './workflowCopies';
import { connectDatabase, loadSuite, requireCredentials, scenarioContext, type Suite } from './suite';

const ROWS = Number(process.env.E2E_SYNC_ROWS ?? 120);

let suite: Suite;
let db: mysql.Connection;
let sync: OrderSync;

if (syncTemplateMissing()) it.skip(`${SYNC_TEMPLATE} is not in workflows/ yet`, () => undefined);
else
	describe(`${SYNC_TEMPLATE} (test copy started by a webhook)`, () => {
		beforeAll(async () => {
			suite = await loadSuite();
			requireCredentials(suite, ['mySqlApi', 'feishuAppApi']);
			db = await connectDatabase(suite);
			sync = await setUpOrderSync({ ...scenarioContext(suite, db, 'e2e'), rows: ROWS });
		});

		afterAll(async () => {
			await db?.end();
		});

		it('creates every row in Bitable on the first run', async () => {
			const summary = await sync.run();
			expect(summary).toEqual(expect.objectContaining({ created: ROWS, updated: 0, unchanged: 0, failed: 0 }));
			const records = await sync.records();
			expect(records).toHaveLength(ROWS);
			const first = records.find((record) => record.order_no === 'SO-00001');
			expect(first).toEqual(expect.objectContaining({ customer: 'Globex', amount: 137.5, status: 'paid' }));
		});

		it('reads nothing and writes nothing when no row changed (the run stops after Read Changed Rows)', async () => {
			const writesBefore = await sync.writeCalls();
			expect(await sync.run()).toBeUndefined();
			expect(await sync.writeCalls()).toBe(writesBefore);
		});

		it('writes only the changed row after an update', async () => {
			await db.query("UPDATE orders SET status = 'paid' WHERE order_no = 'SO-00002'"); // was 'shipped'
			const summary = await sync.run();
			expect(summary).toEqual(expect.objectContaining({ created: 0, updated: 1, failed: 0 }));
			expect((await sync.records()).find((record) => record.order_no === 'SO-00002')?.status).toBe('paid');
		});

		it(`after Reset Watermark reads all ${ROWS} rows again and writes nothing: unchanged = ${ROWS}`, async () => {
			await sync.resetWatermark();
			const writesBefore = await sync.writeCalls();
			const summary = await sync.run();
			expect(summary).toEqual(expect.objectContaining({ created: 0, updated: 0, unchanged: ROWS, failed: 0 }));
			expect(await sync.writeCalls()).toBe(writesBefore);
			expect(await sync.records()).toHaveLength(ROWS);
		});

		(templateExists(ALERT_TEMPLATE) ? it : it.skip)(
			`a failing sync starts ${ALERT_TEMPLATE}, which tells the team through the bot`,
			async () => {
				const bot = new FeishuAdmin(suite.emulators.feishu!.baseUrl);
				const botToken = suite.emulators.feishu!.botWebhookUrl.split('/').pop()!;
				const before = (await bot.botMessages(botToken)).length;
				const failing = await setUpFailingSync(scenarioContext(suite, db, 'e2e'));
				expect(await failing.run()).toBeGreaterThanOrEqual(500);
				// The error workflow runs after the failed execution has ended: wait for its message.
				const deadline = Date.now() + 60_000;
				let alerts: string[] = [];
				while (alerts.length === 0 && Date.now() < deadline) {
					alerts = (await bot.botMessages(botToken))
						.slice(before)
						.map((message) => JSON.stringify(message.body))
						.filter((text) => text.includes(failing.name));
					if (alerts.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
				}
				expect(alerts).toHaveLength(1);
				expect(alerts[0]).toMatch(/Sync to Bitable/); // the node that failed
			},
		);

		it('runs as a manual copy with n8n execute --id (CLI), next to the running server', async () => {
			const copy = testCopy(loadTemplate(SYNC_TEMPLATE), {
				id: 'e2eSyncManualCli',
				name: 'e2e: MySQL to Bitable sync (manual, CLI)',
				manualTrigger: true,
				credentials: suite.credentials,
				parameters: { 'Sync to Bitable': { base: { __rl: true, mode: 'url', value: sync.bitableUrl } } },
			});
			await importWorkflow(suite.instance, copy);
			const result = await execute(suite.instance, 'e2eSyncManualCli');
			expect({ exitCode: result.exitCode, status: result.run.status }).toEqual({ exitCode: 0, status: 'success' });
			// Its own watermark starts empty: it reads every row, and Bitable already holds them all.
			expect(nodeItems(result.run, 'Summary')).toEqual([
				expect.objectContaining({ created: 0, updated: 0, unchanged: ROWS, failed: 0 }),
			]);
		});
	});
