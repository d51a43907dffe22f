/**
 * The run log on the real n8n server: the MySQL -> Bitable template (its Sync logs each run into `sync_logs`, created
 * on first use, through the MySQL credential of its Table Lock) and sync-daily-summary.json, which posts the last
 * day's runs from that log to the Feishu bot. Asserts MariaDB's rows and the bot emulator's message.
 */
import type * as mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { setUpOrderSync, syncTemplateMissing, SYNC_TEMPLATE, type OrderSync } from './scenarios/orderSync';
import { deploy, loadTemplate, templateExists, testCopy, trigger } from './workflowCopies';
import { connectDatabase, loadSuite, scenarioContext, type Suite } from './suite';

const SUMMARY_TEMPLATE = 'sync-daily-summary.json';
const ROWS = 12;

let suite: Suite;
let db: mysql.Connection;
let sync: OrderSync;

if (syncTemplateMissing() || !templateExists(SUMMARY_TEMPLATE))
	it.skip(`${SYNC_TEMPLATE} or ${SUMMARY_TEMPLATE} is not in workflows/`, () => undefined);
else
	describe(`run log: ${SYNC_TEMPLATE} writes sync_logs, ${SUMMARY_TEMPLATE} posts the day's runs`, () => {
		beforeAll(async () => {
			suite = await loadSuite();
			db = await connectDatabase(suite);
			await db.query('DROP TABLE IF EXISTS sync_logs');
			sync = await setUpOrderSync({ ...scenarioContext(suite, db, 'runlog'), rows: ROWS });
		});

		afterAll(async () => {
			await db?.end();
		});

		it('each sync run appends a row (success, counts, API calls, n8n execution id) to sync_logs, created on first use', async () => {
			expect(await sync.run()).toEqual(expect.objectContaining({ created: ROWS, failed: 0 }));
			await db.query("UPDATE orders SET status = 'paid' WHERE order_no = 'SO-00002'");
			expect(await sync.run()).toEqual(expect.objectContaining({ updated: 1 }));
			const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM sync_logs ORDER BY id');
			expect(rows.map((r) => [r.job, r.status, r.created_count, r.updated_count, r.node_name])).toEqual([
				['bitable_sync', 'success', ROWS, 0, 'Sync to Bitable'],
				['bitable_sync', 'success', 0, 1, 'Sync to Bitable'],
			]);
			for (const row of rows) {
				expect(Number(row.api_calls)).toBeGreaterThan(0);
				expect(String(row.execution_id)).toMatch(/^\d+$/);
			}
		});

		it(`${SUMMARY_TEMPLATE} posts the last day's runs to the Feishu group`, async () => {
			const feishu = suite.emulators.feishu!;
			const bot = new FeishuAdmin(feishu.baseUrl);
			const botToken = feishu.botWebhookUrl.split('/').pop()!;
			const before = (await bot.botMessages(botToken)).length;
			const path = 'runlog-daily-summary';
			await deploy(
				suite.rest,
				testCopy(loadTemplate(SUMMARY_TEMPLATE), {
					name: 'runlog: daily sync summary',
					webhookPath: path,
					credentials: suite.credentials,
				}),
			);
			const response = await trigger(suite.instance.baseUrl, path);
			expect(response.status).toBe(200);
			const messages = (await bot.botMessages(botToken)).slice(before).map((m) => JSON.stringify(m.body));
			expect(messages).toHaveLength(1);
			for (const part of ['Runs 运行: 2', 'failed 失败: 0', `Created 新增: ${ROWS}`, 'Updated 更新: 1'])
				expect(messages[0]).toContain(part);
		});
	});
