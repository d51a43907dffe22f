/**
 * What is shared by every execution that uses the same Feishu app in this process: the SDK client
 * (and its token cache), the rate limiters, the circuit breaker, and the per-base write locks.
 * It does not span processes (n8n queue-mode workers each have their own).
 */
import { createHash } from 'crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import { CircuitBreaker, KeyedMutex, RateLimiter, type Clock } from '../sync';
import { familyOf, WINDOW_SLACK_MS, type FeishuRateLimits, type RateFamily } from './endpoints';
import { createHttpInstance } from './httpInstance';
import { createSdkLogger, type LogSink } from './logger';

export interface BreakerSettings {
	failureThreshold: number;
	cooldownMs: number;
}

/** The SDK's cache interface, holding tenant tokens; `clear()` drops a token Feishu rejected. */
export class TokenCache {
	private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

	private key(key: string | Symbol, namespace?: string): string {
		return `${namespace ?? ''}/${key.toString()}`;
	}

	async get(key: string | Symbol, options?: { namespace?: string }): Promise<unknown> {
		const entry = this.values.get(this.key(key, options?.namespace));
		// The SDK stamps expiry with Date.now(), so it is compared with Date.now() too.
		if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= Date.now())) return undefined;
		return entry.value;
	}

	async set(key: string | Symbol, value: unknown, expiresAt?: number, options?: { namespace?: string }): Promise<boolean> {
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

export class FeishuAppState {
	readonly tokens = new TokenCache();
	readonly client: lark.Client;
	readonly breaker: CircuitBreaker;
	private readonly limiters = new Map<string, RateLimiter>();
	private tokenFlight: Promise<void> | undefined;
	/** Base metadata (app get) by app token, with when it was read: the trigger needs the zone on every poll. */
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
	) {
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
		this.breaker = new CircuitBreaker(`Feishu (app ${appId})`, { ...breaker, clock });
	}

	limiter(family: RateFamily, limits: FeishuRateLimits): RateLimiter {
		const perSecond = limits[family];
		const key = `${family}:${perSecond}`;
		let limiter = this.limiters.get(key);
		if (!limiter) {
			// Paced in tenths of a second rather than one burst of `perSecond` per second: a big burst
			// reaches the gateway spread out by queueing, and the next second's burst would then overlap
			// it and be refused. Small bursts keep timer overshoot from adding up.
			const burst = Math.ceil(perSecond / 10);
			limiter = new RateLimiter([{ limit: burst, windowMs: (burst * (1000 + WINDOW_SLACK_MS)) / perSecond }], this.clock);
			this.limiters.set(key, limiter);
		}
		return limiter;
	}

	limiterFor(endpoint: string, limits: FeishuRateLimits): RateLimiter {
		return this.limiter(familyOf(endpoint), limits);
	}

	/**
	 * Makes sure a tenant token is cached before a call takes its rate-limit slot, fetching it once
	 * for all concurrent callers (the SDK alone would fetch one per waiting call).
	 */
	async ensureToken(): Promise<void> {
		this.tokenFlight ??= (async () => {
			try {
				await this.client.tokenManager.getTenantAccessToken();
			} finally {
				this.tokenFlight = undefined;
			}
		})();
		return this.tokenFlight;
	}

	dropToken(): void {
		this.tokens.clear();
	}
}

/** Process-level registry of app states, keyed by base URL, app id and (a hash of) the secret. */
export class FeishuRegistry {
	private readonly apps = new Map<string, FeishuAppState>();
	/** Writes to one base are serialised across apps and executions (Feishu advises one writer per base). */
	readonly baseWrites = new KeyedMutex();

	constructor(readonly clock: Clock) {}

	app(appId: string, appSecret: string, baseUrl: string, timeoutMs: number, breaker: BreakerSettings): FeishuAppState {
		const secretHash = createHash('sha256').update(appSecret).digest('hex').slice(0, 16);
		const key = `${baseUrl}|${appId}|${secretHash}`;
		let state = this.apps.get(key);
		if (!state) {
			state = new FeishuAppState(appId, appSecret, baseUrl, timeoutMs, this.clock, breaker);
			this.apps.set(key, state);
		}
		return state;
	}
}
