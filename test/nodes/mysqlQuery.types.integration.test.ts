import type { INodeParameters } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase } from '../harness';
import { queryRunner } from './mysqlQuery.shared';

// One type per column, whatever the values: what a workflow branching on a column's type can rely on.
// Both protocols: a query without values runs as text (our own row parser), one with values as a
// prepared statement (mysql2's parser, converted after).

let db: TestDatabase;

beforeAll(async () => {
	db = await createTestDatabase('mqt');
	await db.admin.query(`CREATE TABLE mixed (
		id INT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, price DECIMAL(30,4), wide BIT(64), narrow BIT(20))`);
	await db.admin.query(`INSERT INTO mixed VALUES
		(1, 42, 7, 1.5, b'101', b'11'),
		(2, 9007199254740993, 18446744073709551615, 12345678901234567890.1234, x'ffffffffffffffff', b'11111111111111111111'),
		(3, -9223372036854775808, 0, -0.0001, b'0', b'0'),
		(4, NULL, NULL, NULL, NULL, NULL)`);
	await db.admin.query(`CREATE TABLE texts (
		id INT PRIMARY KEY, u VARCHAR(300) CHARACTER SET utf8mb4, g VARCHAR(20) CHARACTER SET gbk,
		l VARCHAR(20) CHARACTER SET latin1, m VARCHAR(20) CHARACTER SET utf8mb3, b VARBINARY(300), dt DATETIME, dt3 DATETIME(3))`);
	await db.admin.query(
		`INSERT INTO texts VALUES (1, ?, '中文', 'café', 'naïve', x'00ff', '2024-07-01 12:00:00', '2024-01-01 12:00:00.250'),
		                         (2, ?, NULL, NULL, NULL, ?, '2024-01-01 00:00:00', NULL)`,
		['飞书 ✓ 😀', 'x'.repeat(260), Buffer.alloc(260, 7)],
	);
});
afterAll(async () => {
	await db.drop();
});

const run = async (query: string, values: string[], options: INodeParameters = {}, timezone = '+08:00') => {
	const r = await queryRunner({
		operation: 'executeQuery',
		query,
		queryParameters: { values: values.map((value) => ({ value })) },
		options,
	}).run({ credentials: { mySqlApi: { ...db.credentials, timezone } } });
	expect(r.error).toBeUndefined();
	return r.json('SQL');
};

const bothProtocols = [
	['text protocol', 'SELECT * FROM mixed ORDER BY id', []],
	['binary protocol', 'SELECT * FROM mixed WHERE id > ? ORDER BY id', ['0']],
] as const;

describe.each(bothProtocols)('BIGINT, DECIMAL and BIT: one type per column (%s)', (_name, query, values) => {
	test('default: exact text in every row, small values included; NULL stays null', async () => {
		expect(await run(query, [...values])).toEqual([
			{ id: 1, big: '42', ubig: '7', price: '1.5000', wide: '5', narrow: 3 },
			{
				id: 2,
				big: '9007199254740993',
				ubig: '18446744073709551615',
				price: '12345678901234567890.1234',
				wide: '18446744073709551615',
				narrow: 1048575,
			},
			{ id: 3, big: '-9223372036854775808', ubig: '0', price: '-0.0001', wide: '0', narrow: 0 },
			{ id: 4, big: null, ubig: null, price: null, wide: null, narrow: null },
		]);
	});

	test('Exact Numbers As Number: numbers in every row (large ones rounded)', async () => {
		expect(await run(query, [...values], { numbers: 'number' })).toEqual([
			{ id: 1, big: 42, ubig: 7, price: 1.5, wide: 5, narrow: 3 },
			{
				id: 2,
				big: 9007199254740992,
				ubig: 18446744073709552000,
				price: 12345678901234567000,
				wide: 18446744073709552000,
				narrow: 1048575,
			},
			{ id: 3, big: -9223372036854776000, ubig: 0, price: -0.0001, wide: 0, narrow: 0 },
			{ id: 4, big: null, ubig: null, price: null, wide: null, narrow: null },
		]);
	});
});

describe('text and dates read straight from the packet', () => {
	const expected = [
		{
			id: 1,
			u: '飞书 ✓ 😀',
			g: '中文',
			l: 'café',
			m: 'naïve',
			b: 'AP8=',
			dt: '2024-07-01T12:00:00+08:00',
			dt3: '2024-01-01T12:00:00.250+08:00',
		},
		{
			id: 2,
			// Over 250 bytes: a longer length prefix.
			u: 'x'.repeat(260),
			g: null,
			l: null,
			m: null,
			b: Buffer.alloc(260, 7).toString('base64'),
			dt: '2024-01-01T00:00:00+08:00',
			dt3: null,
		},
	];

	test('every character set, binary as base64, DATETIME as ISO in the credential zone; both protocols agree', async () => {
		expect(await run('SELECT * FROM texts ORDER BY id', [])).toEqual(expected);
		expect(await run('SELECT * FROM texts WHERE id > ? ORDER BY id', ['0'])).toEqual(expected);
	});

	test('a zone with daylight saving gives each date its own offset', async () => {
		const rows = await run('SELECT id, dt, dt3 FROM texts ORDER BY id', [], {}, 'Europe/Berlin');
		expect(rows).toEqual([
			{ id: 1, dt: '2024-07-01T12:00:00+02:00', dt3: '2024-01-01T12:00:00.250+01:00' },
			{ id: 2, dt: '2024-01-01T00:00:00+01:00', dt3: null },
		]);
	});

	test('zero dates are null, in both protocols', async () => {
		await db.admin.query("SET SESSION sql_mode = ''");
		await db.admin.query('CREATE TABLE zero (id INT PRIMARY KEY, dt DATETIME, d DATE)');
		await db.admin.query("INSERT INTO zero VALUES (1, '0000-00-00 00:00:00', '0000-00-00')");
		const want = [{ id: 1, dt: null, d: null }];
		expect(await run('SELECT * FROM zero', [])).toEqual(want);
		expect(await run('SELECT * FROM zero WHERE id = ?', ['1'])).toEqual(want);
	});
});
