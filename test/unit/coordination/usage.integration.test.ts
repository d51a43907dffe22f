/**
 * The monthly call budget across processes: two "workers" (two stores on one Redis, as two n8n processes have)
 * count their calls, and each sees the month's total of both; per process (control) each sees only its own.
 */
import { randomUUID } from 'crypto';
import { CoordinationStore, MemoryBackend, RedisBackend } from '../../../lib/coordination';
import { MonthlyUsage, monthSpend, underBudget } from '../../../lib/feishu/usage';
import { systemClock } from '../../../lib/resilience';

const redisConnection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const NOW = Date.UTC(2026, 11, 4, 12);

async function twoWorkers(stores: [CoordinationStore, CoordinationStore]) {
	const usage = [new MonthlyUsage(), new MonthlyUsage()];
	usage[0].count(NOW, 600);
	usage[1].count(NOW, 500);
	const first = await monthSpend('cli_app', usage[0], NOW, stores[0].shared ? stores[0].usage : undefined, 1000);
	const second = await monthSpend('cli_app', usage[1], NOW, stores[1].shared ? stores[1].usage : undefined, 1000);
	return { first, second };
}

it('with Redis, each worker sees the month total of both and stops optional work at the budget', async () => {
	const prefix = `test-usage-${randomUUID()}:`;
	const backends = [new RedisBackend(redisConnection, prefix), new RedisBackend(redisConnection, prefix)];
	try {
		const { first, second } = await twoWorkers([
			new CoordinationStore(backends[0], systemClock, 'Redis'),
			new CoordinationStore(backends[1], systemClock, 'Redis'),
		]);
		expect(first).toMatchObject({ month: '2026-12', calls: 600, shared: true });
		expect(second).toMatchObject({ month: '2026-12', calls: 1100, shared: true });
		expect(underBudget(second)).toBe(false);
		// a new month starts from zero
		const next = await monthSpend(
			'cli_app',
			new MonthlyUsage(),
			Date.UTC(2026, 11, 31, 17),
			new CoordinationStore(backends[0]).usage,
			1000,
		);
		expect(next).toMatchObject({ month: '2027-01', calls: 0 });
	} finally {
		await backends[0].flush();
		await Promise.all(backends.map((b) => b.close()));
	}
});

it('per process (control): each worker counts only its own calls and both stay under the budget', async () => {
	const { first, second } = await twoWorkers([
		new CoordinationStore(new MemoryBackend()),
		new CoordinationStore(new MemoryBackend()),
	]);
	expect([first.calls, second.calls]).toEqual([600, 500]);
	expect(underBudget(first) && underBudget(second)).toBe(true);
});
