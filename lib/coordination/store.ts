/**
 * The coordination store every node uses for what must hold across executions: rate limits per app
 * and endpoint family, app tokens (one refresh at a time), table and target locks, breaker state.
 * In-process (`inProcessStore`, the default: one n8n process) or in Redis (redisStore.ts: every
 * queue-mode worker sees the same state). The logic is here once; the backends only hold state.
 */
import { ServiceError } from '../errors';
import { randomUUID } from 'crypto';
import { CircuitOpenError, systemClock, type Clock, type RateWindow } from '../resilience';
import { MemoryBackend, type Backend } from './backend';

/** Could not take a lock within the wait: another run (maybe on another worker) holds it. */
export class LockBusyError extends ServiceError {
	constructor(
		readonly lockName: string,
		readonly waitedMs: number,
	) {
		super(`Could not get the lock "${lockName}" within ${Math.round(waitedMs / 1000)} s: another run holds it`, {
			service: 'package',
			kind: 'refused',
		});
	}
}

/** The lock expired or was taken over (a stalled worker, a lost connection): stop before the next write. */
export class LockLostError extends ServiceError {
	constructor(readonly lockName: string) {
		super(
			`The lock "${lockName}" is no longer held by this run (it expired or another run took it over); ` +
				'stopped before the next write. Run again: the next run completes the work.',
			{ service: 'package', kind: 'refused' },
		);
	}
}

export interface CallLimiter {
	/** Resolves when the caller may start one call. */
	acquire(): Promise<void>;
	/** No start before `untilMs` for anyone using this limiter (the server said "too many requests"). */
	penalise(untilMs: number): void;
}

export interface Breaker {
	run<T>(call: () => Promise<T>, countsAsFailure?: (error: unknown) => boolean): Promise<T>;
}

export interface HeldLock {
	readonly name: string;
	/** Still ours and unexpired (one round trip). */
	stillOurs(): Promise<boolean>;
	/** Throws LockLostError unless still ours: call it before each write batch. */
	assertHeld(): Promise<void>;
}

export interface LockOptions {
	/** The lock lapses this long after the last keepalive (a killed worker's lock frees itself). */
	ttlMs?: number;
	/** How long to wait for another holder; 0: refuse at once. */
	waitMs?: number;
	/** Retry interval while waiting. */
	pollMs?: number;
	/** Keepalive interval; default ttl / 3. */
	keepaliveMs?: number;
}

export const DEFAULT_LOCK_TTL_MS = 60_000;
const USAGE_TTL_MS = 62 * 86_400_000;

export class CoordinationStore {
	private readonly queues = new Map<string, Promise<void>>();
	private readonly flights = new Map<string, Promise<unknown>>();
	/** Identifies this process's lock holders (plus a counter per lock taken). */
	private readonly processId = randomUUID();
	private held = 0;

	constructor(
		readonly backend: Backend,
		readonly clock: Clock = systemClock,
		/** Says where the state lives, for notices and logs (never a password). */
		readonly description = 'this n8n process',
	) {}

	/**
	 * Month totals of an app's API calls (lib/feishu/usage.ts's SharedUsageStore): an atomic add that answers the
	 * new total, so the monthly call budget counts every process's calls. Kept about two months.
	 */
	readonly usage = {
		add: (appId: string, month: string, calls: number): Promise<number> =>
			this.backend.counterAdd(`usage:${appId}:${month}`, calls, USAGE_TTL_MS),
	};

	/** True when the state is shared with other processes (Redis). */
	get shared(): boolean {
		return this.backend.shared;
	}

	/**
	 * A sliding-window limiter: at most `limit` starts in any `windowMs`, for every window, counted by
	 * every process using this store. Callers in this process are served in arrival order.
	 */
	limiter(key: string, windows: RateWindow[]): CallLimiter {
		return {
			acquire: () => {
				const previous = this.queues.get(key) ?? Promise.resolve();
				const turn = previous.then(() => this.waitForSlot(key, windows));
				const tail = turn.catch(() => undefined);
				this.queues.set(key, tail);
				void tail.then(() => this.queues.get(key) === tail && this.queues.delete(key));
				return turn;
			},
			penalise: (untilMs: number) => {
				// fire and forget: the caller is about to back off anyway, and the next acquire sees it
				void this.backend.penalise(key, windows, untilMs).catch(() => undefined);
			},
		};
	}

	private async waitForSlot(key: string, windows: RateWindow[]): Promise<void> {
		for (;;) {
			const waitMs = await this.backend.takeSlot(key, windows, this.clock.now());
			if (waitMs <= 0) return;
			await this.clock.sleep(waitMs);
		}
	}

