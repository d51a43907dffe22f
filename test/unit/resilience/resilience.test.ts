import {
	CircuitBreaker,
	CircuitOpenError,
	KeyedMutex,
	RateLimiter,
	RetriesExhaustedError,
	backoffDelay,
	chunk,
	mapWithConcurrency,
	withRetry,
} from '../../../lib/resilience';
import { FakeClock } from './fakeClock';

class Transient extends Error {}

describe('withRetry', () => {
	const classify = (e: unknown) => ({ retry: e instanceof Transient, minDelayMs: (e as { waitMs?: number }).waitMs });

	it('retries transient errors with growing delays, then succeeds', async () => {
		const clock = new FakeClock();
		let calls = 0;
		const result = await withRetry(
			async () => {
				if (++calls < 4) throw new Transient('busy');
				return 'ok';
			},
			{ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10_000, classify, clock, random: () => 1 },
		);
		expect(result).toBe('ok');
		expect(clock.sleeps).toEqual([100, 200, 400]);
	});

	it('never retries a final error', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw new Error('validation');
				},
				{ maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, classify, clock: new FakeClock() },
			),
		).rejects.toThrow('validation');
		expect(calls).toBe(1);
	});

	it('waits at least what the server asked, and gives up after maxAttempts', async () => {
		const clock = new FakeClock();
		const error = Object.assign(new Transient('429'), { waitMs: 5000 });
		await expect(
			withRetry(async () => Promise.reject(error), {
				maxAttempts: 3,
				baseDelayMs: 10,
				maxDelayMs: 100,
				classify,
				clock,
			}),
		).rejects.toBeInstanceOf(RetriesExhaustedError);
		expect(clock.sleeps).toEqual([5000, 5000]);
	});

	it('jitters within half to full of the exponential ceiling', () => {
		expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
		expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
		expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
	});
});

describe('RateLimiter', () => {
	it('never lets more than the limit start in any sliding window', async () => {
		const clock = new FakeClock(0);
		const limiter = new RateLimiter([{ limit: 20, windowMs: 1000 }], clock);
		const starts: number[] = [];
		for (let i = 0; i < 100; i++) {
			await limiter.acquire();
			starts.push(clock.now());
		}
		for (let i = 20; i < starts.length; i++) expect(starts[i] - starts[i - 20]).toBeGreaterThanOrEqual(1000);
		expect(starts[99]).toBeLessThanOrEqual(4000);
	});

	it('honours a penalty from the server', async () => {
		const clock = new FakeClock(0);
		const limiter = new RateLimiter([{ limit: 100, windowMs: 1000 }], clock);
		limiter.penalise(3000);
		await limiter.acquire();
		expect(clock.now()).toBe(3000);
	});
});

describe('batching', () => {
	it('chunks in order and refuses a bad size', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});

	it('bounds concurrency and keeps result order', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapWithConcurrency([5, 1, 3, 2], 2, async (n) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((r) => setTimeout(r, n));
			inFlight--;
			return n * 10;
		});
		expect(results).toEqual([50, 10, 30, 20]);
		expect(peak).toBe(2);
	});
});

describe('KeyedMutex', () => {
	it('runs work for one key one at a time, other keys in parallel', async () => {
		const mutex = new KeyedMutex();
		const log: string[] = [];
		const job = (key: string, name: string) =>
			mutex.run(key, async () => {
				log.push(`${name}+`);
				await new Promise((r) => setTimeout(r, 5));
				log.push(`${name}-`);
			});
		await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
		expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
		expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
		expect(mutex.isBusy('a')).toBe(false);
	});
});

describe('CircuitBreaker', () => {
	it('opens after N failures, fails fast, lets one trial through after the cooldown', async () => {
		const clock = new FakeClock(0);
		const breaker = new CircuitBreaker('Feishu', { failureThreshold: 3, cooldownMs: 60_000, clock });
		const fail = () => breaker.run(async () => Promise.reject(new Error('down')));
		for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow('down');
		let called = false;
		await expect(breaker.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
		expect(called).toBe(false);
		clock.t += 60_000;
		await expect(breaker.run(async () => 'up')).resolves.toBe('up');
		expect(breaker.state).toBe('closed');
	});
});
