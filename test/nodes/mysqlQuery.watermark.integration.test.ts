import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { MANUAL_TRIGGER, WorkflowRunner, createTestDatabase, type HarnessNode, type TestDatabase } from '../harness';
import { MYSQL_QUERY, nodeTypes } from './mysqlQuery.shared';

let db: TestDatabase;
const cred = () => ({ mySqlApi: db.credentials });

beforeAll(async () => {
	db = await createTestDatabase('wm');
	await db.admin.query(
		'CREATE TABLE orders (id INT PRIMARY KEY, name VARCHAR(20), updated_at DATETIME(3) NULL, INDEX by_change (updated_at, id))',
	);
});
afterAll(async () => {
	await db.drop();
});

const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}`;
async function upsert(id: number, second: number | null): Promise<void> {
	await db.admin.query(
		'INSERT INTO orders (id, name, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE updated_at = VALUES(updated_at)',
		[id, `order ${id}`, second === null ? null : at(second)],
	);
}

function readParams(name: string, more: INodeParameters = {}): INodeParameters {
	return {
		operation: 'readChanges',
		watermarkName: name,
		table: 'orders',
		columns: 'id, name',
		watermarkColumn: 'updated_at',
		tieBreakerColumn: 'id',
		maxRows: 100,
		debugServerCounters: true,
		...more,
	};
}

/** Start -> Read changes -> Sync (fails while `failing`) -> Commit watermark. */
function syncWorkflow(name: string, read: INodeParameters = {}, store: INodeParameters = {}) {
	const sync: HarnessNode = {
		name: 'Sync',
		type: 'n8n-nodes-base.stopAndError',
		parameters: { errorMessage: 'the sync failed' },
		disabled: true,
	};
	const runner = new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Read',
				type: MYSQL_QUERY,
				parameters: { ...readParams(name, read), ...store },
				credentials: ['mySqlApi'],
			},
			sync,
			{
				name: 'Commit',
				type: MYSQL_QUERY,
				parameters: { operation: 'commitWatermark', watermarkName: name, ...store },
				credentials: ['mySqlApi'],
			},
		],
		connections: [
			['Start', 'Read'],
			['Read', 'Sync'],
			['Sync', 'Commit'],
		],
	});
	const read_ = runner.spec.nodes[1];
	return {
		runner,
		setFailing(failing: boolean) {
			sync.disabled = !failing;
		},
		setReadOptions(options: INodeParameters) {
			read_.parameters = { ...read_.parameters, options };
		},
		async run(mode: 'trigger' | 'manual' = 'trigger') {
			const r = await runner.run({ credentials: cred(), mode });
			return { r, ids: r.json('Read').map((row) => row.id), commit: r.json('Commit')[0] };
		},
	};
}

function resetWorkflow(name: string, store: INodeParameters = {}) {
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Reset',
				type: MYSQL_QUERY,
				parameters: { operation: 'resetWatermark', watermarkName: name, ...store },
				credentials: ['mySqlApi'],
			},
		],
		connections: [['Start', 'Reset']],
	});
}

const lastRead = (staticData: IDataObject, name: string) =>
	(
		(staticData.global as IDataObject).mySqlQueryWatermarks as Record<
			string,
			{ lastRead: { rows: number; serverCounters: Record<string, number> } }
		>
	)[name].lastRead;

test('insert, nothing new, update, a failed sync between read and commit, overlap, reset', async () => {
	for (let id = 1; id <= 5; id++) await upsert(id, id);
	await upsert(99, null); // no watermark value: never read
	const flow = syncWorkflow('orders');

	const first = await flow.run();
	expect(first.r.error).toBeUndefined();
	expect(first.ids).toEqual([1, 2, 3, 4, 5]);
	expect(first.r.outputs.Read[0].every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	expect(first.r.json('Read')[0]).toEqual({ id: 1, name: 'order 1' });
	expect(first.commit).toEqual({
		watermark: 'orders',
		committed: true,
		value: `${at(5)}.000`,
		tieBreaker: 5,
		caughtUp: true,
	});

	// Nothing new: the server itself sends no row (not: rows sent and dropped in JavaScript).
	const idle = await flow.run();
	expect(idle.ids).toEqual([]);
	expect(idle.commit).toBeUndefined();
	const counters = lastRead(idle.r.staticData, 'orders').serverCounters;
	expect(counters.rowsSent).toBe(0);
	expect(counters.handlerReadNext + counters.handlerReadRndNext).toBe(0);

	// A new row and an updated old row.
	await upsert(6, 6);
	await upsert(2, 7);
	expect((await flow.run()).ids).toEqual([6, 2]);

	// The sync fails after the read: nothing is committed, and the next run reads the same rows again.
	await upsert(7, 8);
	flow.setFailing(true);
	const failed = await flow.run();
	expect(failed.r.error?.message).toBe('the sync failed');
	expect(failed.ids).toEqual([7]);
	flow.setFailing(false);
	const retried = await flow.run();
	expect(retried.ids).toEqual([7]);
	expect(retried.commit).toMatchObject({ committed: true, value: `${at(8)}.000` });
	expect((await flow.run()).ids).toEqual([]);

	// Overlap: a caught-up watermark re-reads the last 3 seconds (late commits land there).
	flow.setReadOptions({ overlap: 3 });
	expect((await flow.run()).ids).toEqual([5, 6, 2, 7]);
	flow.setReadOptions({});

	// Reset (in a production execution of the same workflow: static data is per workflow).
	const reset = resetWorkflow('orders');
	reset.staticData = flow.runner.staticData;
	expect((await reset.run({ credentials: cred() })).json('Reset')).toEqual([{ watermark: 'orders', reset: true }]);
	flow.runner.staticData = reset.staticData;
	expect((await flow.run()).ids).toEqual([1, 3, 4, 5, 6, 2, 7]);
});

test('a start value begins there; changing it starts over', async () => {
	const flow = syncWorkflow('from-start', { options: { startValue: at(5) } });
	expect((await flow.run()).ids).toEqual([5, 6, 2, 7]);
	expect((await flow.run()).ids).toEqual([]);
	flow.setReadOptions({ startValue: at(7) });
	expect((await flow.run()).ids).toEqual([2, 7]);
});

test('rows sharing a watermark value are split across pages without loss or repeats', async () => {
	await db.admin.query('CREATE TABLE ties (id INT PRIMARY KEY, v INT NOT NULL, INDEX (v, id))');
	await db.admin.query('INSERT INTO ties VALUES (1, 1), (2, 2), (3, 2), (4, 2), (5, 2), (6, 3)');
	const flow = syncWorkflow('ties', { table: 'ties', columns: 'id', watermarkColumn: 'v', maxRows: 2 });
	const pages: unknown[][] = [];
	for (let i = 0; i < 4; i++) pages.push((await flow.run()).ids);
	expect(pages).toEqual([[1, 2], [3, 4], [5, 6], []]);
});

test('manual runs keep nothing in static data (as in n8n)', async () => {
	const flow = syncWorkflow('manual');
	expect((await flow.run('manual')).ids).toEqual([1, 3, 4, 5, 6, 2, 7]);
	expect(flow.runner.staticData).toEqual({});
	expect((await flow.run('manual')).ids).toEqual([1, 3, 4, 5, 6, 2, 7]);
});

describe('MySQL state table store', () => {
	const store = { watermarkStore: 'mysqlTable', stateTable: 'sync_state' };

	test('keeps the watermark from manual runs, follows the same commit rule, and resets from another workflow', async () => {
		const flow = syncWorkflow('orders-table', { maxRows: 4 }, store);
		expect((await flow.run('manual')).ids).toEqual([1, 3, 4, 5]);
		flow.setFailing(true);
		expect((await flow.run('manual')).ids).toEqual([6, 2, 7]);
		flow.setFailing(false);
		expect((await flow.run('manual')).ids).toEqual([6, 2, 7]);
		expect((await flow.run('manual')).ids).toEqual([]);
		const [rows] = await db.admin.query('SELECT name, pending_position FROM sync_state');
		expect(rows).toEqual([{ name: 'orders-table', pending_position: null }]);
		expect(flow.runner.staticData).toEqual({});

		await resetWorkflow('orders-table', store).run({ credentials: cred(), mode: 'manual' });
		expect((await flow.run('manual')).ids).toEqual([1, 3, 4, 5]);
	});
});

test('a failing read stops the workflow, or becomes one error item with Continue On Fail', async () => {
	const params = readParams('broken', { table: 'no_such_table' });
	const fails = await new WorkflowRunner(nodeTypes, {
		nodes: [MANUAL_TRIGGER, { name: 'Read', type: MYSQL_QUERY, parameters: params, credentials: ['mySqlApi'] }],
		connections: [['Start', 'Read']],
	}).run({ credentials: cred() });
	expect(fails.error?.message).toBe(
		`MySQL error ER_NO_SUCH_TABLE (1146): Table '${db.name}.no_such_table' doesn't exist`,
	);
	const continues = await new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Read',
				type: MYSQL_QUERY,
				parameters: params,
				credentials: ['mySqlApi'],
				onError: 'continueRegularOutput',
			},
		],
		connections: [['Start', 'Read']],
	}).run({ credentials: cred() });
	expect(continues.error).toBeUndefined();
	expect(continues.outputs.Read[0]).toEqual([
		{ json: expect.objectContaining({ code: 'ER_NO_SUCH_TABLE', sqlState: '42S02' }), pairedItem: { item: 0 } },
	]);
});
