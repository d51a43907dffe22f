/**
 * Two "workers" (two Feishu sessions, each with its own registry, as two n8n processes have) call one
 * app on the Feishu emulator, whose gateway limits are the published ones. With a Redis store they
 * share the app's rate limit and its tenant token; without one (control) each process paces itself
 * alone, and together they are refused for rate and fetch the token twice.
 */
import { randomUUID } from 'crypto';
import { CoordinationStore, RedisBackend } from '../../../lib/coordination';
import { FeishuRegistry, feishuSession, type FeishuSessionOptions } from '../../../lib/feishu';
import { systemClock } from '../../../lib/resilience';
import { startSetup, type Setup } from '../feishu/emulatorSetup';

const redisConnection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const CALLS_PER_WORKER = 25; // reads are 20/s per app: two workers at full speed would send 40/s

let setup: Setup;
beforeEach(async () => {
	setup = await startSetup({ rateLimits: 'spec' });
	await setup.emu.admin.resetCounters();
});
afterEach(() => setup.close());

async function twoWorkers(options: [FeishuSessionOptions, FeishuSessionOptions]) {
	const retry = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 1000 };
	await Promise.all(
		options.map(async (o) => {
			const session = feishuSession({ ...setup.config, retry }, o);
			await Promise.all(
				Array.from({ length: CALLS_PER_WORKER }, () => session.listFields('bascnTransportBase0000001', setup.tableId)),
			);
		}),
	);
	return setup.emu.admin.counters();
}

it('with a Redis store: no call refused for rate, one token fetch for both workers', async () => {
	const prefix = `test-feishu-shared-${randomUUID()}:`;
	const backends = [new RedisBackend(redisConnection, prefix), new RedisBackend(redisConnection, prefix)];
	try {
		const stores = backends.map((b) => new CoordinationStore(b, systemClock, 'Redis'));
		const counters = await twoWorkers([{ coordination: stores[0] }, { coordination: stores[1] }]);
		expect(counters.calls['bitable.fields.list']).toBe(2 * CALLS_PER_WORKER);
		expect(counters.rateLimited).toBe(0);
		expect(counters.calls['auth.tenant_token']).toBe(1);
	} finally {
		await backends[0].flush();
		await Promise.all(backends.map((b) => b.close()));
	}
});

it('control, per-process state: the two workers together are refused for rate and fetch two tokens', async () => {
	const counters = await twoWorkers([
		{ registry: new FeishuRegistry(systemClock) },
		{ registry: new FeishuRegistry(systemClock) },
	]);
	expect(counters.rateLimited).toBeGreaterThan(0);
	expect(counters.calls['auth.tenant_token']).toBe(2);
});
