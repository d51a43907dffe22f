import * as net from 'net';
import type { ICredentialTestFunctions, NodeOperationError } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase } from '../harness';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { expectNoOpenConnections, queryRunner } from './mysqlQuery.shared';

let db: TestDatabase;
const cred = () => ({ mySqlApi: db.credentials });

beforeAll(async () => {
	db = await createTestDatabase('mq');
	await db.admin.query('CREATE TABLE people (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)');
	await db.admin.query("INSERT INTO people (name) VALUES ('alice'), ('bob'), ('carol')");
});
afterAll(async () => {
	await db.drop();
});

const select = (query: string, values: string[], more: Record<string, unknown> = {}) => ({
	operation: 'executeQuery',
	query,
	queryParameters: { values: values.map((value) => ({ value })) },
	...more,
});

describe('parameters', () => {
	test('each item binds its own values; output rows are paired with their item', async () => {
		const runner = queryRunner(
			select('SELECT id, name FROM people WHERE name = ? OR id = ? ORDER BY id', [
				'={{ $json.name }}',
				'={{ $json.id }}',
			]),
		);
		const r = await runner.run({
			credentials: cred(),
			pinData: {
				Start: [
					{ name: 'bob', id: 0 },
					{ name: 'nobody', id: 3 },
				],
			},
		});
		expect(r.error).toBeUndefined();
		expect(r.outputs.SQL[0].map((i) => [i.json, i.pairedItem])).toEqual([
			[{ id: 2, name: 'bob' }, { item: 0 }],
			[{ id: 3, name: 'carol' }, { item: 1 }],
		]);
	});

	test('an injection attempt stays a value: matched literally, stored literally, nothing dropped', async () => {
		const attack = "x' OR '1'='1'; DROP TABLE people; -- ";
		const find = await queryRunner(select('SELECT name FROM people WHERE name = ?', ['={{ $json.name }}'])).run({
			credentials: cred(),
			pinData: { Start: [{ name: attack }] },
		});
		expect(find.error).toBeUndefined();
		expect(find.json('SQL')).toEqual([]);
		const insert = await queryRunner(select('INSERT INTO people (name) VALUES (?)', ['={{ $json.name }}'])).run({
			credentials: cred(),
			pinData: { Start: [{ name: attack }] },
		});
		expect(insert.json('SQL')).toEqual([{ affectedRows: 1, insertId: 4, changedRows: 0 }]);
		const [rows] = await db.admin.query('SELECT name FROM people WHERE id = 4');
		expect(rows).toEqual([{ name: attack }]);
		await db.admin.query('DELETE FROM people WHERE id = 4');
	});

	test('a list value fills IN (?); once for all items runs one query paired with the first item', async () => {
		const r = await queryRunner(
			select('SELECT name FROM people WHERE id IN (?) ORDER BY id', ['={{ [1, 3] }}'], { mode: 'once' }),
		).run({ credentials: cred(), pinData: { Start: [{ a: 1 }, { a: 2 }, { a: 3 }] } });
		expect(r.outputs.SQL[0].map((i) => [i.json.name, i.pairedItem])).toEqual([
			['alice', { item: 0 }],
			['carol', { item: 0 }],
		]);
	});

	test('a value count that does not match the placeholders fails before reaching the server', async () => {
		const r = await queryRunner(select('SELECT ? AS a, ? AS b', ['1'])).run({ credentials: cred() });
		expect(r.error?.message).toBe(
			'Item 0: "Query Parameters": The query has 2 "?" placeholder(s) but 1 value(s) were given',
		);
	});
});

