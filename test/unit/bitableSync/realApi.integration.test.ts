/**
 * Sync against what the real Open API does and a friendly emulator did not (docs/feishu-api.md): pages that shift
 * during a read, search that lags writes, 1254030, the 2,000-character filter limit, advanced-permission bases,
 * trimmed field names and retried field creation. Each test fails when its guard is removed.
 */
import { APP, APP_TOKEN } from '../feishu/emulatorSetup';
import { useSyncTable } from './syncTable';
import { runSync, sessionClient, AdvancedPermissionError, type BitableClient } from '../../../lib/bitableSync';

const t = useSyncTable(
	'Real',
	[
		{ field_name: 'Key', type: 1 },
		{ field_name: 'Amount', type: 2 },
		{ field_name: 'Note', type: 1 },
	],
	{
		session: { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } },
		beforeTable: async (setup) => {
			await setup.emu.admin.setSearchBehaviour({});
			await setup.emu.admin.setBaseAdvanced(APP_TOKEN, false);
			await setup.emu.admin.clearFaultPlan();
		},
	},
);

const seed = (n: number, key = (i: number) => `k${i}`) =>
	t.setup.emu.admin.seedRecords({
		appToken: APP_TOKEN,
		tableId: t.tableId,
		records: Array.from({ length: n }, (_, i) => ({ fields: { Key: key(i), Amount: i }, modifiedTime: 1_000_000 + i })),
	});
const items = (n: number, amount = (i: number) => i, key = (i: number) => `k${i}`) =>
	Array.from({ length: n }, (_, i) => ({ index: i, values: { Key: key(i), Amount: amount(i) } }));
const { request } = t;
const table = async () => (await t.setup.emu.admin.dumpTable(APP_TOKEN, t.tableId)).records;
const keyCounts = async () => {
	const counts = new Map<string, number>();
	for (const r of await table()) counts.set(String(r.plain.Key), (counts.get(String(r.plain.Key)) ?? 0) + 1);
	return counts;
};

describe('paging is not a snapshot', () => {
	it('a record edited during the read (pages shift: one comes twice, one is skipped) is neither deleted nor duplicated', async () => {
		const ids = await seed(1200);
		await t.setup.emu.admin.setSearchBehaviour({ pageShift: true });
		const client = sessionClient(t.session);
		let pages = 0;
		// a person edits k0 in Feishu right after the sync read the first page
		const edited: BitableClient = {
			...client,
			get calls() {
				return client.calls;
			},
			searchPage: async (...args) => {
				const page = await client.searchPage!(...args);
				if (++pages === 1)
					await t.setup.emu.admin.editRecord({
						appToken: APP_TOKEN,
						tableId: t.tableId,
						recordId: ids[0],
						fields: { Note: 'typed in Feishu' },
						asUser: 'ou_base_owner',
					});
				return page;
			},
		};
		const result = await runSync(edited, request({ mode: 'mirror', dedupe: true, items: items(1200) }));
		expect(result.summary).toMatchObject({ created: 0, deleted: 0, updated: 0, unchanged: 1200 });
		const counts = await keyCounts();
		expect(counts.size).toBe(1200);
		expect([...counts.values()].every((c) => c === 1)).toBe(true);
		expect((await table()).find((r) => r.record_id === ids[0])?.plain.Note).toBe('typed in Feishu');
	});
});

describe('search lags writes (eventual consistency)', () => {
	it('a second run right after the first neither creates again nor misses an update', async () => {
		await t.setup.emu.admin.setSearchBehaviour({ searchLagMs: 60_000 });
		const first = await runSync(sessionClient(t.session), request({ items: items(10) }));
		expect(first.summary.created).toBe(10);
		const again = await runSync(sessionClient(t.session), request({ items: items(10, (i) => i * 100) }));
		expect(again.summary).toMatchObject({ created: 0, updated: 9 });
		const rows = await table();
		expect(rows).toHaveLength(10);
		expect(rows.map((r) => r.plain.Amount).sort((a, b) => Number(a) - Number(b))).toEqual(
			Array.from({ length: 10 }, (_, i) => i * 100),
		);
	});

	it('a record deleted moments ago (still in search) is created again instead of failing the update', async () => {
		const ids = await seed(5);
		await t.setup.emu.admin.setSearchBehaviour({ searchLagMs: 60_000 });
		await t.session.batchDeleteRecords(APP_TOKEN, t.tableId, [ids[2]]);
		const result = await runSync(sessionClient(t.session), request({ items: items(5, (i) => i + 1000) }));
		expect(result.summary.failed).toBe(0);
		const rows = await table();
		expect(rows.map((r) => [r.plain.Key, r.plain.Amount]).sort()).toEqual(
			Array.from({ length: 5 }, (_, i) => [`k${i}`, i + 1000]).sort(),
		);
	});
});

