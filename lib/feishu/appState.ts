/**
 * What is shared by every execution that uses the same Feishu app in this process: the SDK client
 * (and its token cache), the rate limiters, the circuit breaker, and the per-base write locks.
 * With a shared coordination store (Redis, lib/coordination) the tokens, limits, breaker and base
 * write locks live there and span every n8n queue-mode worker; without one, each process has its own.
 */
import { createHash } from 'crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Breaker, CallLimiter, CoordinationStore } from '../coordination';
import { CircuitBreaker, KeyedMutex, RateLimiter, type Clock } from '../resilience';
import { familyOf, WINDOW_SLACK_MS, type FeishuRateLimits, type RateFamily } from './endpoints';
import { createHttpInstance } from './httpInstance';
import { createSdkLogger, type LogSink } from './logger';
import { MonthlyUsage } from './usage';

export interface BreakerSettings {
	failureThreshold: number;
	cooldownMs: number;
}

/** The SDK's cache key type (it spells it `string | Symbol`). */
type CacheKey = Parameters<lark.Cache['get']>[0];

/** The SDK's cache interface, holding tenant tokens; `clear()` drops a token Feishu rejected. */
export class TokenCache {
	private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

	private key(key: CacheKey, namespace?: string): string {
		return `${namespace ?? ''}/${key.toString()}`;
	}

	async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
		const entry = this.values.get(this.key(key, options?.namespace));
		// The SDK stamps expiry with Date.now(), so it is compared with Date.now() too.
		if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= Date.now())) return undefined;
		return entry.value;
	}

	async set(key: CacheKey, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
		this.values.set(this.key(key, options?.namespace), { value, expiresAt });
		return true;
	}

	clear(): void {
		this.values.clear();
	}

	get size(): number {
		return this.values.size;
	}
}

/** The SDK's cache interface on a shared store: one tenant token for every process using the app. */
export class SharedTokenCache {
	private readonly names = new Set<string>();

	constructor(
		private readonly store: CoordinationStore,
		private readonly prefix: string,
	) {}

	private key(key: CacheKey, namespace?: string): string {
		const name = `${namespace ?? ''}/${key.toString()}`;
		this.names.add(name);
		return `${this.prefix}${name}`;
	}

	async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
		const raw = await this.store.cacheGet(this.key(key, options?.namespace));
		// The SDK stamps expiry with Date.now(); the store compares with its clock (the system clock outside tests).
		return raw === undefined ? undefined : JSON.parse(raw);
	}

	async set(key: CacheKey, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
		await this.store.cacheSet(this.key(key, options?.namespace), JSON.stringify(value), expiresAt);
		return true;
	}

	async clear(): Promise<void> {
		await Promise.all([...this.names].map((name) => this.store.cacheDelete(`${this.prefix}${name}`)));
	}
}

/** Slack per second of window when the limit is shared by several processes (see limiter()). */
const SHARED_WINDOW_SLACK_MS = 100;

/** The SDK's key for the tenant token (a Symbol it does not export; the caches key on its text). */
const TENANT_TOKEN_KEY = 'Symbol(tenant-access-token)';

export class FeishuAppState {
	readonly tokens: TokenCache | SharedTokenCache;
	readonly client: lark.Client;
	readonly breaker: Breaker;
	private readonly limiters = new Map<string, CallLimiter>();
	/** Where limits, tokens and the breaker are kept across processes (undefined: this process only). */
	private readonly store: CoordinationStore | undefined;
	private readonly stateKey: string;
	private tokenFlight: Promise<void> | undefined;
	/** Base metadata (app get) by app token, with when it was read: the trigger needs the zone on every poll. */
	/** This process's calls for the app per month (lib/feishu/usage.ts, the monthly call budget). */
	readonly usage = new MonthlyUsage();
	readonly baseInfos = new Map<string, { at: number; info: Promise<{ isAdvanced: boolean; timeZone?: string }> }>();
	/** Where the SDK's (redacted) log lines go; the latest session's sink wins. */
	logSink: LogSink | undefined;

