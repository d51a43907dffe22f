import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase } from '../harness';
import { createPool, closePool, poolTimeZone } from '../../lib/mysql/pool';
import { toMySqlDateTime } from '../../lib/mysql/timeZone';
import type { MySqlPool } from '../../lib/mysql/pool';
import { defineStatusCases, MYSQL_TASKS, TASKS_DDL, type Backend, type SeedRow } from './recordStatusCases';

let db: TestDatabase;
let pool: MySqlPool;

beforeAll(async () => {
	db = await createTestDatabase('rs');
	await db.admin.query(TASKS_DDL);
	pool = createPool(db.credentials);
});

afterAll(async () => {
	await closePool(pool);
	await db.drop();
});

function mysqlBackend(): Backend {
	const zone = poolTimeZone(pool);
	return {
		name: 'mysql',
		credentialType: 'mySqlApi',
		credentials: db.credentials as unknown as ICredentialDataDecryptedObject,
		params: MYSQL_TASKS,
		async seed(rows: SeedRow[]) {
			await pool.query('DELETE FROM tasks');
			const ids = new Map<string, string>();
			for (const r of rows) {
				const [res] = await pool.query(
					'INSERT INTO tasks (taskId, status, version, statusSource, statusAt, attempts) VALUES (?, ?, ?, ?, ?, ?)',
					[
						r.key,
						r.status,
						r.version ?? 0,
						r.source ?? null,
						r.statusTime ? toMySqlDateTime(new Date(r.statusTime), zone) : null,
						r.attempts ?? 0,
					],
				);
				ids.set(r.key, String((res as { insertId: number }).insertId));
			}
			return ids;
		},
		async get(key: string) {
			const [rows] = await pool.query('SELECT * FROM tasks WHERE taskId = ?', [key]);
			const row = (rows as Array<Record<string, unknown>>)[0];
			if (!row) return undefined;
			return {
				id: String(row.id),
				status: String(row.status),
				version: Number(row.version),
				source: (row.statusSource as string | null) ?? null,
				statusTime: row.statusAt ? Date.parse(`${String(row.statusAt).replace(' ', 'T')}${zone.sessionOffset}`) : null,
				attempts: Number(row.attempts),
				note: (row.note as string | null) ?? null,
			};
		},
		async count() {
			const [rows] = await pool.query('SELECT COUNT(*) AS n FROM tasks');
			return Number((rows as Array<{ n: number }>)[0].n);
		},
	};
}

describe('Record Status on MySQL (real MariaDB)', () => {
	defineStatusCases(mysqlBackend);
});
