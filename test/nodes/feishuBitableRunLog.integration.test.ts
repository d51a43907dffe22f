/**
 * Sync's run log against MariaDB and the Feishu emulator: `sync_logs` is created on first use and gets one row per
 * run (success with counts and API calls, failure with its error, dry run), with the n8n execution id; a run log
 * without the MySQL credential is refused before anything is read or written.
 */
import type { RowDataPacket } from 'mysql2/promise';
import type { IDataObject } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase } from '../harness/mysql';
import { useKit, type Kit } from './feishuBitableKit';

const kit = useKit();
let db: TestDatabase;
beforeAll(async () => {
	db = await createTestDatabase('runlog');
});
afterAll(async () => {
	await db.drop();
});

const credentials = () => ({ ...kit.credentials, mySqlApi: db.credentials }) as unknown as Kit['credentials'];
const logRows = async (table = 'sync_logs') => {
	const [rows] = await db.admin.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY id`);
	return rows;
};

describe('Sync run log (sync_logs)', () => {
	it('creates the table on first use and logs each run: success with counts, dry run, then a failure with its error', async () => {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Qty', type: 2 },
		]);
		/** A logged sync (table lock and run log in MySQL) of the Start items. */
		const sync = (options: Record<string, unknown>, items: IDataObject[]) =>
			kit
				.sync(
					tableId,
					{
						mode: 'upsert',
						keyFields: ['Code'],
						tableLock: 'mysql',
						syncOptions: { runLogTable: 'sync_logs', ...options },
					},
					{ credentials: ['feishuAppApi', 'mySqlApi'] },
				)
				.run({ credentials: credentials(), pinData: { Start: items } });
		const [before] = await db.admin.query<RowDataPacket[]>(
			"SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'sync_logs'",
		);
		expect(before[0].n).toBe(0);

		const ok = await sync({}, [
			{ Code: 'A', Qty: 1 },
			{ Code: 'B', Qty: 2 },
		]);
		expect(ok.error).toBeUndefined();
		const summary = ok.json('Bitable')[0];
		expect(summary).toMatchObject({ created: 2, runLog: 'written' });

		const dry = await sync({ dryRun: true }, [{ Code: 'C', Qty: 3 }]);
		expect(dry.error).toBeUndefined();

		// Qty "lots" is no number: the sync stops before writing, and the log says so
		const bad = await sync({}, [{ Code: 'D', Qty: 'lots' }]);
		expect(bad.error).toBeDefined();

		const rows = await logRows();
		expect(rows.map((r) => [r.job, r.status, r.created_count, r.failed_count])).toEqual([
			['bitable_sync', 'success', 2, 0],
			['bitable_sync', 'dry_run', 1, 0], // a dry run logs what it would have written
			['bitable_sync', 'failed', 0, 0],
		]);
		expect(rows[0]).toMatchObject({
			api_calls: summary.apiCalls,
			node_name: 'Bitable',
			target: `bascnSyncTestBase0000000001/${tableId}`,
			error_text: null,
		});
		expect(rows[0].api_calls).toBeGreaterThan(0);
		expect(rows[0].execution_id).toBeTruthy();
		expect(new Date(rows[0].ended_at).getTime()).toBeGreaterThanOrEqual(new Date(rows[0].started_at).getTime());
		expect(rows[2].error_text).toMatch(/Qty/);
		expect((await kit.dump(tableId)).map((d) => d.plain.Code).sort()).toEqual(['A', 'B']);
	});

	it('a run log without the MySQL credential (Table Lock not MySQL) is refused before anything is read or written', async () => {
		const tableId = await kit.newTable([{ field_name: 'Code', type: 1 }]);
		await kit.emu.admin.resetCounters();
		const r = await kit.run(
			kit.sync(tableId, {
				mode: 'upsert',
				keyFields: ['Code'],
				tableLock: 'process',
				syncOptions: { runLogTable: 'sync_logs' },
			}),
			[{ Code: 'A' }],
		);
		expect(r.error?.message).toMatch(/Run Log Table \(MySQL\)" needs the MySQL credential/);
		expect((r.error as { description?: string }).description).toMatch(/MySQL Named Lock/);
		expect(await kit.dump(tableId)).toEqual([]);
		expect((await kit.emu.admin.counters()).writeCalls).toBe(0);
	});
});
