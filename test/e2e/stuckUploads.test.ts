/**
 * workflows/stuck-uploads-reconcile.json on the real n8n server (a test copy started by a webhook, on its own copy of
 * the task table): tasks stuck in Processing are requeued when their image answers HEAD 200, marked Failed when it is
 * gone, left alone when the image store fails; the changed ones are flagged for the Feishu write-back.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type * as mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

import { parseTimeZone, toMySqlDateTime } from '../../lib/mysql/timeZone';
import { deploy, loadTemplate, templateExists, testCopy, trigger } from './workflowCopies';
import { connectDatabase, loadSuite, type Suite } from './suite';

const TEMPLATE = 'stuck-uploads-reconcile.json';
const TABLE = 'e2e_stuck_tasks';

let suite: Suite;
let db: mysql.Connection;
let server: http.Server;
let images: string;

(templateExists(TEMPLATE) ? describe : describe.skip)(`${TEMPLATE} (test copy started by a webhook)`, () => {
	beforeAll(async () => {
		suite = await loadSuite();
		db = await connectDatabase(suite);
		server = http.createServer((req, res) => {
			res.statusCode = req.url === '/img/ok.png' ? 200 : req.url === '/img/broken.png' ? 503 : 404;
			res.end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		images = `http://127.0.0.1:${(server.address() as AddressInfo).port}/img`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await db?.end();
	});

	it('requeues tasks whose image exists, fails those whose image is gone, leaves the rest, flags the changed ones', async () => {
		await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
		await db.query(`CREATE TABLE ${TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, task_id VARCHAR(64) NOT NULL UNIQUE, status VARCHAR(20) NOT NULL,
			version INT NOT NULL DEFAULT 0, status_source VARCHAR(20) NULL, status_at DATETIME(3) NULL, result_image_urls TEXT NULL, error_message TEXT NULL,
			feishu_dirty TINYINT(1) NOT NULL DEFAULT 0)`);
		const zone = parseTimeZone(suite.mysql.timezone);
		for (const [task, minutes, image] of [
			['found', 90, 'ok.png'],
			['gone', 90, 'gone.png'],
			['broken', 90, 'broken.png'],
			['young', 2, 'gone.png'],
		] as const) {
			await db.query(
				`INSERT INTO ${TABLE} (task_id, status, version, status_at, result_image_urls) VALUES (?, 'Processing', 1, ?, ?)`,
				[task, toMySqlDateTime(new Date(Date.now() - minutes * 60_000), zone), JSON.stringify([`${images}/${image}`])],
			);
		}
		const template = loadTemplate(TEMPLATE);
		const reconciler = template.nodes.find((node) => node.name === 'Reconcile Stuck Uploads')!;
		const path = 'e2e-stuck-uploads';
		await deploy(
			suite.rest,
			testCopy(template, {
				name: 'e2e: stuck uploads reconciler',
				webhookPath: path,
				credentials: suite.credentials,
				parameters: {
					// the stand-in image store listens on 127.0.0.1
					'Reconcile Stuck Uploads': {
						mysqlTable: TABLE,
						reconcileOptions: { ...(reconciler.parameters.reconcileOptions as object), allowPrivateNetwork: true },
					},
					'Mark for Feishu': { query: `UPDATE ${TABLE} SET feishu_dirty = 1 WHERE task_id = ?` },
				},
			}),
		);
		const response = await trigger(suite.instance.baseUrl, path);
		expect(response.status).toBe(200);
		const [rows] = await db.query<RowDataPacket[]>(
			`SELECT task_id, status, version, error_message, feishu_dirty FROM ${TABLE} ORDER BY task_id`,
		);
		const by = Object.fromEntries(rows.map((row) => [row.task_id, row]));
		expect(by.found).toMatchObject({ status: 'Pending', version: 2, feishu_dirty: 1 });
		expect(by.gone).toMatchObject({ status: 'Failed', version: 2, feishu_dirty: 1 });
		expect(by.gone.error_message).toMatch(/404/);
		expect(by.broken).toMatchObject({ status: 'Processing', version: 1, feishu_dirty: 0 });
		expect(by.young).toMatchObject({ status: 'Processing', version: 1, feishu_dirty: 0 });
	});
});
