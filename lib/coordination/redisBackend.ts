/**
 * The backend primitives in Redis, one Lua script each, so every step is atomic across the n8n main
 * process and its queue-mode workers. Times come from the caller's clock (hosts of one n8n install
 * are expected to be NTP-synchronised); Redis's own expiry only tidies keys long after they lapse.
 * Why not rate-limiter-flexible: its Redis limiters count fixed windows that Redis expires in real
 * time, so (1) two adjacent windows can start twice the limit within one second of Feishu's window,
 * which is what the sliding log here prevents, and (2) time cannot be injected into tests.
 */
import type { Redis, RedisOptions } from 'ioredis';
import type { RateWindow } from '../resilience';
import type { Backend, BreakerRecord } from './backend';

/** Redis keeps a lapsed key this much longer than its logical expiry (clock skew, tests' virtual time). */
const TIDY_AFTER_MS = 10 * 60_000;

// KEYS: seq, window logs...; ARGV: now, tidyMs, then limit and windowMs per window. Returns the wait in ms (0: taken).
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local wait = 0
for i = 2, #KEYS do
	local limit = tonumber(ARGV[2 * i - 1])
	local win = tonumber(ARGV[2 * i])
	redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
	local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
	if last[2] and tonumber(last[2]) > now then wait = math.max(wait, tonumber(last[2]) - now) end
	local n = redis.call('ZCARD', KEYS[i])
	if n >= limit then
		local e = redis.call('ZRANGE', KEYS[i], n - limit, n - limit, 'WITHSCORES')
		wait = math.max(wait, tonumber(e[2]) + win - now)
	end
