/**
 * Where a sync's snapshot (snapshot.ts) is kept between runs when n8n's static data will not do: a MySQL table shared
 * by every process and worker (static data is saved only after production runs, and per workflow). One row per
 * table synced (scope), the snapshot as JSON; created on first use.
 */
import type { SyncSnapshot } from './snapshot';

export interface SnapshotStore {
	load(scope: string): Promise<SyncSnapshot | undefined>;
	save(scope: string, snapshot: SyncSnapshot): Promise<void>;
	remove(scope: string): Promise<void>;
}

type Query = { query(sql: string, values?: unknown[]): Promise<unknown> };

export function mysqlSnapshotStore(pool: Query, table = 'bitable_sync_snapshots'): SnapshotStore {
	if (!/^[A-Za-z0-9_]{1,64}$/.test(table)) throw new Error(`"${table}" is not a plain table name (letters, digits, _)`);
	let ready: Promise<unknown> | undefined;
	const prepared = () =>
		(ready ??= pool.query(
			`CREATE TABLE IF NOT EXISTS \`${table}\` (scope VARCHAR(191) NOT NULL PRIMARY KEY, snapshot LONGTEXT NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)`,
		));
	return {
		async load(scope) {
			await prepared();
			const [rows] = (await pool.query(`SELECT snapshot FROM \`${table}\` WHERE scope = ?`, [scope])) as [
				{ snapshot: string }[],
			];
			if (!rows.length) return undefined;
			try {
				return JSON.parse(rows[0].snapshot) as SyncSnapshot;
			} catch {
				return undefined; // unreadable: the run reads the whole table and writes a fresh one
			}
		},
		async save(scope, snapshot) {
			await prepared();
			await pool.query(
				`INSERT INTO \`${table}\` (scope, snapshot) VALUES (?, ?) ON DUPLICATE KEY UPDATE snapshot = VALUES(snapshot)`,
				[scope, JSON.stringify(snapshot)],
			);
		},
		async remove(scope) {
			await prepared();
			await pool.query(`DELETE FROM \`${table}\` WHERE scope = ?`, [scope]);
		},
	};
}