	/**
	 * Closed -> open after `failureThreshold` consecutive failures (counted by every process) -> after
	 * the cooldown one trial call in all processes (half-open): success closes it, failure reopens it.
	 */
	breaker(
		service: string,
		key: string,
		options: { failureThreshold: number; cooldownMs: number; trialTimeoutMs?: number },
	): Breaker {
		const trialTtl = options.trialTimeoutMs ?? Math.max(options.cooldownMs, 60_000);
		return {
			run: async <T>(call: () => Promise<T>, countsAsFailure: (error: unknown) => boolean = () => true): Promise<T> => {
				const { openedAt } = await this.backend.breakerRead(key);
				let isTrial = false;
				if (openedAt !== undefined) {
					const retryAt = openedAt + options.cooldownMs;
					if (this.clock.now() < retryAt) throw new CircuitOpenError(service, retryAt);
					isTrial = await this.backend.breakerClaimTrial(key, this.clock.now(), trialTtl);
					if (!isTrial) throw new CircuitOpenError(service, retryAt);
				}
				let result: T;
				try {
					result = await call();
				} catch (error) {
					if (countsAsFailure(error)) {
						await this.backend.breakerFailure(key, this.clock.now(), options.failureThreshold, isTrial);
					} else if (isTrial) {
						// The service answered (e.g. a validation error): it is reachable again.
						await this.backend.breakerSuccess(key);
					}
					throw error;
				}
				await this.backend.breakerSuccess(key);
				return result;
			},
		};
	}

	/** A value cache (tokens) with expiry in this store's clock. */
	async cacheGet(key: string): Promise<string | undefined> {
		return this.backend.cacheGet(key, this.clock.now());
	}

	async cacheSet(key: string, value: string, expiresAt?: number): Promise<void> {
		await this.backend.cacheSet(key, value, this.clock.now(), expiresAt);
	}

	async cacheDelete(key: string): Promise<void> {
		await this.backend.cacheDelete(key);
	}

	/**
	 * Runs `work` once at a time for `key` across every process (e.g. a token refresh): concurrent
	 * callers in this process share one run; other processes wait for the lock, and `work` is expected
	 * to look at the cache first, where the winner left its result.
	 */
	singleFlight<T>(key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
		let flight = this.flights.get(key) as Promise<T> | undefined;
		if (!flight) {
			flight = this.withLock(`flight:${key}`, () => work(), {
				ttlMs: 30_000,
				waitMs: 60_000,
				pollMs: 50,
				...options,
			}).finally(() => this.flights.delete(key));
			this.flights.set(key, flight);
		}
		return flight;
	}

	/** Takes the lock now or returns undefined. The caller releases it (see withLock for the usual way). */
	async tryLock(
		name: string,
		ttlMs = DEFAULT_LOCK_TTL_MS,
	): Promise<(HeldLock & { extend(): Promise<boolean>; release(): Promise<void> }) | undefined> {
		const owner = `${this.processId}#${++this.held}`;
		if (!(await this.backend.lockAcquire(name, owner, this.clock.now(), ttlMs))) return undefined;
		const held: HeldLock & { extend(): Promise<boolean>; release(): Promise<void> } = {
			name,
			stillOurs: () => this.backend.lockHeld(name, owner, this.clock.now()),
			assertHeld: async () => {
				if (!(await held.stillOurs())) throw new LockLostError(name);
			},
			extend: () => this.backend.lockExtend(name, owner, this.clock.now(), ttlMs),
			release: () => this.backend.lockRelease(name, owner),
		};
		return held;
	}

	/**
	 * Runs `work` while holding the lock `name`: waits up to `waitMs` for it, keeps it alive while
	 * `work` runs, releases it afterwards (also on error). `work` calls `lock.assertHeld()` before
	 * each write batch; a lock that lapsed anyway (a stalled process) is then reported, not written through.
	 */
	async withLock<T>(name: string, work: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
		const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
		const waitMs = options.waitMs ?? 0;
		const pollMs = options.pollMs ?? 200;
		const started = this.clock.now();
		let lock = await this.tryLock(name, ttlMs);
		while (!lock) {
			if (this.clock.now() - started >= waitMs) throw new LockBusyError(name, waitMs);
			await this.clock.sleep(Math.min(pollMs, Math.max(1, started + waitMs - this.clock.now())));
			lock = await this.tryLock(name, ttlMs);
		}
		const held = lock;
		let done = false;
		let lost = false;
		// The keepalive runs on real timers (a keepalive is about real elapsed time); tests call extend themselves.
		const keepaliveMs = options.keepaliveMs ?? Math.max(10, Math.floor(ttlMs / 3));
		const timer = setInterval(() => {
			if (done) return;
			held.extend().then(
				(ok) => (lost ||= !ok),
				() => undefined, // a failed round trip is not a lost lock; assertHeld asks the store again
			);
		}, keepaliveMs);
		timer.unref?.();
		const guarded: HeldLock = {
			name,
			stillOurs: async () => !lost && (await held.stillOurs()),
			assertHeld: async () => {
				if (lost || !(await held.stillOurs())) throw new LockLostError(name);
			},
		};
		try {
			return await work(guarded);
		} finally {
			done = true;
			clearInterval(timer);
			await held.release().catch(() => undefined);
		}
	}

	async close(): Promise<void> {
		await this.backend.close();
	}
}

/** Today's behaviour: state in this process only. */
export function createInProcessStore(clock: Clock = systemClock): CoordinationStore {
	return new CoordinationStore(new MemoryBackend(), clock);
}

export const inProcessStore = createInProcessStore();
