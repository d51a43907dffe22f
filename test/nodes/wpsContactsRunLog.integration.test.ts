/**
 * WPS Contacts' run log against MariaDB and the WPS emulator: with Options > Run Log Table (MySQL), each Sync appends
 * one row (created on first use) with what it did, the WPS calls and the execution id; a refused run is logged failed.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { runCounts } from '../../nodes/WpsContacts/helpers/runLog';
import { rows, useNodeKit } from './wpsContacts/setup';

const kit = useNodeKit('wpslog', { tenant: 'perDescribe' });

const data = rows(
	[
		['10', '0', 'Sales'],
		['11', '10', 'North'],
	],
	[['e1', 'Ann', '11', { email: 'ann@example.com' }]],
);

test('each Sync appends one row to sync_logs: created on first use, counts, calls, execution id; a refused run is logged failed', async () => {
	const first = await kit.run({ operation: 'sync' }, data, { runLogTable: 'sync_logs' });
	expect(first.error).toBeUndefined();
	expect(first.json('WPS', 0)[0]).toMatchObject({ status: 'done', runLog: 'written' });

	// a source error (a user in a department the source does not have) refuses the run: the log says failed, with why
	const bad = rows(
		[
			['10', '0', 'Sales'],
			['11', '10', 'North'],
		],
		[
			['e1', 'Ann', '11', { email: 'ann@example.com' }],
			['e2', 'Bob', '99', { email: 'bob@example.com' }],
		],
	);
	const refused = await kit.run({ operation: 'sync' }, bad, { runLogTable: 'sync_logs' });
	expect(refused.error).toBeDefined();

	const [log] = await kit.db.admin.query<RowDataPacket[]>('SELECT * FROM sync_logs ORDER BY id');
	expect(log.map((r) => [r.job, r.status, r.created_count, r.deleted_count])).toEqual([
		['wps_contacts', 'success', 3, 0],
		['wps_contacts', 'failed', 0, 0],
	]);
	expect(log[0].api_calls).toBeGreaterThan(0);
	expect(log[0].execution_id).toBeTruthy();
	expect(log[1].error_text).toBe(refused.error!.message);
});

test('run counts: creates, deletes (disable counts as delete) and other changes of done operations; failures apart', () => {
	expect(
		runCounts({
			'dept.create': { done: 2, failed: 1 },
			'user.create': { done: 1 },
			'user.disable': { done: 4 },
			'user.update': { done: 5, skipped: 2 },
		}),
	).toEqual({
		created: 3,
		updated: 5,
		deleted: 4,
		failed: 1,
	});
});
