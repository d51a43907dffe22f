/**
 * Record Status > Reconcile Stuck Uploads against MariaDB and a local HTTP server standing in for the artefact store:
 * found artefacts requeue the task, missing ones mark it Failed with the reason (or delete it), an unknown answer
 * (HTTP 500, a private address not allowed) leaves it alone, queued tasks are skipped; batches and counts reported.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { RowDataPacket } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '../harness';
import { parseTimeZone, toMySqlDateTime } from '../../lib/mysql/timeZone';
import { MYSQL_TASKS, runOnlyBackend, runStatus } from './recordStatusCases';
import { type ArtefactStore, startArtefactStore } from './scheduledTemplate';

let db: TestDatabase;
let store: ArtefactStore;
let base: string;
let heads: string[];
beforeAll(async () => {
	db = await createTestDatabase('rsrec');
	store = await startArtefactStore((url) => (url === '/ok.png' ? 200 : url === '/broken.png' ? 500 : 404));
	base = store.base;
	heads = store.requests;
});
afterAll(async () => {
	await store.close();
	await db.drop();
});

const TRANSITIONS = 'Pending -> Processing\nProcessing -> Completed, Failed, Pending\nFailed -> Pending';
const backend = () =>
	runOnlyBackend(db.credentials as unknown as ICredentialDataDecryptedObject, {
		...MYSQL_TASKS,
		mysqlTable: 'jobs',
		transitions: TRANSITIONS,
	});

async function seed(
	rows: Array<{ key: string; status?: string; minutesAgo: number; url?: string; queuedAt?: string }>,
) {
	await db.admin.query('DROP TABLE IF EXISTS jobs');
	await db.admin
		.query(`CREATE TABLE jobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, taskId VARCHAR(64) NOT NULL UNIQUE, status VARCHAR(20), version INT NOT NULL DEFAULT 0,
		statusSource VARCHAR(20), statusAt DATETIME(3), resultUrl VARCHAR(255), error TEXT, queuedAt DATETIME NULL)`);
	for (const r of rows) {
		// status times in the credential's time zone, as the store reads them (backdated, never waited for)
		const at = toMySqlDateTime(new Date(Date.now() - r.minutesAgo * 60_000), parseTimeZone(db.credentials.timezone));
		await db.admin.query(
			'INSERT INTO jobs (taskId, status, version, statusAt, resultUrl, queuedAt) VALUES (?, ?, 1, ?, ?, ?)',
			[r.key, r.status ?? 'Processing', at, r.url ?? null, r.queuedAt ?? null],
		);
	}
}
const jobs = async () => {
	const [rows] = await db.admin.query<RowDataPacket[]>(
		'SELECT taskId, status, version, error, statusSource FROM jobs ORDER BY taskId',
	);
	return Object.fromEntries(rows.map((r) => [r.taskId, r]));
};
const RECONCILE = {
	operation: 'reconcileStuck',
	stuckStatus: 'Processing',
	minAgeMinutes: 30,
	urlField: 'resultUrl',
	reasonField: 'error',
	queuedField: 'queuedAt',
	batchSize: 2,
};

it('HTTP HEAD: requeues when the artefact exists, marks Failed with the reason when it is gone, leaves unknown and queued ones, in batches', async () => {
	await seed([
		{ key: 'ok', minutesAgo: 120, url: `${base}/ok.png` },
		{ key: 'gone', minutesAgo: 90, url: `${base}/gone.png` },
		{ key: 'broken', minutesAgo: 80, url: `${base}/broken.png` },
		{ key: 'queued', minutesAgo: 70, url: `${base}/ok.png`, queuedAt: '2024-05-01 00:00:00' },
		{ key: 'fresh', minutesAgo: 5, url: `${base}/gone.png` },
		{ key: 'done', status: 'Completed', minutesAgo: 500, url: `${base}/gone.png` },
	]);
	heads.length = 0;
	const r = await runStatus(backend(), { ...RECONCILE, reconcileOptions: { allowPrivateNetwork: true } }, [{}]);
	expect(r.error).toBeUndefined();
	const out = r.json('Status');
	expect(out[out.length - 1]).toMatchObject({ found: 4, requeued: 1, cleaned: 1, skipped: 1, errors: 1, batches: 2 });
	expect(Object.fromEntries(out.slice(0, -1).map((o) => [o.key, o.action]))).toEqual({
		ok: 'requeued',
		gone: 'cleaned',
		broken: 'error',
		queued: 'skipped',
	});
	const after = await jobs();
	expect(after.ok).toMatchObject({ status: 'Pending', version: 2, statusSource: 'reconciler' });
	expect(after.gone).toMatchObject({ status: 'Failed', version: 2 });
	expect(after.gone.error).toMatch(/stuck upload: HEAD .*gone\.png: 404/);
	expect(after.broken).toMatchObject({ status: 'Processing', version: 1 }); // HTTP 500: not known, not cleaned up
	expect(after.queued).toMatchObject({ status: 'Processing', version: 1 });
	expect(after.fresh).toMatchObject({ status: 'Processing', version: 1 });
	expect(after.done.status).toBe('Completed');
	expect(heads.every((h) => h.startsWith('HEAD '))).toBe(true);
	expect(heads).toHaveLength(3); // the queued task's artefact is not even checked
});

it('a private artefact URL is not checked unless allowed: the task is left as it is', async () => {
	await seed([{ key: 'private', minutesAgo: 120, url: `${base}/gone.png` }]);
	heads.length = 0;
	const r = await runStatus(backend(), RECONCILE, [{}]);
	expect(r.json('Status')[0]).toMatchObject({ key: 'private', action: 'error' });
	expect(heads).toEqual([]);
	expect((await jobs()).private).toMatchObject({ status: 'Processing', version: 1 });
});

it('row in a table, delete option: requeues when the row exists, deletes the task when it does not (only if unchanged)', async () => {
	await seed([
		{ key: 'has-row', minutesAgo: 120 },
		{ key: 'no-row', minutesAgo: 120 },
	]);
	await db.admin.query('DROP TABLE IF EXISTS gen_results');
	await db.admin.query('CREATE TABLE gen_results (task_id VARCHAR(64) PRIMARY KEY)');
	await db.admin.query("INSERT INTO gen_results VALUES ('has-row')");
	const r = await runStatus(
		backend(),
		{
			...RECONCILE,
			artefactCheck: 'mysqlRow',
			artefactTable: 'gen_results',
			artefactColumn: 'task_id',
			whenMissing: 'delete',
		},
		[{}],
	);
	expect(r.error).toBeUndefined();
	expect(r.json('Status').at(-1)).toMatchObject({ found: 2, requeued: 1, cleaned: 1, whenMissing: 'delete' });
	const after = await jobs();
	expect(after['has-row'].status).toBe('Pending');
	expect(after['no-row']).toBeUndefined();
});

it('a requeue status the transitions do not know is refused before anything is read or written', async () => {
	await seed([{ key: 'x', minutesAgo: 120, url: `${base}/ok.png` }]);
	const r = await runStatus(backend(), { ...RECONCILE, requeueStatus: 'Queued' }, [{}]);
	expect(r.error?.message).toMatch(/"Requeue Status" "Queued" is not a status/);
	expect((await jobs()).x).toMatchObject({ status: 'Processing', version: 1 });
});
