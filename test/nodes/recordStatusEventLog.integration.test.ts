/**
 * Record Status's event log against MariaDB: every Set Status attempt (applied, skipped with its reason, a stale
 * version) becomes a row of `status_events`, created on first use, so "what happened to this task" has an answer.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { RowDataPacket } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '../harness';
import { MYSQL_TASKS, runOnlyBackend, runStatus, TASKS_DDL, type Backend } from './recordStatusCases';

let db: TestDatabase;
beforeAll(async () => {
	db = await createTestDatabase('rsev');
	await db.admin.query(TASKS_DDL);
});
afterAll(() => db.drop());

const backend = () => runOnlyBackend(db.credentials as unknown as ICredentialDataDecryptedObject, MYSQL_TASKS);
const SET = {
	operation: 'setStatus',
	findBy: 'key',
	keyValue: '={{ $json.key }}',
	targetStatus: '={{ $json.target }}',
};

it('every transition attempt is logged: applied with the new version, skipped with why, each with source and execution id', async () => {
	await db.admin.query(
		"INSERT INTO tasks (taskId, status, version) VALUES ('T-1', 'Pending', 1), ('T-2', 'Completed', 5)",
	);
	const r = await runStatus(backend(), { ...SET, options: { eventLogTable: 'status_events', source: 'api' } }, [
		{ key: 'T-1', target: 'Processing' },
		{ key: 'T-2', target: 'Processing' },
		{ key: 'T-1', target: 'Completed' },
	]);
	expect(r.error).toBeUndefined();
	expect(r.json('Status').map((o) => o.eventLog)).toEqual([undefined, undefined, undefined]);
	const [rows] = await db.admin.query<RowDataPacket[]>('SELECT * FROM status_events ORDER BY id');
	expect(rows.map((e) => [e.record_key, e.from_status, e.to_status, e.outcome, e.version, e.source])).toEqual([
		['T-1', 'Pending', 'Processing', 'applied', 2, 'api'],
		['T-2', 'Completed', 'Processing', 'skipped', 5, 'api'],
		['T-1', 'Processing', 'Completed', 'applied', 3, 'api'],
	]);
	expect(rows[1].reason).toMatch(/^illegal_transition/);
	for (const e of rows) expect(e.execution_id).toBeTruthy();

	// a stale expected version is skipped, and the log says so
	await db.admin.query("INSERT INTO tasks (taskId, status, version) VALUES ('T-3', 'Processing', 4)");
	const stale = await runStatus(
		backend(),
		{ ...SET, options: { eventLogTable: 'status_events', expectedVersion: '1' } },
		[{ key: 'T-3', target: 'Completed' }],
	);
	expect(stale.error).toBeUndefined();
	const [after] = await db.admin.query<RowDataPacket[]>('SELECT * FROM status_events ORDER BY id DESC LIMIT 1');
	expect(after[0]).toMatchObject({
		record_key: 'T-3',
		from_status: 'Processing',
		to_status: 'Completed',
		outcome: 'skipped',
		expected_version: 1,
	});
	expect(after[0].reason).toMatch(/version/);
});

it('an event log with the Bitable store is refused before anything is read or written', async () => {
	const bitable: Backend = {
		...backend(),
		credentialType: 'feishuAppApi',
		credentials: { appId: 'cli_x', appSecret: 'secret-x', region: 'custom', baseUrl: 'http://127.0.0.1:9' },
		params: {
			store: 'bitable',
			base: { __rl: true, mode: 'id', value: 'bascnEventLog000000001' },
			table: { __rl: true, mode: 'id', value: 'tblEventLog0001' },
			keyField: 'taskId',
			statusField: 'status',
		},
	};
	const r = await runStatus(bitable, { ...SET, options: { eventLogTable: 'status_events' } }, [
		{ key: 'T-1', target: 'Failed' },
	]);
	expect(r.error?.message).toMatch(/Event Log Table \(MySQL\)" needs Store = MySQL/);
});
