/**
 * The MySQL -> Bitable sync template (workflows/mysql-to-bitable-sync.json) on a real n8n server: a test copy
 * whose schedule is swapped for a webhook (webhook runs save workflow static data, where the template keeps its
 * watermark, as scheduled runs do), plus a second webhook that runs the MySQL Query node's Reset Watermark on the
 * same watermark. The `orders` table and a Bitable table with the template's fields are created here.
 * Used by the e2e test and by the demo.
 */
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../../emulators/feishu/admin/client';
import type { FieldSpec, TableDump } from '../../emulators/feishu/types';
import { deploy, loadTemplate, templateExists, testCopy, trigger, type WorkflowNode } from '../workflowCopies';
import { bitableLink, scenarioTable, type ScenarioContext } from './context';

export const SYNC_TEMPLATE = 'mysql-to-bitable-sync.json';
export const ALERT_TEMPLATE = 'sync-failure-alert.json';

export interface OrderSyncContext extends ScenarioContext {
	/** rows seeded into `orders` */
	rows: number;
}

/** The template's Summary node output. */
export interface SyncSummary {
	created: number;
	updated: number;
	unchanged: number;
	failed: number;
	apiCalls: number;
	watermark: string;
	[key: string]: unknown;
}

export interface OrderSync {
	tableId: string;
	bitableUrl: string;
	/** the Summary of one run, or undefined when Read Changed Rows found nothing (the run stops there) */
	run(): Promise<SyncSummary | undefined>;
	resetWatermark(): Promise<void>;
	/** Bitable records (plain form) of the sync's table */
	records(): Promise<Array<Record<string, any>>>;
	/** write calls the Feishu emulator applied so far (all tables) */
	writeCalls(): Promise<number>;
}

/** The Bitable fields the template's "Sync to Bitable" expects (it does not create missing fields). */
const ORDER_FIELDS: FieldSpec[] = [
	{ field_name: 'order_no', type: 1 },
	{ field_name: 'customer', type: 1 },
	{ field_name: 'amount', type: 2 },
	{ field_name: 'status', type: 3, property: { options: [{ name: 'new' }, { name: 'paid' }, { name: 'shipped' }] } },
	{ field_name: 'ordered_at', type: 5 },
];

export function syncTemplateMissing(): boolean {
	return !templateExists(SYNC_TEMPLATE);
}

export async function seedOrders(db: mysql.Connection, rows: number): Promise<void> {
	await db.query('DROP TABLE IF EXISTS orders');
	await db.query(`CREATE TABLE orders (
		id BIGINT AUTO_INCREMENT PRIMARY KEY,
		order_no VARCHAR(32) NOT NULL UNIQUE,
		customer VARCHAR(200) NOT NULL,
		amount DECIMAL(12, 2) NOT NULL,
		status VARCHAR(20) NOT NULL,
		ordered_at DATETIME NOT NULL,
		updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
		KEY ix_updated (updated_at, id)
	) DEFAULT CHARSET = utf8mb4`);
	const values = Array.from({ length: rows }, (_, index) => {
		const i = index + 1;
		return [
			`SO-${String(i).padStart(5, '0')}`,
			['Acme', 'Globex', 'Initech', '华东贸易', '星辰科技'][i % 5],
			(100 + i * 37.5).toFixed(2),
			['new', 'paid', 'shipped'][i % 3],
			new Date(Date.UTC(2025, 0, 1 + (i % 300), 1, 0, 0)),
			new Date(Date.UTC(2025, 5, 1, 0, i % 60, 0)),
		];
	});
	if (values.length)
		await db.query('INSERT INTO orders (order_no, customer, amount, status, ordered_at, updated_at) VALUES ?', [
			values,
		]);
}

