/**
 * The primitive operations a coordination store is built from, each atomic in its backend: the
 * in-process one (maps) and the Redis one (Lua scripts, redisBackend.ts). The behaviour on top of
 * them (queues, waiting, keepalive, breaker logic) is written once, in store.ts.
 * Every time is given by the caller's clock, so tests backdate instead of waiting.
 */
import type { RateWindow } from '../resilience';

export interface BreakerRecord {
	failures: number;
	/** When the circuit opened; undefined while closed. */
	openedAt: number | undefined;
}

export interface Backend {
	/** True when the state is visible to other processes. */
	readonly shared: boolean;
	/** Takes one start in every window and returns 0, or takes nothing and returns how long to wait (ms). */
	takeSlot(key: string, windows: RateWindow[], now: number): Promise<number>;
	/** No start in any window before `untilMs` (the server answered "too many requests"). */
	penalise(key: string, windows: RateWindow[], untilMs: number): Promise<void>;

	/** Takes the lock when it is free or expired (or already `owner`'s); false when someone else holds it. */
	lockAcquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
	/** Pushes the expiry to now + ttl when `owner` still holds it (unexpired); false otherwise. */
	lockExtend(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
	/** `owner` holds it and it has not expired. */
	lockHeld(name: string, owner: string, now: number): Promise<boolean>;
	lockRelease(name: string, owner: string): Promise<void>;

	cacheGet(key: string, now: number): Promise<string | undefined>;
	/** `expiresAt` in the caller's clock; undefined: no expiry. */
	cacheSet(key: string, value: string, now: number, expiresAt?: number): Promise<void>;
	cacheDelete(key: string): Promise<void>;

	/** Adds `by` to a counter and answers its new value; the counter is forgotten after `ttlMs`. */
	counterAdd(key: string, by: number, ttlMs: number): Promise<number>;

	breakerRead(key: string): Promise<BreakerRecord>;
	/** Half-open: exactly one caller (across processes) gets the trial call until `now + ttlMs`. */
	breakerClaimTrial(key: string, now: number, ttlMs: number): Promise<boolean>;
	breakerSuccess(key: string): Promise<void>;
	/** Counts a failure; opens the circuit (openedAt = now) at `threshold` failures or when it was the trial. */
	breakerFailure(key: string, now: number, threshold: number, wasTrial: boolean): Promise<void>;

	close(): Promise<void>;
}

/** The same operations on maps: one process (today's behaviour), and the reference for the Redis scripts. */
export class MemoryBackend implements Backend {
	readonly shared = false;
	private readonly logs = new Map<string, number[][]>();
	private readonly locks = new Map<string, { owner: string; expiresAt: number }>();
	private readonly cache = new Map<string, { value: string; expiresAt?: number }>();
	private readonly breakers = new Map<string, BreakerRecord & { trialUntil?: number }>();

	private log(key: string, windows: RateWindow[]): number[][] {
		let log = this.logs.get(key);
		if (!log || log.length !== windows.length) this.logs.set(key, (log = windows.map(() => [])));
		return log;
	}

	async takeSlot(key: string, windows: RateWindow[], now: number): Promise<number> {
		const logs = this.log(key, windows);
		let waitMs = 0;
		windows.forEach((window, i) => {
			const log = logs[i];
			while (log.length && log[0] <= now - window.windowMs) log.shift();
			const last = log.length ? log[log.length - 1] : undefined;
			if (last !== undefined && last > now) waitMs = Math.max(waitMs, last - now);
			if (log.length >= window.limit) waitMs = Math.max(waitMs, log[log.length - window.limit] + window.windowMs - now);
		});
		if (waitMs > 0) return waitMs;
		for (const log of logs) {
			log.push(now);
			log.sort((a, b) => a - b);
		}
		return 0;
	}

	async penalise(key: string, windows: RateWindow[], untilMs: number): Promise<void> {
		for (const log of this.log(key, windows)) {
			log.push(untilMs);
			log.sort((a, b) => a - b);
		}
	}

	async lockAcquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
		const held = this.locks.get(name);
		if (held && held.owner !== owner && held.expiresAt > now) return false;
		this.locks.set(name, { owner, expiresAt: now + ttlMs });
		return true;
	}

	async lockExtend(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
		if (!(await this.lockHeld(name, owner, now))) return false;
		this.locks.set(name, { owner, expiresAt: now + ttlMs });
		return true;
	}

	async lockHeld(name: string, owner: string, now: number): Promise<boolean> {
		const held = this.locks.get(name);
		return !!held && held.owner === owner && held.expiresAt > now;
	}

	async lockRelease(name: string, owner: string): Promise<void> {
		if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
	}

	async cacheGet(key: string, now: number): Promise<string | undefined> {
		const entry = this.cache.get(key);
		if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= now)) return undefined;
		return entry.value;
	}

	async cacheSet(key: string, value: string, _now: number, expiresAt?: number): Promise<void> {
		this.cache.set(key, { value, expiresAt });
	}

	async cacheDelete(key: string): Promise<void> {
		this.cache.delete(key);
	}

	private readonly counters = new Map<string, number>();

	async counterAdd(key: string, by: number): Promise<number> {
		const value = (this.counters.get(key) ?? 0) + by;
		this.counters.set(key, value);
		return value;
	}

	private breaker(key: string): BreakerRecord & { trialUntil?: number } {
		let b = this.breakers.get(key);
		if (!b) this.breakers.set(key, (b = { failures: 0, openedAt: undefined }));
		return b;
	}

	async breakerRead(key: string): Promise<BreakerRecord> {
		const { failures, openedAt } = this.breaker(key);
		return { failures, openedAt };
	}

	async breakerClaimTrial(key: string, now: number, ttlMs: number): Promise<boolean> {
		const b = this.breaker(key);
		if (b.trialUntil !== undefined && b.trialUntil > now) return false;
		b.trialUntil = now + ttlMs;
		return true;
	}

	async breakerSuccess(key: string): Promise<void> {
		this.breakers.set(key, { failures: 0, openedAt: undefined });
	}

	async breakerFailure(key: string, now: number, threshold: number, wasTrial: boolean): Promise<void> {
		const b = this.breaker(key);
		b.failures++;
		if (wasTrial || b.failures >= threshold) b.openedAt = now;
		if (wasTrial) b.trialUntil = undefined;
	}

	async close(): Promise<void> {}
}
