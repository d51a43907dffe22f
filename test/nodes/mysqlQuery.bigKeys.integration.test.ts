import { MANUAL_TRIGGER, WorkflowRunner, createTestDatabase, type TestDatabase } from '../harness';
import { MYSQL_QUERY, nodeTypes } from './mysqlQuery.shared';

/**
 * Keys above 2^53 (BIGINT ids from a snowflake or a sequence offset) come out as exact text. Read Changes must
 * page through them without skipping or repeating a row: compared with a plain string, MySQL would use doubles,
 * in which 9223372036854775801 and 9223372036854775802 are the same number.
 */
let db: TestDatabase;
const BASE = 9223372036854775000n;

beforeAll(async () => {
	db = await createTestDatabase('bigkeys');
	await db.admin.query(
		'CREATE TABLE events (id BIGINT UNSIGNED PRIMARY KEY, batch BIGINT NOT NULL, label VARCHAR(20), UNIQUE KEY by_batch (batch, id))',
	);
	const rows = Array.from({ length: 20 }, (_, i) => [String(BASE + BigInt(i)), String(BASE), `e${i}`]);
	// Ten rows share one watermark value (batch), so the tie-breaker decides the order inside it.
	for (let i = 10; i < 20; i++) rows[i][1] = String(BASE + 1n);
	await db.admin.query('INSERT INTO events (id, batch, label) VALUES ?', [rows]);
});
afterAll(async () => {
	await db.drop();
});

async function readAll(parameters: Record<string, unknown>): Promise<string[]> {
	const seen: string[] = [];
	// Read Changes -> Commit Watermark, three rows per run.
	const runner = new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'SQL',
				type: MYSQL_QUERY,
				parameters: { operation: 'readChanges', table: 'events', columns: 'id, label', maxRows: 3, ...parameters },
				credentials: ['mySqlApi'],
			},
			{
				name: 'Commit',
				type: MYSQL_QUERY,
				parameters: { operation: 'commitWatermark', watermarkName: parameters.watermarkName },
				credentials: ['mySqlApi'],
			},
		],
		connections: [
			['Start', 'SQL'],
			['SQL', 'Commit'],
		],
	});
	for (let run = 0; run < 20; run++) {
		const r = await runner.run({ credentials: { mySqlApi: db.credentials }, mode: 'trigger' });
		expect(r.error).toBeUndefined();
		const ids = r.json('SQL').map((row) => String(row.id));
		if (ids.length === 0) break;
		seen.push(...ids);
	}
	return seen;
}

const expected = Array.from({ length: 20 }, (_, i) => String(BASE + BigInt(i)));

test('a BIGINT watermark above 2^53 pages through every row exactly once', async () => {
	expect(await readAll({ watermarkName: 'by-id', watermarkColumn: 'id', tieBreakerColumn: 'id' })).toEqual(expected);
});

test('a BIGINT watermark shared by many rows, with a BIGINT tie-breaker above 2^53, pages exactly once', async () => {
	expect(await readAll({ watermarkName: 'by-batch', watermarkColumn: 'batch', tieBreakerColumn: 'id' })).toEqual(
		expected,
	);
});
