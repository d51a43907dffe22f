/**
 * Faults: with 10% transient faults on every Bitable call (including writes applied and then cut off or
 * answered too late), seeded mirror syncs of 5,000 rows end with the table equal to the input and no key
 * twice. BITABLE_FAULT_RUNS sets the number of seeded runs (CI default 20).
 */
import { FAULT_KINDS } from '../emulators/feishu';
import { APP_TOKEN, keyCounts, useKit } from './feishuBitableKit';

const RUNS = Number(process.env.BITABLE_FAULT_RUNS ?? 20);
const ROWS = 5_000;

const kit = useKit();
it(`${RUNS} seeded syncs of ${ROWS} rows under 10% transient faults end with the table equal to the input`, async () => {
	const faultsOnWrites: Record<string, number> = {};
	for (let seed = 1; seed <= RUNS; seed++) {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Qty', type: 2 },
			{ field_name: 'Note', type: 1 },
		]);
		// 3,000 existing records: half up to date, half stale, 500 no longer in the source
		await kit.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: Array.from({ length: 3_000 }, (_, i) => ({
				fields: { Code: `F${i}`, Qty: i % 2 ? -1 : i, Note: `n${i}` },
			})),
		});
		const input = Array.from({ length: ROWS }, (_, i) => ({
			Code: `F${i < 2500 ? i : i + 500}`,
			Qty: i < 2500 ? i : i + 500,
			Note: `n${i < 2500 ? i : i + 500}`,
		}));
		await kit.emu.admin.resetCounters();
		await kit.emu.admin.setFaultPlan({ seed, rate: 0.1, kinds: [...FAULT_KINDS], slowMs: 500 });
		const runner = kit.sync(tableId, {
			mode: 'mirror',
			keyFields: ['Code'],
			// small batches: more write calls per run for the faults to land on
			syncOptions: {
				maxDeletePercent: 100,
				requestTimeoutMs: 250,
				createBatchSize: 250,
				updateBatchSize: 250,
				deleteBatchSize: 100,
			},
		});
		const r = await kit.run(runner, input);
		await kit.emu.admin.clearFaultPlan();
		expect(r.error).toBeUndefined();
		const counters = await kit.emu.admin.counters();
		for (const [kind, n] of Object.entries(counters.faultsOnWrites))
			faultsOnWrites[kind] = (faultsOnWrites[kind] ?? 0) + n;

		const dump = await kit.dump(tableId);
		const counts = keyCounts(dump, 'Code');
		expect(counts.size).toBe(ROWS);
		expect([...counts.values()].every((n) => n === 1)).toBe(true);
		const table = new Map(dump.map((d) => [d.plain.Code, d.plain.Qty]));
		expect(input.every((row) => table.get(row.Code) === row.Qty)).toBe(true);
	}
	// the faults really landed on writes, of the kinds that make retries unsafe without client tokens
	// (kinds are dealt round-robin: a short local run may not reach them all)
	if (RUNS < 5) return;
	expect(faultsOnWrites.applied_then_drop ?? 0).toBeGreaterThan(0);
	expect(faultsOnWrites.applied_then_slow ?? 0).toBeGreaterThan(0);
	expect(Object.values(faultsOnWrites).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS / 2);
}, 240_000);
