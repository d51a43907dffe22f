/**
 * Idempotency at scale and the table lock: a re-run of unchanged data writes nothing (also when only
 * normalisation makes the values equal), a 1% change costs ceil(changed / batch size) write calls, and
 * two overlapping syncs of the same new rows never create a key twice.
 */
import { createTestDatabase } from '../harness';
import { APP_TOKEN, keyCounts, useKit, type Kit } from './feishuBitableKit';

const N = 20_000;
const STATUSES = ['New', 'Doing', 'Done'];
const FIELDS = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
	{ field_name: 'When', type: 5 },
	{ field_name: 'Note', type: 1 },
	{ field_name: 'Status', type: 3, property: { options: STATUSES.map((name) => ({ name })) } },
	{ field_name: 'Flag', type: 7 },
];
const pad = (n: number) => String(n).padStart(2, '0');
/** As MySQL returns rows: DATETIME as zone-less text in the credential's zone, DECIMAL as text. */
const row = (i: number) => ({
	Code: `K${i}`,
	Qty: i,
	When: `2024-05-${pad((i % 28) + 1)} ${pad(i % 24)}:30:00`,
	Note: `Line one of row ${i}, long enough to be held in several segments by Bitable\nsee https://example.com/r/${i} for more`,
	Status: STATUSES[i % 3],
	Flag: i % 2 === 0,
});
/** The same data in forms only normalisation can match. */
const sameButDifferent = (i: number) => {
	const r = row(i);
	const local = Date.UTC(2024, 4, (i % 28) + 1, i % 24, 30) - 8 * 3600_000;
	return {
		...r,
		Qty: `${i}.0`,
		When: new Date(local).toISOString(),
		Status: ` ${r.Status} `,
		Flag: i % 2 === 0 ? 'yes' : 0,
	};
};

const kit = useKit();
describe('idempotency at scale', () => {
	it(`syncs ${N} rows, then an unchanged re-run writes nothing, then 1% changed costs ceil(changed / batch) write calls`, async () => {
		const tableId = await kit.newTable(FIELDS);
		const runner = kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] });
		const input = Array.from({ length: N }, (_, i) => row(i));
		await kit.emu.admin.resetCounters();
		const first = await kit.run(runner, input);
		expect(first.error).toBeUndefined();
		// what a sync costs: fields list + one search page per 500 records + one create per 1,000, plus one app get
		// because the read found nothing (an advanced base reads as empty without manage rights: docs/feishu-api.md)
		expect(first.json('Bitable')[0]).toMatchObject({ created: N, updated: 0, apiCalls: 1 + 1 + 1 + N / 1000 });
		expect(await kit.writeCalls()).toBe(N / 1000);

		await kit.emu.admin.resetCounters();
		const again = await kit.run(runner, input);
		expect(again.json('Bitable')[0]).toMatchObject({
			unchanged: N,
			created: 0,
			updated: 0,
			deleted: 0,
			apiCalls: 1 + N / 500,
		});
		expect(await kit.writeCalls()).toBe(0);

		await kit.emu.admin.resetCounters();
		const normalised = await kit.run(
			runner,
			Array.from({ length: N }, (_, i) => sameButDifferent(i)),
		);
		expect(normalised.json('Bitable')[0]).toMatchObject({ unchanged: N, updated: 0 });
		expect(await kit.writeCalls()).toBe(0);

		const changed = N / 100;
		const batch = 64;
		const edited = input.map((r, i) => (i % 100 === 7 ? { ...r, Qty: r.Qty + 0.5 } : r));
		await kit.emu.admin.resetCounters();
		const small = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { updateBatchSize: batch } }),
			edited,
		);
		expect(small.json('Bitable')[0]).toMatchObject({ updated: changed, unchanged: N - changed });
		expect(await kit.writeCalls()).toBe(Math.ceil(changed / batch));
		expect((await kit.emu.admin.counters()).recordsUpdated).toBe(changed);

		const edited2 = edited.map((r, i) => (i % 100 === 9 ? { ...r, Note: `${r.Note}!` } : r));
		await kit.emu.admin.resetCounters();
		await kit.run(runner, edited2);
		expect(await kit.writeCalls()).toBe(Math.ceil(changed / 1000));
	});
});

