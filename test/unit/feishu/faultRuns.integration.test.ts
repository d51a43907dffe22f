/**
 * The transport under a 10% fault plan (busy, conflict, not ready, 5xx, dropped connections, and
 * writes applied then cut off or answered too late): 5,000 creates, 1,000 updates and 1,000 deletes
 * must leave exactly the expected table, in every seeded run. Without client_token reuse they must not.
 * The emulator's page-shift and search-lag modes are on throughout (docs/feishu-api.md, paging and consistency).
 */
import { FAULT_KINDS, type FaultKind } from '../../emulators/feishu';
import type { BitableRecord } from '../../../lib/feishu';
import { APP_TOKEN, startSetup, type Setup } from './emulatorSetup';

const RUNS = Number(process.env.FEISHU_FAULT_RUNS ?? 20);
const CREATES = 5000;
const UPDATES = 1000;
const DELETES = 1000;
const SEARCH_LAG_MS = 2000;

interface Outcome {
	problems: string[];
	calls: number;
	ms: number;
}

/** One seeded run in a fresh table; returns what is wrong with the final table (empty when right). */
async function runScenario(setup: Setup, seed: number, reuseClientTokens = true): Promise<Outcome> {
	const started = Date.now();
	const { emu } = setup;
	const tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: `Run ${seed} ${reuseClientTokens}`,
		fields: [
			{ field_name: 'Key', type: 1 },
			{ field_name: 'Amount', type: 2 },
			{ field_name: 'Note', type: 1 },
		],
		primaryField: 'Key',
	});
	await emu.admin.setFaultPlan({ seed, rate: 0.1, kinds: [...FAULT_KINDS], slowMs: 500 });
	await emu.admin.setSearchBehaviour({ pageShift: true, searchLagMs: SEARCH_LAG_MS });
	const session = setup.session(
		{
			timeoutMs: 300,
			retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 40 },
			rateLimits: { search: 1e6, recordWrite: 1e6 },
		},
		{ reuseClientTokens },
	);
	try {
		const input = Array.from({ length: CREATES }, (_, n) => ({ fields: { Key: `k${n}`, Amount: n } }));
		const created = await session.batchCreateRecords(APP_TOKEN, tableId, input, { batchSize: 100 });
		const idOf = (n: number) => created[n].record_id;
		// Update every 5th record, delete the ones right after them.
		const updated = Array.from({ length: UPDATES }, (_, i) => i * 5);
		const deleted = Array.from({ length: DELETES }, (_, i) => i * 5 + 1);
		await session.batchUpdateRecords(
			APP_TOKEN,
			tableId,
			updated.map((n) => ({ record_id: idOf(n), fields: { Amount: -n, Note: 'updated' } })),
			{ batchSize: 100 },
		);
		await session.batchDeleteRecords(APP_TOKEN, tableId, deleted.map(idOf), { batchSize: 100 });
		// Read back through the transport while faults still fly: paging must not stop early. The search index
		// catches up with the writes first (emulator clock moved past the lag, never waited for).
		await emu.admin.advanceClock(SEARCH_LAG_MS + 1);
		const read = await session.searchRecords(APP_TOKEN, tableId, {}, { pageSize: 500 });
		await emu.admin.clearFaultPlan();

		const expected = new Map<string, { amount: number; note?: string }>();
		for (let n = 0; n < CREATES; n++) expected.set(`k${n}`, { amount: n });
		for (const n of updated) expected.set(`k${n}`, { amount: -n, note: 'updated' });
		for (const n of deleted) expected.delete(`k${n}`);

		const dump = await emu.admin.dumpTable(APP_TOKEN, tableId);
		const problems: string[] = [];
		if (created.length !== CREATES) problems.push(`create returned ${created.length} records`);
		if (new Set(created.map((r) => r.record_id)).size !== created.length)
			problems.push('create returned duplicate ids');
		const seen = new Map<string, number>();
		for (const record of dump.records) {
			const key = String(record.plain.Key);
			seen.set(key, (seen.get(key) ?? 0) + 1);
			const want = expected.get(key);
			if (!want) problems.push(`unexpected record ${key}`);
			else if (record.plain.Amount !== want.amount || (record.plain.Note ?? undefined) !== want.note) {
				problems.push(`record ${key} holds ${JSON.stringify(record.plain)}`);
			}
		}
		for (const [key, count] of seen) if (count > 1) problems.push(`duplicate ${key} x${count}`);
		for (const key of expected.keys()) if (!seen.has(key)) problems.push(`missing ${key}`);
		if (dump.records.length !== expected.size)
			problems.push(`table has ${dump.records.length} records, expected ${expected.size}`);
		const readIds = new Set(read.map((r: BitableRecord) => r.record_id));
		if (readIds.size !== dump.records.length || dump.records.some((r) => !readIds.has(r.record_id))) {
			problems.push(`search through the transport read ${read.length} records, the table has ${dump.records.length}`);
		}
		return { problems, calls: session.calls, ms: Date.now() - started };
	} finally {
		await emu.admin.clearFaultPlan();
		await emu.admin.setSearchBehaviour({});
	}
}

describe('transport under transient faults', () => {
	let setup: Setup;
	beforeAll(async () => {
		setup = await startSetup({ rateLimits: 'off' });
	});
	afterAll(() => setup.close());

	it(`ends with exactly the expected table in ${RUNS} seeded runs, faults of every kind landing on writes`, async () => {
		await setup.emu.admin.resetCounters();
		const outcomes: Outcome[] = [];
		for (let run = 1; run <= RUNS; run++) {
			const outcome = await runScenario(setup, run);
			expect({ run, problems: outcome.problems.slice(0, 5) }).toEqual({ run, problems: [] });
			outcomes.push(outcome);
		}
		const counters = await setup.emu.admin.counters();
		for (const kind of FAULT_KINDS) {
			expect({ kind, onWrites: (counters.faultsOnWrites[kind as FaultKind] ?? 0) > 0 }).toEqual({
				kind,
				onWrites: true,
			});
		}
		// Replays prove the retried creates were answered from the first (applied) write.
		expect(counters.idempotentReplays).toBeGreaterThan(0);
		const calls = outcomes.reduce((sum, o) => sum + o.calls, 0);
		process.stdout.write(
			`feishu fault runs: ${RUNS} runs, ${calls} calls, faults on writes ${JSON.stringify(counters.faultsOnWrites)}, ` +
				`all faults ${JSON.stringify(counters.faultsInjected)}, replays ${counters.idempotentReplays}, ` +
				`mean ${Math.round(outcomes.reduce((s, o) => s + o.ms, 0) / RUNS)} ms/run\n`,
		);
	});

	it('duplicates records when client_token reuse is switched off (so the test above can fail)', async () => {
		const problems: string[] = [];
		for (let run = 1; run <= 3 && problems.length === 0; run++) {
			problems.push(...(await runScenario(setup, run, false)).problems);
		}
		expect(problems.some((p) => p.startsWith('duplicate') || p.startsWith('unexpected'))).toBe(true);
	});
});