describe('types against real columns', () => {
	beforeAll(async () => {
		await db.admin.query(`CREATE TABLE typed (
			id INT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, small_big BIGINT, price DECIMAL(30,10),
			dt DATETIME, dt6 DATETIME(6), ts TIMESTAMP NULL, d DATE, doc JSON, blobby BLOB, vb VARBINARY(8),
			flag BIT(1), bits BIT(10), tiny TINYINT(1), dbl DOUBLE, txt TEXT, t TIME, y YEAR, e ENUM('a','b'), nothing VARCHAR(5))`);
		await db.admin.query("SET time_zone = '+00:00'");
		await db.admin.query(`INSERT INTO typed VALUES (1, 9007199254740993, 18446744073709551615, 42,
			12345678901234567890.0123456789, '2024-02-29 23:59:59', '2024-02-29 23:59:59.123456',
			'2024-03-01 00:00:00', '2024-02-29', '{"a": [1, 2.5, "x"], "n": null}', x'00ff10', x'cafe',
			b'1', b'1000000001', 1, 1.25, 'plain text', '12:34:56', 2024, 'b', NULL)`);
		await db.admin.query('SET time_zone = SYSTEM');
	});

	test('exact numbers as text, dates as ISO 8601 in the credential zone, JSON parsed, NULL null, BLOB base64', async () => {
		const r = await queryRunner(select('SELECT * FROM typed', [])).run({ credentials: cred() });
		expect(r.error).toBeUndefined();
		expect(r.json('SQL')).toEqual([
			{
				id: 1,
				big: '9007199254740993',
				ubig: '18446744073709551615',
				// A BIGINT is text in every row, small or not (one type per column).
				small_big: '42',
				price: '12345678901234567890.0123456789',
				dt: '2024-02-29T23:59:59+08:00',
				dt6: '2024-02-29T23:59:59.123456+08:00',
				// Stored as 00:00 UTC, read in the credential's +08:00.
				ts: '2024-03-01T08:00:00+08:00',
				d: '2024-02-29',
				doc: { a: [1, 2.5, 'x'], n: null },
				blobby: 'AP8Q',
				vb: 'yv4=',
				flag: true,
				bits: 513,
				tiny: 1,
				dbl: 1.25,
				txt: 'plain text',
				t: '12:34:56',
				y: 2024,
				e: 'b',
				nothing: null,
			},
		]);
	});

	test('bound values (binary protocol) give the same shapes, midnight and zero fractions included', async () => {
		const text = await queryRunner(select('SELECT * FROM typed', [])).run({ credentials: cred() });
		const bound = await queryRunner(select('SELECT * FROM typed WHERE id = ?', ['1'])).run({ credentials: cred() });
		expect(bound.json('SQL')).toEqual(text.json('SQL'));
		const midnight = await queryRunner(
			select("SELECT CAST(? AS DATETIME) AS m, CAST(? AS DATETIME(3)) AS f, CAST('2024-01-01' AS DATETIME(3)) AS g", [
				'2024-01-01 00:00:00',
				'2024-01-01 10:00:00',
			]),
		).run({ credentials: cred() });
		expect(midnight.json('SQL')).toEqual([
			{ m: '2024-01-01T00:00:00+08:00', f: '2024-01-01T10:00:00.000+08:00', g: '2024-01-01T00:00:00.000+08:00' },
		]);
	});

	test('numbers by option, another time zone, BLOB as n8n binary data', async () => {
		const r = await queryRunner(
			select('SELECT big, price, ts, blobby FROM typed', [], { options: { numbers: 'number', binary: 'buffer' } }),
		).run({ credentials: { mySqlApi: { ...db.credentials, timezone: 'UTC' } } });
		expect(r.error).toBeUndefined();
		const [item] = r.outputs.SQL[0];
		expect(item.json).toEqual({ big: 9007199254740992, price: 12345678901234567000, ts: '2024-03-01T00:00:00+00:00' });
		expect(Buffer.from(item.binary!.blobby.data, 'base64')).toEqual(Buffer.from([0x00, 0xff, 0x10]));
	});
});

