/**
 * MySQL Query, bad input: each case fails naming the item, the field and what to do, and nothing is
 * written (the `log` table the queries would write stays empty; no watermark is recorded).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase } from '../../harness';
import { queryRunner } from '../mysqlQuery.shared';
import { expectClearError, type ClearError } from './expectClearError';

let db: TestDatabase;

beforeAll(async () => {
	db = await createTestDatabase('bad');
	await db.admin.query('CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
	await db.admin.query(
		'CREATE TABLE events (id INT PRIMARY KEY, code VARCHAR(10), updated_at DATETIME NOT NULL, INDEX by_change (updated_at))',
	);
	await db.admin.query(
		'CREATE TABLE pairs (code VARCHAR(10) NOT NULL, updated_at DATETIME NOT NULL, UNIQUE KEY one (updated_at, code))',
	);
	await db.admin.query('CREATE VIEW events_view AS SELECT id, code, updated_at FROM events');
	await db.admin.query(
		"INSERT INTO events VALUES (1, 'a', '2024-05-01 10:00:00'), (2, 'b', '2024-05-01 10:00:00'), (3, 'a', '2024-05-01 10:00:01')",
	);
	await db.admin.query("INSERT INTO pairs VALUES ('a', '2024-05-01 10:00:00'), ('b', '2024-05-01 10:00:00')");
});
afterAll(async () => {
	await db.drop();
});
beforeEach(async () => {
	await db.admin.query('DELETE FROM log');
});

const insert = (more: INodeParameters = {}): INodeParameters => ({
	operation: 'executeQuery',
	query: 'INSERT INTO log (v) VALUES (?)',
	queryParameters: { values: [{ value: '={{ $json.v }}' }] },
	...more,
});
const read = (more: INodeParameters = {}): INodeParameters => ({
	operation: 'readChanges',
	watermarkName: 'events',
	table: 'events',
	columns: '*',
	watermarkColumn: 'updated_at',
	tieBreakerColumn: 'id',
	maxRows: 100,
	...more,
});

const cases: Array<[string, INodeParameters, IDataObject[], ClearError]> = [
	[
		'Max Rows below 0',
		insert({ options: { maxRows: -1 } }),
		[{ v: 1 }],
		{ item: 0, field: '"Max Rows"', todo: /Set "Max Rows" to a whole number of at least 0 \(0 = no limit\)/ },
	],
	[
		'Max Rows that is not a number',
		insert({ options: { maxRows: '={{ $json.cap }}' } }),
		[{ v: 1, cap: 'ten' }],
		{ item: 0, field: '"Max Rows"', todo: /Set "Max Rows"/ },
	],
	[
		'Max Rows that is not whole',
		insert({ options: { maxRows: 2.5 } }),
		[{ v: 1 }],
		{ item: 0, field: '"Max Rows"', todo: /whole number/ },
	],
	[
		'Max Rows of the second item only',
		insert({ options: { maxRows: '={{ $json.cap }}' } }),
		[
			{ v: 1, cap: 5 },
			{ v: 2, cap: -3 },
		],
		{ item: 1, field: '"Max Rows"', todo: /check what it gives for item 1/ },
	],
	[
		'Max Rows with several statements',
		insert({
			query: 'INSERT INTO log (v) VALUES (?); SELECT * FROM log',
			options: { maxRows: 5, allowMultipleStatements: true },
		}),
		[{ v: 1 }],
		{
			item: 0,
			field: '"Max Rows" cannot be used with several statements',
			todo: /Remove "Max Rows" and put a LIMIT in each statement/,
		},
	],
	[
		'several statements not allowed',
		insert({ query: 'INSERT INTO log (v) VALUES (?); DELETE FROM log' }),
		[{ v: 1 }],
		{ item: 0, field: '"Query"', todo: /Turn on "Allow Multiple Statements"/ },
	],
	[
		'fewer values than placeholders',
		insert({ query: 'INSERT INTO log (id, v) VALUES (?, ?)' }),
		[{ v: 1 }],
		{ item: 0, field: '"Query Parameters"', todo: /one Query Parameter per "\?"/ },
	],
	[
		'Max Rows per Run of 0',
		read({ maxRows: 0 }),
		[{}],
		{ item: 0, field: '"Max Rows per Run"', todo: /a whole number of at least 1/ },
	],
	[
		'Max Rows per Run below 0',
		read({ maxRows: -100 }),
		[{}],
		{ item: 0, field: '"Max Rows per Run"', todo: /a whole number of at least 1/ },
	],
	[
		'Max Rows per Run that is not a number',
		read({ maxRows: '={{ "all" }}' }),
		[{}],
		{ item: 0, field: '"Max Rows per Run"', todo: /Set "Max Rows per Run"/ },
	],
	[
		'Overlap below 0',
		read({ options: { overlap: -5 } }),
		[{}],
		{ item: 0, field: '"Overlap (Seconds)"', todo: /a number of at least 0/ },
	],
	[
		'Overlap that is not a number',
		read({ options: { overlap: '={{ "a while" }}' } }),
		[{}],
		{ item: 0, field: '"Overlap (Seconds)"', todo: /Set "Overlap \(Seconds\)"/ },
	],
	[
		'an empty watermark name',
		read({ watermarkName: '={{ "" }}' }),
		[{}],
		{ item: 0, field: '"Watermark Name"', todo: /Give the watermark a name/ },
	],
	[
		'a watermark name that reaches the prototype',
		read({ watermarkName: '__proto__' }),
		[{}],
		{ item: 0, field: '"Watermark Name"', todo: /an ordinary name/ },
	],
	[
		'a tie-breaker that is not unique',
		read({ tieBreakerColumn: 'code' }),
		[{}],
		{ item: 0, field: '"Tie-Breaker Column"', todo: /primary key or another column with a UNIQUE index/ },
	],
	[
		'no tie-breaker beside a watermark that is not unique',
		read({ tieBreakerColumn: '={{ "" }}' }),
		[{}],
		{ item: 0, field: '"Tie-Breaker Column"', todo: /primary key/ },
	],
	[
		'the watermark column as its own tie-breaker, not unique',
		read({ tieBreakerColumn: 'updated_at' }),
		[{}],
		{ item: 0, field: '"Tie-Breaker Column"', todo: /primary key/ },
	],
	[
		'a view without a tie-breaker',
		read({ table: 'events_view', tieBreakerColumn: '={{ "" }}' }),
		[{}],
		{ item: 0, field: '"Tie-Breaker Column"', todo: /Set Tie-Breaker Column/ },
	],
	[
		'Commit Watermark with a reserved name',
		{ operation: 'commitWatermark', watermarkName: 'constructor' },
		[{}],
		{ item: 0, field: '"Watermark Name"', todo: /an ordinary name/ },
	],
];

describe('MySQL Query refuses bad input before writing', () => {
	it.each(cases)('%s', async (_name, parameters, items, clear) => {
		const runner = queryRunner(parameters);
		const r = await runner.run({ credentials: { mySqlApi: db.credentials }, pinData: { Start: items } });
		expectClearError(r.error, clear);
		const [[{ n }]] = (await db.admin.query('SELECT COUNT(*) AS n FROM log')) as unknown as [[{ n: number }]];
		expect(n).toBe(0);
		expect(Object.keys((runner.staticData.mySqlQueryWatermarks as object | undefined) ?? {})).toEqual([]);
	});

	it('the same reads pass with a unique tie-breaker: the primary key, a unique pair, a unique watermark, a view with one named', async () => {
		for (const parameters of [
			read(),
			read({ table: 'pairs', tieBreakerColumn: 'code' }),
			read({ watermarkColumn: 'id', tieBreakerColumn: '={{ "" }}' }),
			read({ table: 'events_view' }),
		]) {
			const r = await queryRunner(parameters).run({ credentials: { mySqlApi: db.credentials } });
			expect(r.error).toBeUndefined();
			expect(r.json('SQL').length).toBeGreaterThan(0);
		}
	});
});
