import { FAULT_KINDS, type WpsEmulator, startWpsEmulator } from '../../emulators/wps';
import { runFaultScenario } from './faultScenario';

/**
 * Issue "done when": 500 departments and 2,000 users created through the transport under a 10%
 * fault plan (including a timeout after the write was applied) end as exactly those objects.
 * Runs: WPS_FAULT_RUNS (default 10). The client gives up waiting after 300 ms; the emulator answers
 * a slow write after 400 ms, so every applied_then_timeout is a lost answer.
 */
const RUNS = Number(process.env.WPS_FAULT_RUNS ?? 10);
const TIMEOUT_MS = 300;
const SLOW_MS = 400;

describe('WPS transport under a seeded 10% fault plan', () => {
	let emu: WpsEmulator;
	const totals = { faults: {} as Record<string, number>, lostCreates: 0, recovered: 0 };
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: { multiplier: 1000 } });
	});
	afterAll(() => emu.close());

	for (let run = 1; run <= RUNS; run++) {
		it(`run ${run}: 500 departments and 2,000 users, exactly once each`, async () => {
			const result = await runFaultScenario(
				emu,
				run,
				{ topDepts: 20, childrenPerTop: 24, users: 2000 },
				{ rate: 0.1, kinds: [...FAULT_KINDS], slowMs: SLOW_MS },
				{ timeoutMs: TIMEOUT_MS },
			);
			const counters = await emu.admin.counters();
			for (const [kind, n] of Object.entries(counters.faultsInjected))
				totals.faults[kind] = (totals.faults[kind] ?? 0) + (n ?? 0);
			totals.lostCreates += counters.faultsOnWrites.applied_then_timeout ?? 0;
			totals.recovered += result.recoveredWrites;
			expect(result.problems).toEqual([]);
		});
	}

	it('met every kind of fault, and recovered creates whose answer was lost', () => {
		for (const kind of FAULT_KINDS) expect(totals.faults[kind]).toBeGreaterThan(0);
		expect(totals.lostCreates).toBeGreaterThan(0);
		expect(totals.recovered).toBeGreaterThan(0);
	});
});

describe('WPS transport without read-before-write', () => {
	it('fails the same kind of run: a resent create collides with the one that was applied', async () => {
		const emu = await startWpsEmulator({ rateLimits: 'off' });
		try {
			const result = await runFaultScenario(
				emu,
				99,
				{ topDepts: 5, childrenPerTop: 9, users: 200 },
				{
					rate: 0.1,
					kinds: ['applied_then_timeout'],
					endpoints: ['POST /v7/depts/create', 'POST /v7/users/create'],
					slowMs: SLOW_MS,
				},
				{ timeoutMs: TIMEOUT_MS, readBeforeWrite: false },
			);
			expect(result.problems.join('\n')).toMatch(/a create failed: WPS error 400000003/);
		} finally {
			await emu.close();
		}
	});
});
