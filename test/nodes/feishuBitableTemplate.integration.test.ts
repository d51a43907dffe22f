/**
 * The shipped template workflows/mysql-to-bitable-sync.json, run as saved (the schedule replaced by a
 * manual start): changed MySQL rows land in Bitable, the watermark is committed after the sync, a
 * second run with nothing new writes nothing, and each sync run is logged in `sync_logs`. Then
 * workflows/sync-daily-summary.json posts the last day's runs from that log to the Feishu bot.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { appendRunLog } from '../../lib/runLog';
import { createTestDatabase, type TestDatabase } from '../harness';
import { loadTemplate } from '../templates/templates';
import { APP_TOKEN, nodeTypes, useKit, type Kit } from './feishuBitableKit';
import { scheduledTemplateRunner } from './scheduledTemplate';

nodeTypes.register(MySqlQuery);
nodeTypes.register(FeishuBot);
const template = loadTemplate('mysql-to-bitable-sync.json');

const kit = useKit();
let db: TestDatabase;
beforeAll(async () => {
	db = await createTestDatabase('tplsync');
	await db.admin.query(`CREATE TABLE orders (
		id BIGINT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(32) NOT NULL, customer VARCHAR(64), amount DECIMAL(10,2),
		status VARCHAR(16), ordered_at DATETIME, updated_at DATETIME(3) NOT NULL)`);
	await db.admin.query(`INSERT INTO orders (order_no, customer, amount, status, ordered_at, updated_at) VALUES
		('A-1', 'Ann', 10.50, 'New', '2024-05-01 09:00:00', '2024-05-01 09:00:00'),
		('A-2', 'Bob', 7.00, 'Paid', '2024-05-01 10:00:00', '2024-05-01 10:00:00')`);
});
afterAll(async () => {
	await db.drop();
});

it('template: reads changed rows, syncs them, commits the watermark; an idle re-run writes nothing', async () => {
	expect(template.id).toBeTruthy();
	expect(template.settings.timezone).toBe('Asia/Shanghai');
	const tableId = await kit.newTable(
		[
			{ field_name: 'order_no', type: 1 },
			{ field_name: 'customer', type: 1 },
			{ field_name: 'amount', type: 2 },
			{ field_name: 'status', type: 3 },
			{ field_name: 'ordered_at', type: 5 },
			{ field_name: 'Owner note', type: 1 },
		],
		'Orders',
	);
	const runner = scheduledTemplateRunner(nodeTypes, template, (n, parameters) => {
		if (n.name === 'Sync to Bitable')
			(parameters.base as { value: string }).value = `https://acme.feishu.cn/base/${APP_TOKEN}?table=${tableId}`;
	});
	const credentials = { ...kit.credentials, mySqlApi: db.credentials as unknown as Kit['credentials'][string] };

	const first = await runner.run({ credentials });
	expect(first.error).toBeUndefined();
	expect(first.json('Summary')).toEqual([expect.objectContaining({ created: 2, updated: 0, failed: 0 })]);
	const dump = await kit.dump(tableId);
	expect(dump.map((d) => d.plain).sort((a, b) => String(a.order_no).localeCompare(String(b.order_no)))).toEqual([
		expect.objectContaining({
			order_no: 'A-1',
			customer: 'Ann',
			amount: 10.5,
			status: 'New',
			ordered_at: Date.UTC(2024, 4, 1, 1),
		}),
		expect.objectContaining({
			order_no: 'A-2',
			customer: 'Bob',
			amount: 7,
			status: 'Paid',
			ordered_at: Date.UTC(2024, 4, 1, 2),
		}),
	]);

	await kit.emu.admin.resetCounters();
	const idle = await runner.run({ credentials });
	expect(idle.error).toBeUndefined();
	expect(await kit.writeCalls()).toBe(0);

	await db.admin.query(`UPDATE orders SET amount = 12.00, updated_at = '2024-05-02 08:00:00' WHERE order_no = 'A-1'`);
	const changed = await runner.run({ credentials });
	expect(changed.json('Summary')).toEqual([expect.objectContaining({ updated: 1, unchanged: 0, created: 0 })]);
	expect(await kit.writeCalls()).toBe(1);

	// the run log: one row per run of the Sync node (the idle run stopped before it), created on first use
	const [log] = await db.admin.query<RowDataPacket[]>(
		'SELECT status, created_count, updated_count, node_name FROM sync_logs ORDER BY id',
	);
	expect(log.map((r) => [r.status, r.created_count, r.updated_count, r.node_name])).toEqual([
		['success', 2, 0, 'Sync to Bitable'],
		['success', 0, 1, 'Sync to Bitable'],
	]);
});

it('daily summary template: posts the last 24 hours of sync_logs (older runs left out) to the Feishu bot', async () => {
	await db.admin.query('DROP TABLE IF EXISTS sync_logs');
	const hour = 3_600_000;
	const now = Date.now();
	const run = (hoursAgo: number, status: 'success' | 'failed', created: number, error?: string) =>
		appendRunLog(db.admin, 'sync_logs', {
			job: 'bitable_sync',
			startedAt: new Date(now - hoursAgo * hour),
			endedAt: new Date(now - hoursAgo * hour + 1000),
			status,
			created,
			updated: 1,
			apiCalls: 4,
			error,
		});
	await run(30, 'failed', 0, 'an old failure, not in the summary');
	await run(20, 'success', 5);
	await run(2, 'failed', 0, 'Feishu 91403: the app is not added to the base');
	await run(1, 'success', 7);
	const { webhookUrl } = await kit.emu.admin.createBot({ token: 'daily-summary' });
	const runner = scheduledTemplateRunner(nodeTypes, 'sync-daily-summary.json');
	const r = await runner.run({
		credentials: {
			mySqlApi: db.credentials as unknown as Kit['credentials'][string],
			feishuBotWebhookApi: { webhookUrl, secret: '', keyword: '' },
		},
	});
	expect(r.error).toBeUndefined();
	const messages = await kit.emu.admin.botMessages('daily-summary');
	expect(messages).toHaveLength(1);
	const text = JSON.stringify(messages[0]);
	for (const part of [
		'Runs 运行: 3',
		'failed 失败: 1',
		'Created 新增: 12',
		'Updated 更新: 3',
		'API calls 调用次数: 12',
		'Feishu 91403: the app is not added to the base',
	])
		expect(text).toContain(part);
	expect(text).not.toContain('an old failure');
});
