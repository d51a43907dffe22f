import type { IDataObject } from 'n8n-workflow';
import { MANUAL_TRIGGER, WorkflowRunner, createTestDatabase, type TestDatabase } from '../harness';
import { MYSQL_QUERY, nodeTypes } from './mysqlQuery.shared';

/** The figures: a 200,000-row table read in pages of 50,000 (smaller by env for quick local runs). */
const ROWS = Number(process.env.MYSQL_BACKFILL_ROWS ?? 200000);
const PAGE = Number(process.env.MYSQL_BACKFILL_PAGE ?? 50000);

let db: TestDatabase;

beforeAll(async () => {
	db = await createTestDatabase('bf');
	await db.admin.query(
		'CREATE TABLE big (id INT PRIMARY KEY, updated_at DATETIME NOT NULL, payload VARCHAR(40), INDEX by_change (updated_at, id))',
	);
	// Watermark values unrelated to id order, about 7 rows per value: page ends fall inside ties.
	const distinct = Math.max(1, Math.floor(ROWS / 7));
	await db.admin.query(
		`INSERT INTO big SELECT seq, '2024-01-01' + INTERVAL ((seq * 7919) % ${distinct}) SECOND, CONCAT('row ', seq) FROM seq_1_to_${ROWS}`,
	);
});
afterAll(async () => {
	await db.drop();
});

interface Counters {
	rowsSent: number;
	handlerReadKey: number;
	handlerReadNext: number;
	handlerReadRndNext: number;
	handlerReadFirst: number;
}

test(`a ${ROWS}-row backfill in pages of ${PAGE} across executions: no row missed or repeated`, async () => {
	const runner = new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Read',
				type: MYSQL_QUERY,
				credentials: ['mySqlApi'],
				parameters: {
					operation: 'readChanges',
					watermarkName: 'big',
					table: 'big',
					columns: 'id, updated_at',
					watermarkColumn: 'updated_at',
					tieBreakerColumn: 'id',
					maxRows: PAGE,
					options: { overlap: 0 },
					debugServerCounters: true,
				},
			},
			{
				name: 'Commit',
				type: MYSQL_QUERY,
				credentials: ['mySqlApi'],
				parameters: { operation: 'commitWatermark', watermarkName: 'big' },
			},
		],
		connections: [
			['Start', 'Read'],
			['Read', 'Commit'],
		],
	});
	const seen = new Uint8Array(ROWS + 1);
	let repeated = 0;
	let outOfOrder = 0;
	const pages = Math.ceil(ROWS / PAGE);
	for (let run = 0; run <= pages; run++) {
		const r = await runner.run({ credentials: { mySqlApi: db.credentials } });
		expect(r.error).toBeUndefined();
		const rows = r.json('Read');
		const expected = Math.min(PAGE, ROWS - run * PAGE);
		expect(rows.length).toBe(Math.max(0, expected));
		let previous = '';
		for (const row of rows) {
			const id = row.id as number;
			if (seen[id]) repeated++;
			seen[id] = 1;
			// Keyset order: (updated_at, id) ascending.
			const key = `${row.updated_at as string}#${String(id).padStart(9, '0')}`;
			if (key <= previous) outOfOrder++;
			previous = key;
		}
		const stats = ((r.staticData.global as IDataObject).mySqlQueryWatermarks as IDataObject).big as {
			lastRead: { serverCounters: Counters };
		};
		const counters = stats.lastRead.serverCounters;
		// The server itself stopped at the cap: it sent the page and read about as many index entries.
		expect(counters.rowsSent).toBe(Math.max(0, expected));
		expect(counters.handlerReadRndNext).toBe(0);
		expect(counters.handlerReadNext).toBeLessThanOrEqual(Math.max(0, expected));
		expect(counters.handlerReadKey).toBeLessThanOrEqual(3);
	}
	expect(outOfOrder).toBe(0);
	expect(repeated).toBe(0);
	expect(seen.slice(1).every((v) => v === 1)).toBe(true);
});
