/** Sync modes through real workflows against the Feishu emulator: what lands in the table, and what is written. */
import { useKit, keyCounts } from './feishuBitableKit';

const FIELDS = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
	{ field_name: 'Note', type: 1 },
	{ field_name: 'Mine', type: 1 },
];

const kit = useKit();
const rows = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => ({ Code: `C${from + i}`, Qty: from + i, Note: `n${from + i}` }));
const byCode = async (tableId: string) => new Map((await kit.dump(tableId)).map((r) => [String(r.plain.Code), r]));

async function seeded(records: Record<string, unknown>[]): Promise<string> {
	const tableId = await kit.newTable(FIELDS);
	if (records.length)
		await kit.emu.admin.seedRecords({
			appToken: 'bascnSyncTestBase0000000001',
			tableId,
			records: records.map((fields) => ({ fields })),
		});
	await kit.emu.admin.resetCounters();
	return tableId;
}

describe('Sync modes', () => {
	it('upsert creates new keys, updates only what changed, keeps unmapped columns, and outputs record ids per item', async () => {
		const tableId = await seeded([
			{ Code: 'C0', Qty: 0, Note: 'n0', Mine: 'keep me' },
			{ Code: 'C1', Qty: 99, Note: 'n1', Mine: 'mine too' },
		]);
		const before = await byCode(tableId);
		const runner = kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { output: 'each' } });
		const r = await kit.run(runner, rows(3));
		expect(r.error).toBeUndefined();
		const out = r.json('Bitable');
		expect(out.slice(0, 3).map((o) => o.action)).toEqual(['unchanged', 'updated', 'created']);
		expect(r.outputs.Bitable[0].slice(0, 3).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const summary = out[3];
		expect(summary).toMatchObject({ created: 1, updated: 1, unchanged: 1, deleted: 0, failed: 0 });
		const after = await byCode(tableId);
		expect(out[0].record_id).toBe(before.get('C0')!.record_id);
		expect(out[2].record_id).toBe(after.get('C2')!.record_id);
		expect(after.get('C1')!.plain).toMatchObject({ Qty: 1, Mine: 'mine too' });
		expect(after.get('C0')!.plain.Mine).toBe('keep me');
		// one create call, one update call, nothing else written
		expect(await kit.writeCalls()).toBe(2);
		// the update sent only the changed field
		expect(after.get('C1')!.last_modified_time).toBeGreaterThanOrEqual(before.get('C1')!.last_modified_time);
	});

	it('insert only creates new keys and leaves existing records alone', async () => {
		const tableId = await seeded([{ Code: 'C0', Qty: 50 }]);
		const r = await kit.run(kit.sync(tableId, { mode: 'insert', keyFields: ['Code'] }), rows(2));
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, skipped: 1, updated: 0 });
		const after = await byCode(tableId);
		expect(after.get('C0')!.plain.Qty).toBe(50);
		expect(after.get('C1')!.plain.Qty).toBe(1);
	});

	it('overwrite replaces changed records whole (new id, unmapped column emptied) and leaves identical ones', async () => {
		const tableId = await seeded([
			{ Code: 'C0', Qty: 0, Note: 'n0' },
			{ Code: 'C1', Qty: 5, Note: 'n1', Mine: 'lost' },
		]);
		const before = await byCode(tableId);
		const r = await kit.run(kit.sync(tableId, { mode: 'overwrite', keyFields: ['Code'] }), rows(2));
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, deleted: 1, unchanged: 1 });
		const after = await byCode(tableId);
		expect(after.get('C0')!.record_id).toBe(before.get('C0')!.record_id);
		expect(after.get('C1')!.record_id).not.toBe(before.get('C1')!.record_id);
		expect(after.get('C1')!.plain.Mine).toBeUndefined();
		expect(after.get('C1')!.plain.Qty).toBe(1);
	});

	it('clone makes the table equal to the input (other records and keyless ones deleted)', async () => {
		const tableId = await seeded([{ Code: 'C0', Qty: 0, Note: 'n0' }, { Code: 'X', Qty: 1 }, { Qty: 7 }]);
		// 2 of 3 records removed: above the default 20%, which Clone's removals count toward
		const r = await kit.run(
			kit.sync(tableId, { mode: 'clone', keyFields: ['Code'], syncOptions: { maxDeletePercent: 100 } }),
			rows(2),
		);
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, deleted: 2, unchanged: 1 });
		const dump = await kit.dump(tableId);
		expect(dump.map((d) => d.plain.Code).sort()).toEqual(['C0', 'C1']);
	});

	it('mirror upserts then deletes records whose key is absent', async () => {
		const tableId = await seeded(rows(10).map((r) => ({ ...r })));
		const r = await kit.run(kit.sync(tableId, { mode: 'mirror', keyFields: ['Code'] }), rows(9));
		expect(r.json('Bitable')[0]).toMatchObject({ deleted: 1, unchanged: 9 });
		expect((await byCode(tableId)).has('C9')).toBe(false);
	});

	it('mirror over the delete limit (count or percent) stops before any write', async () => {
		const tableId = await seeded(rows(10));
		const input = rows(5).map((x) => ({ ...x, Qty: 1000 }));
		const byPercent = await kit.run(
			kit.sync(tableId, { mode: 'mirror', keyFields: ['Code'], syncOptions: { maxDeletePercent: 40 } }),
			[...input, ...rows(1, 20)],
		);
		expect(byPercent.error?.message).toMatch(/would delete 5 of 10 records \(50\.0%\), more than the limit of 40%/);
		const byCount = await kit.run(
			kit.sync(tableId, { mode: 'mirror', keyFields: ['Code'], syncOptions: { maxDeleteCount: 4 } }),
			input,
		);
		expect(byCount.error?.message).toMatch(/more than the limit of 4 records/);
		expect(await kit.writeCalls()).toBe(0);
		expect((await kit.dump(tableId)).length).toBe(10);
	});

	it('mirror counts keys of items that failed validation as present (Continue On Fail)', async () => {
		const tableId = await seeded(rows(3));
		const input = [
			{ Code: 'C0', Qty: 0, Note: 'n0' },
			{ Code: 'C1', Qty: 'not a number' },
			{ Code: 'C2', Qty: 2, Note: 'n2' },
		];
		const r = await kit.run(
			kit.sync(tableId, { mode: 'mirror', keyFields: ['Code'] }, { onError: 'continueRegularOutput' }),
			input,
		);
		expect(r.error).toBeUndefined();
		const out = r.json('Bitable');
		expect(out[0]).toMatchObject({ item: 1, field: 'Qty', value: 'not a number', expected: 'a number' });
		expect(out[1]).toMatchObject({ failed: 1, deleted: 0, unchanged: 2 });
		expect((await kit.dump(tableId)).length).toBe(3);
	});

	it('prune deletes records whose key is absent from a key-only input, under the same limits', async () => {
		const tableId = await seeded(rows(6));
		const keys = ['C0', 'C1', 'C2', 'C3', 'C5'].map((Code) => ({ Code }));
		const r = await kit.run(kit.sync(tableId, { mode: 'prune', keyFields: ['Code'] }), keys);
		expect(r.json('Bitable')[0]).toMatchObject({ deleted: 1, unchanged: 5 });
		expect([...(await byCode(tableId)).keys()].sort()).toEqual(['C0', 'C1', 'C2', 'C3', 'C5']);
		await kit.emu.admin.resetCounters();
		const refused = await kit.run(kit.sync(tableId, { mode: 'prune', keyFields: ['Code'] }), [{ Code: 'C0' }]);
		expect(refused.error?.message).toMatch(/would delete 4 of 5/);
		expect(await kit.writeCalls()).toBe(0);
	});

	it('dry run outputs the plan, counts and a sample, and writes nothing (not even fields)', async () => {
		const tableId = await seeded(rows(3));
		const input = [...rows(2), { Code: 'C2', Qty: 22, Extra: 'x' }, { Code: 'C9', Qty: 9, Extra: 'y' }];
		const r = await kit.run(
			kit.sync(tableId, {
				mode: 'upsert',
				keyFields: ['Code'],
				syncOptions: { dryRun: true, createMissingFields: true },
			}),
			input,
		);
		const summary = r.json('Bitable')[0];
		expect(summary).toMatchObject({ dryRun: true, created: 1, updated: 1, unchanged: 2 });
		const plan = summary.plan as {
			fieldsToCreate: { field_name: string }[];
			create: { key: string }[];
			update: { fields: object }[];
		};
		expect(plan.fieldsToCreate.map((f) => f.field_name)).toEqual(['Extra']);
		expect(plan.create[0].key).toBe('C9');
		expect(plan.update[0].fields).toEqual({ Qty: 22, Extra: 'x' });
		expect(await kit.writeCalls()).toBe(0);
	});

	it('composite keys match on every part', async () => {
		const tableId = await kit.newTable([
			{ field_name: 'Shop', type: 1 },
			{ field_name: 'Day', type: 5 },
			{ field_name: 'Sales', type: 2 },
		]);
		const runner = kit.sync(tableId, { mode: 'upsert', keyFields: ['Shop', 'Day'] });
		const input = [
			{ Shop: 'A', Day: '2024-05-01', Sales: 1 },
			{ Shop: 'A', Day: '2024-05-02', Sales: 2 },
			{ Shop: 'B', Day: '2024-05-01', Sales: 3 },
		];
		expect((await kit.run(runner, input)).json('Bitable')[0]).toMatchObject({ created: 3 });
		const again = await kit.run(runner, [
			{ Shop: 'A', Day: '2024-05-02 00:00:00', Sales: 20 },
			{ Shop: 'B', Day: '2024-05-02', Sales: 4 },
		]);
		expect(again.json('Bitable')[0]).toMatchObject({ created: 1, updated: 1 });
		expect((await kit.dump(tableId)).length).toBe(4);
	});

	it('refuses duplicate keys in the input, listing them, with nothing written; last-one-wins keeps the last', async () => {
		const tableId = await seeded([]);
		const input = [
			{ Code: 'A', Qty: 1 },
			{ Code: 'B', Qty: 2 },
			{ Code: 'A', Qty: 3 },
		];
		const refused = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), input);
		expect(refused.error?.message).toMatch(/1 key appears more than once in the input: A \(items 0, 2\)/);
		expect(await kit.writeCalls()).toBe(0);
		const ok = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { duplicateInputKeys: 'lastWins' } }),
			input,
		);
		expect(ok.json('Bitable')[0]).toMatchObject({ created: 2, skipped: 1 });
		expect((await byCode(tableId)).get('A')!.plain.Qty).toBe(3);
	});

	it('reports duplicate keys already in the table, and deletes the extras with Dedupe', async () => {
		const tableId = await seeded([
			{ Code: 'A', Qty: 1 },
			{ Code: 'A', Qty: 2 },
			{ Code: 'A', Qty: 9 },
			{ Code: 'B', Qty: 1 },
		]);
		const report = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), [{ Code: 'A', Qty: 2 }]);
		expect(report.json('Bitable')[0]).toMatchObject({ duplicateKeysInTable: ['A'], updated: 2 });
		const deduped = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { dedupe: true } }),
			[{ Code: 'A', Qty: 2 }],
		);
		expect(deduped.json('Bitable')[0]).toMatchObject({ deleted: 2, unchanged: 1 });
		expect(keyCounts(await kit.dump(tableId), 'Code')).toEqual(
			new Map([
				['A', 1],
				['B', 1],
			]),
		);
	});

	it("soft-delete property deletes the flagged rows' records and is never written as a field", async () => {
		const tableId = await seeded(rows(3));
		const input = [
			{ Code: 'C0', Qty: 0, Note: 'n0', is_deleted: 0 },
			{ Code: 'C1', is_deleted: 1 },
			{ Code: 'C7', is_deleted: 'true' },
		];
		const r = await kit.run(
			kit.sync(tableId, {
				mode: 'upsert',
				keyFields: ['Code'],
				syncOptions: { softDeleteProperty: 'is_deleted', output: 'each', maxDeletePercent: 50 },
			}),
			input,
		);
		expect(
			r
				.json('Bitable')
				.slice(0, 3)
				.map((o) => o.action),
		).toEqual(['unchanged', 'deleted', 'skipped']);
		expect([...(await byCode(tableId)).keys()].sort()).toEqual(['C0', 'C2']);
	});

	it('verify reads the written records back and passes when they match', async () => {
		const tableId = await seeded(rows(2));
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { verify: true } }), [
			...rows(1),
			{ Code: 'C1', Qty: 11 },
			{ Code: 'C5', Qty: 5 },
		]);
		expect(r.json('Bitable')[0]).toMatchObject({ verified: true, created: 1, updated: 1 });
	});

	it('validation failure without Continue On Fail names item, field, value and expected type; nothing is written', async () => {
		const tableId = await seeded([]);
		const r = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { createMissingFields: true } }),
			[
				{ Code: 'A', Qty: 1, New: 'x' },
				{ Code: 'B', Qty: 'lots' },
			],
		);
		expect(r.error?.message).toBe('Item 1: field "Qty" cannot take the value "lots": expected a number');
		expect(await kit.writeCalls()).toBe(0);
		expect((await kit.emu.admin.counters()).fieldsCreated).toBe(0);
	});
});
