import { createTestDatabase, type TestDatabase } from '../../harness';
import {
	MySqlConnectionError,
	MySqlQueryError,
	MySqlSession,
	closePool,
	createPool,
	diffCounters,
	readSessionCounters,
	testConnection,
	type MySqlPool,
	type RowsResult,
} from '../../../lib/mysql';

let db: TestDatabase;
let pool: MySqlPool;

beforeAll(async () => {
	db = await createTestDatabase('ss');
	await db.admin.query('CREATE TABLE n (id INT PRIMARY KEY, ts TIMESTAMP NULL, dt DATETIME NULL)');
	await db.admin.query('INSERT INTO n (id) SELECT seq FROM seq_1_to_20000');
	pool = createPool(db.credentials);
});
afterAll(async () => {
	await closePool(pool);
	await db.drop();
});

test('a row cap stops reading: the server sends far fewer rows than the table holds', async () => {
	const session = new MySqlSession(pool, db.credentials);
	const connection = await session.connect();
	const threadId = connection.threadId;
	const [result] = (await session.run(
		{ sql: 'SELECT * FROM n ORDER BY id', values: [] },
		{ maxRows: 10 },
	)) as RowsResult[];
	expect(result.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	expect(result.truncated).toBe(true);
	// The capped connection was dropped (the server stops sending); the session opens a fresh one.
	const next = await session.connect();
	expect(next.threadId).not.toBe(threadId);
	const [again] = (await session.run(
		{ sql: 'SELECT id FROM n WHERE id <= ?', values: [3] },
		{ maxRows: 10 },
	)) as RowsResult[];
	expect(again.truncated).toBe(false);
	expect(again.rows.length).toBe(3);
	session.release();
});

test('the session runs in the credential time zone (TIMESTAMP and NOW agree with it)', async () => {
	const session = new MySqlSession(pool, { ...db.credentials, timezone: '+08:00' });
	const [result] = (await session.run({
		sql: "SELECT @@session.time_zone AS tz, CAST('2024-01-01 00:00:00' AS DATETIME) AS d",
		values: [],
	})) as RowsResult[];
	expect(result.rows[0]).toEqual({ tz: '+08:00', d: '2024-01-01T00:00:00+08:00' });
	session.release();
});

test('session counters see exactly the rows a statement sent', async () => {
	const session = new MySqlSession(pool, db.credentials);
	const connection = await session.connect();
	const before = await readSessionCounters(connection);
	await session.run({ sql: 'SELECT id FROM n WHERE id > ? ORDER BY id LIMIT 25', values: [100] });
	const used = diffCounters(before, await readSessionCounters(connection));
	expect(used.rowsSent).toBe(25);
	expect(used.handlerReadRndNext).toBe(0);
	session.release();
});

test('server errors keep their code; connection errors name host and port', async () => {
	const session = new MySqlSession(pool, db.credentials);
	await expect(session.run({ sql: 'SELECT * FROM missing', values: [] })).rejects.toMatchObject({
		constructor: MySqlQueryError,
		code: 'ER_NO_SUCH_TABLE',
		errno: 1146,
	});
	session.release();
	const wrong = { ...db.credentials, password: 'not-the-password-123' };
	const err = await testConnection(wrong).catch((e) => e);
	expect(err).toBeInstanceOf(MySqlConnectionError);
	expect(err.message).toContain(`${db.credentials.host}:${db.credentials.port}`);
	expect(err.message).toContain('password');
	expect(err.message).not.toContain('not-the-password-123');
});

test('SSL modes: required/verify need TLS on the server and say so when it has none', async () => {
	const [[ssl]] = (await db.admin.query("SHOW VARIABLES LIKE 'have_ssl'")) as unknown as [[{ Value: string }]];
	const required = await testConnection({ ...db.credentials, ssl: 'required' }).then(
		() => undefined,
		(e: Error) => e,
	);
	if (ssl.Value === 'YES') {
		// Encrypted without checking the certificate: connects.
		expect(required).toBeUndefined();
	} else {
		expect(required?.message).toBe(
			`Cannot connect to MySQL at ${db.credentials.host}:${db.credentials.port}: the server does not support SSL, but the credential requires it`,
		);
	}
});
