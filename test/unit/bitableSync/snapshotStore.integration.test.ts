/**
 * The sync's snapshot kept in MySQL (lib/bitableSync/snapshotStore.ts): saved by one process, loaded by another, so
 * an unchanged re-sync on another worker still costs 3 calls; an unreadable row means a full read, not an error.
 */
import { createTestDatabase, type TestDatabase } from '../../harness/mysql';
import { runSync, sessionClient, type SyncRequest } from '../../../lib/bitableSync';
import { mysqlSnapshotStore } from '../../../lib/bitableSync/snapshotStore';
import { closePool, createPool } from '../../../lib/mysql/pool';
import { APP_TOKEN, startSetup, type Setup } from '../feishu/emulatorSetup';

let setup: Setup;
let db: TestDatabase;
beforeAll(async () => {
	setup = await startSetup();
	db = await createTestDatabase('snap');
});
afterAll(async () => {
	await setup.close();
	await db.drop();
});

it('one process saves the snapshot, another loads it and re-syncs for 3 calls', async () => {
	const tableId = await setup.emu.admin.createTable({
		appToken: APP_TOKEN,
		name: 'Snap store',
		fields: [
			{ field_name: 'Key', type: 1 },
			{ field_name: 'Amount', type: 2 },
			{ field_name: 'Modified', type: 1002 },
		],
		primaryField: 'Key',
	});
	const items = Array.from({ length: 800 }, (_, i) => ({ index: i, values: { Key: `k${i}`, Amount: i } }));
	const request = (previous: SyncRequest['snapshot']): SyncRequest => ({
		appToken: APP_TOKEN,
		tableId,
		mode: 'upsert',
		keyFields: ['Key'],
		items,
		snapshot: previous,
	});
	const scope = `snapshot:${APP_TOKEN}/${tableId}`;
	const poolA = createPool(db.credentials as never, { connectionLimit: 1 });
	const poolB = createPool(db.credentials as never, { connectionLimit: 1 });
	try {
		const first = await runSync(sessionClient(setup.session()), request({ fullReadEvery: 0 }));
		await mysqlSnapshotStore(poolA).save(scope, first.snapshot!);
		const loaded = await mysqlSnapshotStore(poolB).load(scope);
		expect(loaded).toEqual(first.snapshot);
		const again = await runSync(sessionClient(setup.session()), request({ previous: loaded, fullReadEvery: 0 }));
		expect(again.summary).toMatchObject({ unchanged: 800, tableRead: 'changedSince' });
		expect(again.summary.apiCalls).toBeLessThanOrEqual(3);

		await db.admin.query('UPDATE bitable_sync_snapshots SET snapshot = ? WHERE scope = ?', ['{not json', scope]);
		expect(await mysqlSnapshotStore(poolB).load(scope)).toBeUndefined();
		expect(await mysqlSnapshotStore(poolB).load('snapshot:none/none')).toBeUndefined();
	} finally {
		await closePool(poolA);
		await closePool(poolB);
	}
});
