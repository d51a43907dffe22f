/**
 * The coordination store against the machine's real Redis (scripts/redis.sh) and in-process. Two store
 * objects on two connections stand for two n8n workers; time is a shared fake clock.
 */
import { randomUUID } from 'crypto';
import { CircuitOpenError } from '../../../lib/resilience';
import {
	CoordinationStore,
	LockBusyError,
	LockLostError,
	MemoryBackend,
	RedisBackend,
	type Backend,
} from '../../../lib/coordination';
import { FakeClock } from '../resilience/fakeClock';

const redisConnection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

interface World {
	clock: FakeClock;
	/** Two processes: two stores on two connections (Redis) or on two separate memories (per process). */
	a: CoordinationStore;
	b: CoordinationStore;
	close(): Promise<void>;
}

function redisWorld(): World {
	const clock = new FakeClock();
	const prefix = `test-coordination-${randomUUID()}:`;
	const backends = [new RedisBackend(redisConnection, prefix), new RedisBackend(redisConnection, prefix)];
	return {
		clock,
		a: new CoordinationStore(backends[0], clock),
		b: new CoordinationStore(backends[1], clock),
		close: async () => {
			await backends[0].flush();
			await Promise.all(backends.map((x) => x.close()));
		},
	};
}

/** Per-process state, as without a Redis credential: each worker has its own. */
function perProcessWorld(): World {
	const clock = new FakeClock();
	return {
		clock,
		a: new CoordinationStore(new MemoryBackend(), clock),
		b: new CoordinationStore(new MemoryBackend(), clock),
		close: async () => undefined,
	};
}

/** The most starts in any window of `windowMs`. */
function busiestWindow(starts: number[], windowMs: number): number {
	const sorted = [...starts].sort((x, y) => x - y);
	let most = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (sorted[i] - sorted[j] >= windowMs) j++;
		most = Math.max(most, i - j + 1);
	}
	return most;
}

async function startsOfTwoWorkers(world: World, perWorker: number): Promise<number[]> {
	const windows = [{ limit: 5, windowMs: 1000 }];
	const starts: number[] = [];
	// the time each call was let through, as the backend saw it (what the server's counter would see)
	for (const store of [world.a, world.b]) {
		const take = store.backend.takeSlot.bind(store.backend);
		store.backend.takeSlot = async (key, w, now) => {
			const wait = await take(key, w, now);
			if (wait === 0) starts.push(now);
			return wait;
		};
	}
	const one = async (store: CoordinationStore) => {
		const limiter = store.limiter('feishu:cli_a:bitable.write', windows);
		await Promise.all(
			Array.from({ length: perWorker }, async () => {
				await limiter.acquire();
			}),
		);
	};
	await Promise.all([one(world.a), one(world.b)]);
	return starts;
}