describe("Feishu's enforced rate limits", () => {
	it('paces many small write batches with no refused call (429) and no failure', async () => {
		await kit.emu.admin.setRateLimits('spec');
		try {
			const tableId = await kit.newTable([
				{ field_name: 'Code', type: 1 },
				{ field_name: 'Qty', type: 2 },
			]);
			await kit.emu.admin.resetCounters();
			const rows = Array.from({ length: 3_000 }, (_, i) => ({ Code: `R${i}`, Qty: i }));
			const r = await kit.run(
				kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { createBatchSize: 40 } }),
				rows,
			);
			expect(r.error).toBeUndefined();
			expect(r.json('Bitable')[0]).toMatchObject({ created: 3_000 });
			const counters = await kit.emu.admin.counters();
			expect(counters.calls['bitable.records.batch_create']).toBe(75);
			expect(counters.rateLimited).toBe(0);
		} finally {
			await kit.emu.admin.setRateLimits('off');
		}
	});
});

describe('one sync per table at a time', () => {
	const ROWS = 5_000;
	const input = Array.from({ length: ROWS }, (_, i) => ({ Code: `L${i}`, Qty: i }));

	async function overlapping(tableLock: string, extra: Record<string, object> = {}): Promise<Map<string, number>> {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Qty', type: 2 },
		]);
		const params = { mode: 'upsert', keyFields: ['Code'], tableLock };
		const a = kit.sync(tableId, params, { credentials: ['feishuAppApi', 'mySqlApi'] });
		const b = kit.sync(tableId, params, { credentials: ['feishuAppApi', 'mySqlApi'] });
		const credentials = { ...kit.credentials, ...extra } as Kit['credentials'];
		const [ra, rb] = await Promise.all([
			a.run({ credentials, pinData: { Start: input } }),
			b.run({ credentials, pinData: { Start: input } }),
		]);
		expect(ra.error).toBeUndefined();
		expect(rb.error).toBeUndefined();
		const created = Number(ra.json('Bitable')[0].created) + Number(rb.json('Bitable')[0].created);
		const counts = keyCounts((await kit.emu.admin.dumpTable(APP_TOKEN, tableId)).records, 'Code');
		if (tableLock !== 'none') expect(created).toBe(ROWS);
		return counts;
	}

	it('two overlapping syncs of the same 5,000 new rows end with 5,000 records (in-process lock)', async () => {
		const counts = await overlapping('process');
		expect(counts.size).toBe(ROWS);
		expect([...counts.values()].every((n) => n === 1)).toBe(true);
	});

	it('the same with a MySQL named lock', async () => {
		const db = await createTestDatabase('bitlock');
		try {
			const counts = await overlapping('mysql', { mySqlApi: db.credentials });
			expect([...counts.values()].every((n) => n === 1) && counts.size === ROWS).toBe(true);
		} finally {
			await db.drop();
		}
	});

	it('without the lock the same overlap duplicates keys (what the lock prevents)', async () => {
		const counts = await overlapping('none');
		expect([...counts.values()].some((n) => n > 1)).toBe(true);
	});
});

describe('reading only what the diff needs', () => {
	it('a few changed rows into a large table look up their keys (50 per call) instead of reading every page', async () => {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Qty', type: 2 },
		]);
		await kit.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: Array.from({ length: 5_000 }, (_, i) => ({ fields: { Code: `P${i}`, Qty: i } })),
		});
		const changed = Array.from({ length: 120 }, (_, i) => ({ Code: `P${i * 40}`, Qty: i % 2 ? i * 40 : -1 }));
		await kit.emu.admin.resetCounters();
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), [
			...changed,
			{ Code: 'P-new', Qty: 1 },
		]);
		expect(r.error).toBeUndefined();
		// fields list + first page (tells the size) + ceil(121 / 50) lookups + 1 update + 1 create, instead of 1 + 10 pages + 2
		expect(r.json('Bitable')[0]).toMatchObject({
			tableRead: 'byKeys',
			updated: 60,
			unchanged: 60,
			created: 1,
			apiCalls: 1 + 1 + 3 + 1 + 1,
		});
		const counters = await kit.emu.admin.counters();
		expect(counters.calls['bitable.records.search']).toBe(4);
		// mirror must see every record: it reads the whole table
		const mirror = await kit.run(
			kit.sync(tableId, {
				mode: 'mirror',
				keyFields: ['Code'],
				syncOptions: { maxDeletePercent: 100, maxDeleteCount: -1, dryRun: true },
			}),
			changed,
		);
		expect(mirror.json('Bitable')[0]).toMatchObject({ tableRead: 'full', tableRecordsRead: 5_001 });
	});
});