	constructor(
		readonly appId: string,
		appSecret: string,
		readonly baseUrl: string,
		timeoutMs: number,
		readonly clock: Clock,
		breaker: BreakerSettings,
		store?: CoordinationStore,
	) {
		this.store = store?.shared ? store : undefined;
		const secretHash = createHash('sha256').update(appSecret).digest('hex').slice(0, 16);
		this.stateKey = `feishu:${baseUrl}|${appId}|${secretHash}`;
		this.tokens = this.store ? new SharedTokenCache(this.store, `${this.stateKey}:token:`) : new TokenCache();
		// The SDK (with protobuf, ws, axios) loads with the first client, not when n8n loads the nodes.
		const sdk = require('@larksuiteoapi/node-sdk') as typeof lark;
		this.client = new sdk.Client({
			appId,
			appSecret,
			domain: baseUrl,
			httpInstance: createHttpInstance(timeoutMs) as unknown as lark.HttpInstance,
			cache: this.tokens,
			logger: createSdkLogger((level, message) => this.logSink?.(level, message), [appSecret]),
			loggerLevel: sdk.LoggerLevel.warn,
		});
		const service = `Feishu (app ${appId})`;
		this.breaker = this.store
			? this.store.breaker(service, this.stateKey, breaker)
			: new CircuitBreaker(service, { ...breaker, clock });
	}

	limiter(family: RateFamily, limits: FeishuRateLimits): CallLimiter {
		const perSecond = limits[family];
		const key = `${family}:${perSecond}`;
		let limiter = this.limiters.get(key);
		if (!limiter) {
			// Paced in tenths of a second rather than one burst of `perSecond` per second: a big burst
			// reaches the gateway spread out by queueing, and the next second's burst would then overlap
			// it and be refused. Small bursts keep timer overshoot from adding up.
			const burst = Math.ceil(perSecond / 10);
			// Shared across processes, a slot taken in Redis is followed by a send from a busy n8n process whose event
			// loop may lag: more slack keeps the arrivals within Feishu's window.
			const slack = this.store ? SHARED_WINDOW_SLACK_MS : WINDOW_SLACK_MS;
			const windows = [{ limit: burst, windowMs: (burst * (1000 + slack)) / perSecond }];
			limiter = this.store
				? this.store.limiter(`${this.stateKey}:${key}`, windows)
				: new RateLimiter(windows, this.clock);
			this.limiters.set(key, limiter);
		}
		return limiter;
	}

	limiterFor(endpoint: string, limits: FeishuRateLimits): CallLimiter {
		return this.limiter(familyOf(endpoint), limits);
	}

	/**
	 * Makes sure a tenant token is cached before a call takes its rate-limit slot, fetching it once
	 * for all concurrent callers (the SDK alone would fetch one per waiting call).
	 */
	async ensureToken(): Promise<void> {
		this.tokenFlight ??= (async () => {
			try {
				const store = this.store;
				if (!store) return void (await this.client.tokenManager.getTenantAccessToken());
				if (await this.tokens.get(TENANT_TOKEN_KEY, { namespace: this.appId })) return;
				// One refresh across every process: the others wait, then find the winner's token in the cache.
				await store.singleFlight(`${this.stateKey}:token-refresh`, () =>
					this.client.tokenManager.getTenantAccessToken(),
				);
			} finally {
				this.tokenFlight = undefined;
			}
		})();
		return this.tokenFlight;
	}

	async dropToken(): Promise<void> {
		await this.tokens.clear();
	}
}

/** One write call (with its retries) per holder; a holder that dies frees the base after the ttl. At most one
 * waiter per process polls (this process's turn comes first), so a short poll costs Redis little and keeps writes dense. */
const BASE_WRITE_LOCK = { ttlMs: 120_000, waitMs: 600_000, pollMs: 5 };

/** Process-level registry of app states, keyed by base URL, app id and (a hash of) the secret. */
export class FeishuRegistry {
	private readonly apps = new Map<string, FeishuAppState>();
	/**
	 * Writes to one base are serialised across apps and executions (Feishu advises one writer per base);
	 * with a shared store across processes too (this process's turn first, then the store's lock).
	 */
	readonly baseWrites: { run<T>(key: string, work: () => Promise<T>): Promise<T> };

	constructor(
		readonly clock: Clock,
		/** A shared coordination store (Redis): state spans processes. */
		readonly store?: CoordinationStore,
	) {
		const local = new KeyedMutex();
		const shared = store?.shared ? store : undefined;
		this.baseWrites = shared
			? {
					run: (key, work) =>
						local.run(key, () => shared.withLock(`feishu-base-write:${key}`, () => work(), BASE_WRITE_LOCK)),
				}
			: local;
	}

	app(appId: string, appSecret: string, baseUrl: string, timeoutMs: number, breaker: BreakerSettings): FeishuAppState {
		const secretHash = createHash('sha256').update(appSecret).digest('hex').slice(0, 16);
		const key = `${baseUrl}|${appId}|${secretHash}`;
		let state = this.apps.get(key);
		if (!state) {
			state = new FeishuAppState(appId, appSecret, baseUrl, timeoutMs, this.clock, breaker, this.store);
			this.apps.set(key, state);
		}
		return state;
	}
}