describe('sizes', () => {
	it('1254030 (response too large) halves the page size and the read goes on', async () => {
		await seed(300);
		await t.setup.emu.admin.setSearchBehaviour({ maxResponseBytes: 8_000 });
		const result = await runSync(sessionClient(t.session), request({ items: items(300) }));
		expect(result.summary).toMatchObject({ created: 0, unchanged: 300, tableRecordsRead: 300 });
	});

	it('key lookups stay under the 2,000-character filter limit (no 1254107)', async () => {
		const long = (i: number) => `order-${String(i).padStart(6, '0')}-${'x'.repeat(50)}`;
		await seed(3000, long);
		const result = await runSync(sessionClient(t.session), request({ items: items(60, (i) => i + 1, long) }));
		expect(result.summary).toMatchObject({ tableRead: 'byKeys', created: 0, updated: 60 });
	});
});

describe('a base with advanced permissions', () => {
	it('refuses a sync that would take the table for empty when the app lacks manage rights, naming the right', async () => {
		await seed(5);
		await t.setup.emu.admin.setBaseAdvanced(APP_TOKEN, true);
		const run = runSync(sessionClient(t.setup.session()), request({ items: items(5) }));
		await expect(run).rejects.toBeInstanceOf(AdvancedPermissionError);
		await expect(runSync(sessionClient(t.setup.session()), request({ items: items(5) }))).rejects.toMatchObject({
			hint: expect.stringContaining('可管理'),
		});
		expect(await table()).toHaveLength(5);
		// with manage rights the same sync reads the records and writes nothing
		await t.setup.emu.admin.setBaseAdvanced(APP_TOKEN, true, [APP.appId]);
		const ok = await runSync(sessionClient(t.setup.session()), request({ items: items(5) }));
		expect(ok.summary).toMatchObject({ created: 0, unchanged: 5 });
	});
});

describe('values', () => {
	it('objects and arrays (a MySQL JSON column) written to a text field become JSON text, and a re-run writes nothing', async () => {
		const json = [{ index: 0, values: { Key: 'a', Note: { sku: 'X-1', tags: ['new', 'sale'] } } }];
		const first = await runSync(sessionClient(t.session), request({ items: json }));
		expect(first.summary).toMatchObject({ created: 1, failed: 0 });
		expect((await table())[0].plain.Note).toBe('{"sku":"X-1","tags":["new","sale"]}');
		expect((await runSync(sessionClient(t.session), request({ items: json }))).summary).toMatchObject({
			unchanged: 1,
			updated: 0,
		});
	});
});

describe('fields', () => {
	it('maps a name with spaces to the field Feishu created with the name trimmed, run after run', async () => {
		const values = (n: number) => [{ index: 0, values: { Key: 'a', ' Extra ': n } }];
		const first = await runSync(sessionClient(t.session), request({ items: values(1), createMissingFields: true }));
		expect(first.summary.fieldsCreated).toEqual(['Extra']);
		const second = await runSync(sessionClient(t.session), request({ items: values(2), createMissingFields: true }));
		expect(second.summary).toMatchObject({ fieldsCreated: [], updated: 1 });
		expect((await table())[0].plain.Extra).toBe(2);
	});

	it('a field creation whose answer was lost is retried with its client_token, not created twice', async () => {
		await t.setup.emu.admin.setFaultPlan({
			seed: 1,
			kinds: ['applied_then_drop'],
			endpoints: ['bitable.fields.create'],
			onCalls: [1],
		});
		const result = await runSync(
			sessionClient(t.session),
			request({ items: [{ index: 0, values: { Key: 'a', Fresh: 'x' } }], createMissingFields: true }),
		);
		expect(result.summary.fieldsCreated).toEqual(['Fresh']);
		const fields = (await t.setup.emu.admin.dumpTable(APP_TOKEN, t.tableId)).fields.map((f) => f.field_name);
		expect(fields.filter((n) => n === 'Fresh')).toHaveLength(1);
	});
});