describe('coordination store in Redis, shared by two workers', () => {
	let world: World;
	beforeEach(() => (world = redisWorld()));
	afterEach(() => world.close());

	it('rate limit: two workers together never start more than the limit in any window', async () => {
		const starts = await startsOfTwoWorkers(world, 10);
		expect(starts).toHaveLength(20);
		expect(busiestWindow(starts, 1000)).toBe(5);
	});

	it('rate limit: a "too many requests" seen by one worker holds back the other', async () => {
		const windows = [{ limit: 5, windowMs: 1000 }];
		const t0 = world.clock.now();
		world.a.limiter('k', windows).penalise(t0 + 3000);
		await new Promise((r) => setTimeout(r, 50)); // penalise is fire-and-forget
		await world.b.limiter('k', windows).acquire();
		expect(world.clock.now()).toBeGreaterThanOrEqual(t0 + 3000);
	});

	it('locks: held by one worker, refused to the other, lapses after its ttl, and the old holder learns it lost it', async () => {
		const first = await world.a.tryLock('bitable-sync:app:tbl', 10_000);
		expect(first).toBeDefined();
		expect(await world.b.tryLock('bitable-sync:app:tbl', 10_000)).toBeUndefined();
		await expect(world.b.withLock('bitable-sync:app:tbl', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(
			LockBusyError,
		);
		world.clock.t += 5_000;
		expect(await first!.extend()).toBe(true); // keepalive: now lapses at +15 s
		world.clock.t += 9_000;
		expect(await world.b.tryLock('bitable-sync:app:tbl', 10_000)).toBeUndefined();
		world.clock.t += 2_000; // the holder stalled past its ttl
		const second = await world.b.tryLock('bitable-sync:app:tbl', 10_000);
		expect(second).toBeDefined();
		expect(await first!.stillOurs()).toBe(false);
		await expect(first!.assertHeld()).rejects.toBeInstanceOf(LockLostError);
		expect(await first!.extend()).toBe(false);
		await first!.release(); // not ours any more: must not free the new holder's lock
		expect(await second!.stillOurs()).toBe(true);
	});

	it('locks: a waiting worker runs once the holder releases', async () => {
		const order: string[] = [];
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const first = world.a.withLock(
			't',
			async (lock) => {
				order.push('a start');
				await held;
				await lock.assertHeld();
				order.push('a end');
			},
			{ ttlMs: 3_600_000 }, // the waiter's polls advance the fake clock
		);
		await new Promise((r) => setTimeout(r, 30));
		const second = world.b.withLock('t', async () => void order.push('b'), { waitMs: 36_000_000, pollMs: 1000 });
		await new Promise((r) => setTimeout(r, 30));
		release();
		await Promise.all([first, second]);
		expect(order).toEqual(['a start', 'a end', 'b']);
	});

	it('tokens: one refresh across workers, the other reads what the first cached', async () => {
		let fetches = 0;
		const token = (store: CoordinationStore) =>
			store.singleFlight(
				'token:cli_a',
				async () => {
					const cached = await store.cacheGet('token:cli_a');
					if (cached) return cached;
					fetches++;
					await new Promise((r) => setTimeout(r, 50));
					await store.cacheSet('token:cli_a', `t-${fetches}`, world.clock.now() + 7_200_000);
					return `t-${fetches}`;
				},
				{ ttlMs: 3_600_000 },
			); // the waiter's polls advance the shared fake clock while the fetch takes real time
		const got = await Promise.all([token(world.a), token(world.b), token(world.a), token(world.b)]);
		expect(fetches).toBe(1);
		expect(new Set(got)).toEqual(new Set(['t-1']));
		world.clock.t += 7_200_000;
		expect(await world.b.cacheGet('token:cli_a')).toBeUndefined();
	});

	it('breaker: failures on both workers open it for both; after the cooldown one trial across workers', async () => {
		const opts = { failureThreshold: 3, cooldownMs: 60_000 };
		const ba = world.a.breaker('Feishu', 'feishu:cli_a', opts);
		const bb = world.b.breaker('Feishu', 'feishu:cli_a', opts);
		const fail = () => Promise.reject(new Error('502'));
		await expect(ba.run(fail)).rejects.toThrow('502');
		await expect(bb.run(fail)).rejects.toThrow('502');
		await expect(ba.run(fail)).rejects.toThrow('502');
		let called = 0;
		await expect(bb.run(async () => ++called)).rejects.toBeInstanceOf(CircuitOpenError);
		expect(called).toBe(0);
		world.clock.t += 60_000;
		let finishTrial!: () => void;
		const trial = ba.run(() => new Promise<number>((r) => (finishTrial = () => r(++called))));
		await new Promise((r) => setTimeout(r, 30));
		await expect(bb.run(async () => ++called)).rejects.toBeInstanceOf(CircuitOpenError);
		finishTrial();
		await trial;
		expect(await bb.run(async () => 'closed')).toBe('closed');
		expect(called).toBe(1);
	});
});

describe('control: per-process state (no Redis credential)', () => {
	it('two workers each keep their own limit, so together they start twice the limit in one window', async () => {
		const world = perProcessWorld();
		const starts = await startsOfTwoWorkers(world, 10);
		expect(busiestWindow(starts, 1000)).toBe(10);
	});

	it('two workers both take the same table lock', async () => {
		const world = perProcessWorld();
		expect(await world.a.tryLock('bitable-sync:app:tbl')).toBeDefined();
		expect(await world.b.tryLock('bitable-sync:app:tbl')).toBeDefined();
	});
});

describe.each([
	['memory', (): Backend => new MemoryBackend()],
	['redis', (): Backend => new RedisBackend(redisConnection, `test-coordination-${randomUUID()}:`)],
])('backend %s: the same answers', (_name, make) => {
	let backend: Backend;
	beforeEach(() => (backend = make()));
	afterEach(async () => {
		if (backend instanceof RedisBackend) await backend.flush();
		await backend.close();
	});

	it('sliding log with two windows: the waits the in-process limiter gives', async () => {
		const windows = [
			{ limit: 2, windowMs: 100 },
			{ limit: 3, windowMs: 1000 },
		];
		expect(await backend.takeSlot('k', windows, 0)).toBe(0);
		expect(await backend.takeSlot('k', windows, 10)).toBe(0);
		expect(await backend.takeSlot('k', windows, 20)).toBe(80); // 2 per 100 ms: wait for the first start to age out
		expect(await backend.takeSlot('k', windows, 100)).toBe(0);
		expect(await backend.takeSlot('k', windows, 300)).toBe(700); // 3 per second
		expect(await backend.takeSlot('k', windows, 1000)).toBe(0);
		await backend.penalise('k', windows, 5000);
		expect(await backend.takeSlot('k', windows, 2000)).toBe(3000);
	});

	it('cache: values expire by the caller clock', async () => {
		await backend.cacheSet('c', 'v', 0, 100);
		expect(await backend.cacheGet('c', 99)).toBe('v');
		expect(await backend.cacheGet('c', 100)).toBeUndefined();
		await backend.cacheSet('d', 'w', 0);
		expect(await backend.cacheGet('d', 1e12)).toBe('w');
		await backend.cacheDelete('d');
		expect(await backend.cacheGet('d', 0)).toBeUndefined();
	});
});
