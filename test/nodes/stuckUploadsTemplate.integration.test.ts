/**
 * workflows/stuck-uploads-reconcile.json through the harness against MariaDB and a local HTTP server holding the
 * generated images: a stuck task whose image exists is requeued, one whose image is gone is marked Failed with the
 * reason, one whose store answers 500 is left alone; the changed ones are flagged for the Feishu write-back.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { parseTimeZone, toMySqlDateTime } from '../../lib/mysql/timeZone';
import { createTestDatabase, HarnessNodeTypes, type TestDatabase } from '../harness';
import { type ArtefactStore, scheduledTemplateRunner, startArtefactStore } from './scheduledTemplate';

const nodeTypes = new HarnessNodeTypes();
nodeTypes.register(MySqlQuery);
nodeTypes.register(RecordStatus);

let db: TestDatabase;
let store: ArtefactStore;
let base: string;
beforeAll(async () => {
	db = await createTestDatabase('stuckup');
	store = await startArtefactStore((url) => (url === '/img/ok.png' ? 200 : url === '/img/broken.png' ? 500 : 404));
	base = store.base;
});
afterAll(async () => {
	await store.close();
	await db.drop();
});

it('requeues found, fails missing (with the reason), leaves unknown, and flags the changed tasks for Feishu', async () => {
	await db.admin
		.query(`CREATE TABLE gen_tasks (id BIGINT AUTO_INCREMENT PRIMARY KEY, task_id VARCHAR(64) NOT NULL UNIQUE, status VARCHAR(20) NOT NULL,
		version INT NOT NULL DEFAULT 0, status_source VARCHAR(20) NULL, status_at DATETIME(3) NULL, result_image_urls TEXT NULL, error_message TEXT NULL,
		feishu_dirty TINYINT(1) NOT NULL DEFAULT 0)`);
	const ago = (minutes: number) =>
		toMySqlDateTime(new Date(Date.now() - minutes * 60_000), parseTimeZone(db.credentials.timezone));
	const insert = (task: string, minutes: number, urls: string[] | null) =>
		db.admin.query(
			'INSERT INTO gen_tasks (task_id, status, version, status_at, result_image_urls) VALUES (?, ?, 3, ?, ?)',
			[task, 'Processing', ago(minutes), urls ? JSON.stringify(urls) : null],
		);
	await insert('t-found', 60, [`${base}/img/ok.png`, `${base}/img/other.png`]);
	await insert('t-gone', 60, [`${base}/img/gone.png`]);
	await insert('t-none', 60, null);
	await insert('t-broken', 60, [`${base}/img/broken.png`]);
	await insert('t-young', 5, [`${base}/img/gone.png`]);

	const runner = scheduledTemplateRunner(nodeTypes, 'stuck-uploads-reconcile.json', (n, parameters) => {
		// the stand-in image store listens on 127.0.0.1
		if (n.type.endsWith('.recordStatus'))
			parameters.reconcileOptions = { ...(parameters.reconcileOptions as object), allowPrivateNetwork: true };
	});
	const r = await runner.run({ credentials: { mySqlApi: db.credentials as never } });
	expect(r.error).toBeUndefined();
	const summary = r.json('Reconcile Stuck Uploads').at(-1);
	expect(summary).toMatchObject({ found: 4, requeued: 1, cleaned: 2, errors: 1, skipped: 0 });

	const [rows] = await db.admin.query<RowDataPacket[]>(
		'SELECT task_id, status, version, error_message, feishu_dirty, status_source FROM gen_tasks ORDER BY task_id',
	);
	const by = Object.fromEntries(rows.map((row) => [row.task_id, row]));
	expect(by['t-found']).toMatchObject({ status: 'Pending', version: 4, feishu_dirty: 1, status_source: 'reconciler' });
	expect(by['t-gone']).toMatchObject({ status: 'Failed', version: 4, feishu_dirty: 1 });
	expect(by['t-gone'].error_message).toMatch(/404/);
	expect(by['t-none']).toMatchObject({ status: 'Failed', feishu_dirty: 1 });
	expect(by['t-none'].error_message).toMatch(/no valid artefact URL|no http/);
	expect(by['t-broken']).toMatchObject({ status: 'Processing', version: 3, feishu_dirty: 0 });
	expect(by['t-young']).toMatchObject({ status: 'Processing', version: 3, feishu_dirty: 0 });
});