export async function setUpOrderSync(context: OrderSyncContext): Promise<OrderSync> {
	const { rest, n8nBaseUrl, db, feishu, prefix } = context;
	await seedOrders(db, context.rows);
	const admin = new FeishuAdmin(feishu.baseUrl);
	const { tableId, bitableUrl } = await scenarioTable(context, 'Orders', 'order_no', ORDER_FIELDS);

	const template = loadTemplate(SYNC_TEMPLATE);
	const paths = { run: `${prefix}-orders-sync`, reset: `${prefix}-orders-reset` };
	const copy = testCopy(template, {
		name: `${prefix}: MySQL to Bitable sync`,
		webhookPath: paths.run,
		credentials: context.credentials,
		parameters: { 'Sync to Bitable': { base: { __rl: true, mode: 'url', value: bitableUrl } } },
	});
	// Reset Watermark on the same watermark (name and store) as the template's Read Changed Rows.
	const reader = copy.nodes.find((node) => node.parameters.operation === 'readChanges')!;
	const resetTrigger: WorkflowNode = {
		name: 'Reset Trigger',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [reader.position[0], reader.position[1] + 400],
		webhookId: '00000000-0000-4000-8000-00000000f00d',
		parameters: { httpMethod: 'POST', path: paths.reset, responseMode: 'lastNode', options: {} },
	};
	const resetNode: WorkflowNode = {
		name: 'Reset Watermark',
		type: reader.type,
		typeVersion: reader.typeVersion,
		position: [reader.position[0] + 240, reader.position[1] + 400],
		credentials: reader.credentials,
		parameters: {
			operation: 'resetWatermark',
			watermarkName: reader.parameters.watermarkName,
			watermarkStore: reader.parameters.watermarkStore,
		},
	};
	copy.nodes.push(resetTrigger, resetNode);
	copy.connections[resetTrigger.name] = { main: [[{ node: resetNode.name, type: 'main', index: 0 }]] };
	await deploy(rest, copy);

	return {
		tableId,
		bitableUrl,
		async run() {
			const response = await trigger(n8nBaseUrl, paths.run);
			if (response.status !== 200)
				throw new Error(`the sync answered ${response.status}: ${response.body.slice(0, 500)}`);
			const items = response.json as SyncSummary[];
			return items.find((item) => 'unchanged' in item);
		},
		async resetWatermark() {
			const response = await trigger(n8nBaseUrl, paths.reset);
			if (response.status !== 200)
				throw new Error(`the watermark reset answered ${response.status}: ${response.body.slice(0, 500)}`);
		},
		async records() {
			const dump: TableDump = await admin.dumpTable(feishu.appToken, tableId);
			return dump.records.map((record) => ({ recordId: record.record_id, ...record.plain }));
		},
		async writeCalls() {
			return (await admin.counters()).writeCalls;
		},
	};
}

/**
 * A copy of the sync whose Bitable link names a table that does not exist, with a copy of
 * sync-failure-alert.json as its error workflow (as the shipped sync names the shipped alert). n8n 2.x runs an
 * error workflow only when it is published (active): "Workflow ... is not active and cannot be executed".
 * Returns the failing copy's name, and a function that runs it.
 */
export async function setUpFailingSync(
	context: Omit<OrderSyncContext, 'rows'>,
): Promise<{ name: string; run(): Promise<number> }> {
	const { rest, n8nBaseUrl, feishu, prefix } = context;
	const alertId = await deploy(
		rest,
		testCopy(loadTemplate(ALERT_TEMPLATE), { name: `${prefix}: sync failure alert`, credentials: context.credentials }),
	);
	const name = `${prefix}: MySQL to Bitable sync (missing table)`;
	const path = `${prefix}-orders-sync-broken`;
	const copy = testCopy(loadTemplate(SYNC_TEMPLATE), {
		name,
		webhookPath: path,
		credentials: context.credentials,
		parameters: {
			'Sync to Bitable': {
				base: {
					__rl: true,
					mode: 'url',
					value: bitableLink(feishu.appToken, 'tblDoesNotExist0'),
				},
			},
		},
	});
	copy.settings = { ...copy.settings, errorWorkflow: alertId };
	await deploy(rest, copy);
	return { name, run: async () => (await trigger(n8nBaseUrl, path)).status };
}
