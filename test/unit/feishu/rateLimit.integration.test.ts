/** The client-side limiter against the emulator's enforced per-app limits (real time: ~16 s). */
import { APP_TOKEN, startSetup, type Setup } from './emulatorSetup';

const CALLS = 300;

describe('Feishu rate limiting', () => {
	let setup: Setup;
	beforeAll(async () => {
		setup = await startSetup({ rateLimits: 'spec' });
		await setup.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: setup.tableId,
			records: Array.from({ length: 50 }, (_, n) => ({ fields: { Key: `k${n}` } })),
		});
	});
	afterAll(() => setup.close());

	it(`a burst of ${CALLS} searches against the enforced 20/s finishes with no failed call`, async () => {
		const session = setup.session();
		await session.listTables(APP_TOKEN);
		await setup.emu.admin.resetCounters();
		const started = Date.now();
		const results = await Promise.allSettled(
			Array.from({ length: CALLS }, () => session.searchPage(APP_TOKEN, setup.tableId, {}, 10)),
		);
		const ms = Date.now() - started;
		const failed = results.filter((r) => r.status === 'rejected');
		const counters = await setup.emu.admin.counters();
		process.stdout.write(
			`feishu rate limit test: ${CALLS} searches in ${(ms / 1000).toFixed(2)} s (floor ${CALLS / 20} s), ` +
				`refused by the emulator ${counters.rateLimited}, failed ${failed.length}\n`,
		);
		expect(failed.map((r) => (r as PromiseRejectedResult).reason?.message)).toEqual([]);
		expect(counters.calls['bitable.records.search'] - counters.rateLimited).toBe(CALLS);
	});
});