end
if wait > 0 then return wait end
local id = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
for i = 2, #KEYS do
	redis.call('ZADD', KEYS[i], now, id)
	redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return 0`;

// KEYS: seq, window logs...; ARGV: untilMs, tidyMs
const PENALISE = `
local id = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
	redis.call('ZADD', KEYS[i], ARGV[1], 'p' .. id)
	redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return 0`;

// KEYS: lock; ARGV: owner, now, ttlMs, tidyMs, mode ('acquire' | 'extend')
const LOCK_TAKE = `
local owner = redis.call('HGET', KEYS[1], 'owner')
local exp = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
local now = tonumber(ARGV[2])
local mine = owner == ARGV[1] and exp > now
if ARGV[5] == 'extend' and not mine then return 0 end
if owner and owner ~= ARGV[1] and exp > now then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'expiresAt', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return 1`;

// KEYS: lock; ARGV: owner
const LOCK_RELEASE = `
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS: breaker; ARGV: now, threshold, wasTrial ('1' | '0'), tidyMs
const BREAKER_FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if ARGV[3] == '1' or failures >= tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'openedAt', ARGV[1]) end
if ARGV[3] == '1' then redis.call('HDEL', KEYS[1], 'trialUntil') end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return failures`;

// KEYS: breaker; ARGV: now, ttlMs
const BREAKER_TRIAL = `
local trialUntil = tonumber(redis.call('HGET', KEYS[1], 'trialUntil') or '0')
if trialUntil > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'trialUntil', tonumber(ARGV[1]) + tonumber(ARGV[2]))
return 1`;

// KEYS: entry; ARGV: now. The value and its expiry (in the caller's clock) live in one hash.
const CACHE_GET = `
local e = redis.call('HMGET', KEYS[1], 'value', 'expiresAt')
if not e[1] then return false end
if e[2] and e[2] ~= '' and tonumber(e[2]) <= tonumber(ARGV[1]) then return false end
return e[1]`;

type Scripted = Redis & {
	coordTakeSlot(...args: Array<string | number>): Promise<number>;
	coordPenalise(...args: Array<string | number>): Promise<number>;
	coordLockTake(...args: Array<string | number>): Promise<number>;
	coordLockRelease(...args: Array<string | number>): Promise<number>;
	coordBreakerFailure(...args: Array<string | number>): Promise<number>;
	coordBreakerTrial(...args: Array<string | number>): Promise<number>;
	coordCacheGet(...args: Array<string | number>): Promise<string | null>;
};

export class RedisBackend implements Backend {
	readonly shared = true;
	private readonly redis: Scripted;

	/** `prefix` keeps this package's keys apart from n8n's own (its queue uses `bull:`). */
	constructor(
		connection: RedisOptions,
		private readonly prefix = 'n8n-nodes-feishu-wps-sync:',
	) {
		// ioredis loads with the first Redis credential, not when n8n loads the nodes.
		const IORedis = require('ioredis') as typeof import('ioredis').default;
		const redis = new IORedis({ lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true, ...connection });
		redis.defineCommand('coordTakeSlot', { lua: TAKE_SLOT });
		redis.defineCommand('coordPenalise', { lua: PENALISE });
		redis.defineCommand('coordLockTake', { numberOfKeys: 1, lua: LOCK_TAKE });
		redis.defineCommand('coordLockRelease', { numberOfKeys: 1, lua: LOCK_RELEASE });
		redis.defineCommand('coordBreakerFailure', { numberOfKeys: 1, lua: BREAKER_FAILURE });
		redis.defineCommand('coordBreakerTrial', { numberOfKeys: 1, lua: BREAKER_TRIAL });
		redis.defineCommand('coordCacheGet', { numberOfKeys: 1, lua: CACHE_GET });
		// Connection errors surface on the command that needed the connection; without a listener
		// ioredis would print every reconnect attempt.
		redis.on('error', () => undefined);
		this.redis = redis as Scripted;
	}

	private k(kind: string, key: string): string {
		return `${this.prefix}${kind}:${key}`;
	}

	private slotKeys(key: string, windows: RateWindow[]): string[] {
		return [this.k('rate', `${key}:seq`), ...windows.map((w) => this.k('rate', `${key}:${w.limit}/${w.windowMs}`))];
	}

	async takeSlot(key: string, windows: RateWindow[], now: number): Promise<number> {
		const keys = this.slotKeys(key, windows);
		const tidy = Math.max(...windows.map((w) => w.windowMs)) + TIDY_AFTER_MS;
		const args = windows.flatMap((w) => [w.limit, w.windowMs]);
		return Number(await this.redis.coordTakeSlot(keys.length, ...keys, now, tidy, ...args));
	}

	async penalise(key: string, windows: RateWindow[], untilMs: number): Promise<void> {
		const keys = this.slotKeys(key, windows);
		await this.redis.coordPenalise(keys.length, ...keys, Math.round(untilMs), TIDY_AFTER_MS);
	}

	async lockAcquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
		return (await this.redis.coordLockTake(this.k('lock', name), owner, now, ttlMs, TIDY_AFTER_MS, 'acquire')) === 1;
	}

	async lockExtend(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
		return (await this.redis.coordLockTake(this.k('lock', name), owner, now, ttlMs, TIDY_AFTER_MS, 'extend')) === 1;
	}

	async lockHeld(name: string, owner: string, now: number): Promise<boolean> {
		const [held, expiresAt] = await this.redis.hmget(this.k('lock', name), 'owner', 'expiresAt');
		return held === owner && Number(expiresAt) > now;
	}

	async lockRelease(name: string, owner: string): Promise<void> {
		await this.redis.coordLockRelease(this.k('lock', name), owner);
	}

	async cacheGet(key: string, now: number): Promise<string | undefined> {
		return (await this.redis.coordCacheGet(this.k('cache', key), now)) ?? undefined;
	}

	async cacheSet(key: string, value: string, now: number, expiresAt?: number): Promise<void> {
		const k = this.k('cache', key);
		const multi = this.redis
			.multi()
			.del(k)
			.hset(k, 'value', value, 'expiresAt', expiresAt === undefined ? '' : String(expiresAt));
		if (expiresAt !== undefined) multi.pexpire(k, Math.max(1, expiresAt - now) + TIDY_AFTER_MS);
		await multi.exec();
	}

	async cacheDelete(key: string): Promise<void> {
		await this.redis.del(this.k('cache', key));
	}

	async counterAdd(key: string, by: number, ttlMs: number): Promise<number> {
		const k = this.k('counter', key);
		const [[, value]] = (await this.redis.multi().incrby(k, by).pexpire(k, ttlMs).exec()) as [
			[Error | null, number],
			unknown,
		];
		return Number(value);
	}

	async breakerRead(key: string): Promise<BreakerRecord> {
		const [failures, openedAt] = await this.redis.hmget(this.k('breaker', key), 'failures', 'openedAt');
		return { failures: Number(failures ?? 0), openedAt: openedAt ? Number(openedAt) : undefined };
	}

	async breakerClaimTrial(key: string, now: number, ttlMs: number): Promise<boolean> {
		return (await this.redis.coordBreakerTrial(this.k('breaker', key), now, ttlMs)) === 1;
	}

	async breakerSuccess(key: string): Promise<void> {
		await this.redis.del(this.k('breaker', key));
	}

	async breakerFailure(key: string, now: number, threshold: number, wasTrial: boolean): Promise<void> {
		await this.redis.coordBreakerFailure(this.k('breaker', key), now, threshold, wasTrial ? '1' : '0', TIDY_AFTER_MS);
	}

	/** For tests: removes every key under this backend's prefix. */
	async flush(): Promise<void> {
		const keys = await this.redis.keys(`${this.prefix}*`);
		if (keys.length) await this.redis.del(...keys);
	}

	async close(): Promise<void> {
		await this.redis.quit().catch(() => this.redis.disconnect());
	}
}