describe('errors', () => {
	const items = [{ t: 'people' }, { t: 'missing_table' }, { t: 'people' }];
	const perItem = select('SELECT COUNT(*) AS n FROM {{ $json.t }} WHERE name <> ?', ['zzz']);

	test('an SQL error fails the node with the server code, message and item index', async () => {
		const r = await queryRunner({ ...perItem, query: '=' + perItem.query }).run({
			credentials: cred(),
			pinData: { Start: items },
		});
		const error = r.error as NodeOperationError;
		expect(error.message).toBe(`MySQL error ER_NO_SUCH_TABLE (1146): Table '${db.name}.missing_table' doesn't exist`);
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toContain('SQLSTATE 42S02');
		await expectNoOpenConnections(db);
	});

	test('with Continue On Fail the failing item becomes an error item and the others go on', async () => {
		const r = await queryRunner({ ...perItem, query: '=' + perItem.query }, { onError: 'continueRegularOutput' }).run({
			credentials: cred(),
			pinData: { Start: items },
		});
		expect(r.error).toBeUndefined();
		expect(r.outputs.SQL[0].map((i) => [i.json, i.pairedItem])).toEqual([
			[{ n: '3' }, { item: 0 }],
			[
				{
					error: `MySQL error ER_NO_SUCH_TABLE (1146): Table '${db.name}.missing_table' doesn't exist`,
					code: 'ER_NO_SUCH_TABLE',
					errno: 1146,
					sqlState: '42S02',
				},
				{ item: 1 },
			],
			[{ n: '3' }, { item: 2 }],
		]);
	});

	test('multiple statements are refused unless allowed (and nothing runs)', async () => {
		const refused = await queryRunner(select('SELECT 1; DROP TABLE people', [])).run({ credentials: cred() });
		expect(refused.error?.message).toContain('holds 2 statements');
		const [tables] = await db.admin.query("SHOW TABLES LIKE 'people'");
		expect(tables).toHaveLength(1);
		const allowed = await queryRunner(
			select('SET @x = ?; SELECT @x + 1 AS y', ['={{ 41 }}'], { options: { allowMultipleStatements: true } }),
		).run({ credentials: cred() });
		expect(allowed.json('SQL')).toEqual([{ affectedRows: 0, insertId: 0, changedRows: 0 }, { y: 42 }]);
	});

	test('a wrong password says so, with host and port, never echoing it', async () => {
		const password = 'wrong-Pa55word-xyz';
		const r = await queryRunner(select('SELECT 1', [])).run({
			credentials: { mySqlApi: { ...db.credentials, password } },
		});
		expect(r.error?.message).toBe(
			`Cannot connect to MySQL at ${db.credentials.host}:${db.credentials.port}: access denied for user "${db.credentials.user}": the password or user name is wrong`,
		);
		expect(JSON.stringify(r.run.data.resultData)).not.toContain(password);
	});

	test('an unreachable host: refused port, and a server that never answers within the connect timeout', async () => {
		const refused = await queryRunner(select('SELECT 1', [])).run({
			credentials: { mySqlApi: { ...db.credentials, host: '127.0.0.1', port: 1 } },
		});
		expect(refused.error?.message).toBe(
			'Cannot connect to MySQL at 127.0.0.1:1: connection refused (nothing listens on that port)',
		);
		const silent = net.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as net.AddressInfo).port;
		try {
			const r = await queryRunner(select('SELECT 1', [])).run({
				credentials: { mySqlApi: { ...db.credentials, host: '127.0.0.1', port, connectTimeout: 300 } },
			});
			expect(r.error?.message).toBe(`Cannot connect to MySQL at 127.0.0.1:${port}: no answer within 300 ms`);
		} finally {
			silent.close();
		}
	});
});

describe('credential test', () => {
	const test_ = new MySqlQuery().methods.credentialTest.mySqlConnectionTest;
	const run = (data: object) =>
		test_.call({} as ICredentialTestFunctions, { id: 'c', name: 'c', type: 'mySqlApi', data: data as never });

	test('connects and runs SELECT 1', async () => {
		expect(await run(db.credentials)).toEqual({ status: 'OK', message: 'Connection successful: SELECT 1 ran' });
	});

	test('a wrong password fails saying so, without echoing it', async () => {
		const result = await run({ ...db.credentials, password: 'nope-nope-nope' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('the password or user name is wrong');
		expect(result.message).not.toContain('nope-nope-nope');
		await expectNoOpenConnections(db);
	});
});
