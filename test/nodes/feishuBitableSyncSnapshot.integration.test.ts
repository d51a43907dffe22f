/**
 * Read Only Changes through a real workflow: the snapshot is kept in the node's static data between runs, an
 * unchanged re-sync costs 3 calls, and an edit made in Feishu meanwhile is still written back.
 */
import { useKit } from './feishuBitableKit';

const FIELDS = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
	{ field_name: 'Modified', type: 1002 },
];
const APP_TOKEN = 'bascnSyncTestBase0000000001';

const kit = useKit();
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ Code: `C${i}`, Qty: i }));

describe('Sync: Read Only Changes', () => {
	it('keeps the snapshot between runs: 3 calls when nothing changed, an edit in Feishu still written back', async () => {
		const tableId = await kit.newTable(FIELDS);
		const runner = kit.sync(tableId, {
			mode: 'upsert',
			keyFields: ['Code'],
			syncOptions: { readOnlyChanges: true, fullReadEvery: 0 },
		});
		const first = await kit.run(runner, rows(700));
		expect(first.json('Bitable')[0]).toMatchObject({
			created: 700,
			snapshot: { used: false, fullReadReason: 'noSnapshot' },
		});

		const again = await kit.run(runner, rows(700));
		expect(again.json('Bitable')[0]).toMatchObject({
			unchanged: 700,
			tableRead: 'changedSince',
			snapshot: { used: true },
		});
		expect(again.json('Bitable')[0].apiCalls).toBeLessThanOrEqual(3);

		const c5 = (await kit.dump(tableId)).find((r) => r.plain.Code === 'C5')!;
		await kit.emu.admin.editRecord({
			appToken: APP_TOKEN,
			tableId,
			recordId: c5.record_id,
			fields: { Qty: 500 },
			asUser: 'ou_base_owner',
			modifiedTime: Date.now() + 60_000,
		});
		const third = await kit.run(runner, rows(700));
		expect(third.json('Bitable')[0]).toMatchObject({ updated: 1, unchanged: 699, tableRead: 'changedSince' });
		expect((await kit.dump(tableId)).find((r) => r.plain.Code === 'C5')!.plain.Qty).toBe(5);
	});

	it("Monthly Call Budget: the summary reports the month's calls; at the budget the sync refuses before its first call", async () => {
		const tableId = await kit.newTable(FIELDS);
		const ok = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { monthlyCallBudget: 1_000_000 } }),
			rows(3),
		);
		const spend = ok.json('Bitable')[0].monthCalls as { calls: number; month: string; budget: number; shared: boolean };
		expect(spend).toMatchObject({ budget: 1_000_000, shared: false });
		expect(spend.calls).toBeGreaterThan(0);
		await kit.emu.admin.resetCounters();
		const refused = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { monthlyCallBudget: spend.calls } }),
			rows(5),
		);
		expect(String(refused.error?.message)).toMatch(
			new RegExp(
				`The sync refused: the Feishu app has made \\d+ API calls in ${spend.month} \\(Asia/Shanghai\\), and its Monthly Call Budget is ${spend.calls}`,
			),
		);
		expect(Object.values((await kit.emu.admin.counters()).calls).reduce((a, b) => a + b, 0)).toBe(0);
		expect(await kit.dump(tableId)).toHaveLength(3);
	});

	it('off: the table is read in full every run and no snapshot is kept', async () => {
		const tableId = await kit.newTable(FIELDS);
		const runner = kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] });
		await kit.run(runner, rows(10));
		const again = await kit.run(runner, rows(10));
		expect(again.json('Bitable')[0].snapshot).toBeUndefined();
		expect(Object.keys(runner.staticData).some((k) => JSON.stringify(runner.staticData[k]).includes('snapshot:'))).toBe(
			false,
		);
	});
});
