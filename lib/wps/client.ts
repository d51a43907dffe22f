import { type Clock, RateLimiter, RetriesExhaustedError, defaultRetry, systemClock, withRetry } from '../resilience';
import { WpsApiError } from './errors';
import { classifyWpsError, isAuthRefusal, outcomeUnknown } from './retryPolicy';
import { cachedToken, dropToken, tokenKey } from './tokenCache';
import { dropSharedToken, sharedToken, type CallLimiter, type CoordinationStore } from '../coordination';
import { WPS_FILTER_STATUSES, type WpsUserStatus } from './types';
import { type QueryValue, type WireConfig, requestToken, send } from './wire';

export const DEFAULT_BASE_URL = 'https://openapi.wps.cn';
/** The only documented WPS rate: 10 requests per second per app. */
export const DEFAULT_RATE_PER_SECOND = 10;
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface WpsClientOptions {
	/** A shared coordination store (Redis): token and rate limit shared by every process using it. */
	coordination?: CoordinationStore;
	baseUrl?: string;
	clientId: string;
	clientSecret: string;
	/** KSO-1 signing of every request (the app's "interface signing" setting). */
	signing?: boolean;
	/** Private deployments: the signed path leaves out the base URL's path (e.g. `/openapi`). */
	signedPathDropsPrefix?: boolean;
	/** Per-attempt timeout. */
	timeoutMs?: number;
	retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
	/** Client-side requests per second for this app, shared in this process; false: no limiter. */
	ratePerSecond?: number | false;
	/** Statuses every user read asks for (the status filter hides the others). Default: the three every filter accepts. */
	statuses?: readonly WpsUserStatus[];
	/**
	 * Before resending a create whose earlier attempt may have been applied (timeout, dropped
	 * connection, 5xx), look it up by external id. Default true; off only to prove it matters.
	 */
	readBeforeWrite?: boolean;
	/** Skip the process-level token cache (credential test: prove the secret now). */
	freshToken?: boolean;
	clock?: Clock;
	random?: () => number;
	fetch?: typeof fetch;
}

export interface CallSpec<T> {
	method: 'GET' | 'POST';
	/** Path template, `{name}` filled from params, e.g. `/v7/depts/{dept_id}/update`. */
	template: string;
	params?: Record<string, string>;
	query?: Record<string, QueryValue>;
	body?: unknown;
	/**
	 * Before a resend that follows an attempt with an unknown outcome: find what that attempt may
	 * have done; a value ends the call with it instead of resending.
	 */
	readBeforeResend?: () => Promise<T | undefined>;
	/**
	 * A resend (after an unknown outcome) was refused for good: a read decides whether the first attempt
	 * was applied (a create now found by its external id, a delete now gone); a value ends the call with it.
	 * WPS's message is never consulted (docs/wps-api.md, "Errors").
	 */
	settleAfterResend?: (error: WpsApiError) => Promise<T | undefined> | T | undefined;
}

export interface WpsCallStats {
	/** HTTP requests to /v7 (every attempt). */
	requests: number;
	retries: number;
	tokenRequests: number;
	/** Creates answered by read-before-write instead of a resend. */
	recoveredWrites: number;
}

const sharedLimiters = new Map<string, RateLimiter>();

function limiterFor(key: string, perSecond: number, clock: Clock | undefined): RateLimiter {
	if (clock) return new RateLimiter([{ limit: perSecond, windowMs: 1000 }], clock);
	const id = `${key}|${perSecond}`;
	let limiter = sharedLimiters.get(id);
	if (!limiter) sharedLimiters.set(id, (limiter = new RateLimiter([{ limit: perSecond, windowMs: 1000 }])));
	return limiter;
}

/**
 * The one WPS transport: token (cached, refreshed once on an auth refusal), KSO-1 signing,
 * per-attempt timeout, client-side rate limit, retries with backoff and jitter on transient
 * failures only, and read-before-write hooks for calls whose outcome was lost.
 */
export class WpsClient {
	readonly statuses: readonly WpsUserStatus[];
	readonly readBeforeWrite: boolean;
	readonly stats: WpsCallStats = { requests: 0, retries: 0, tokenRequests: 0, recoveredWrites: 0 };
	private readonly wire: WireConfig;
	private readonly key: string;
	private readonly clock: Clock;
	private readonly limiter: CallLimiter | undefined;
	/** A shared store (Redis): the token and the rate limit then span every queue-mode worker. */
	private readonly store: CoordinationStore | undefined;
	private readonly retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

	constructor(private readonly options: WpsClientOptions) {
		const baseUrl = (options.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
		const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
		this.clock = options.clock ?? systemClock;
		this.wire = {
			now: () => this.clock.now(),
			baseUrl,
			clientId: options.clientId,
			clientSecret: options.clientSecret,
			signing: options.signing ?? false,
			unsignedPrefix: options.signedPathDropsPrefix && prefix ? prefix : undefined,
			timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			fetch: options.fetch ?? fetch,
		};
		this.key = tokenKey(baseUrl, options.clientId, options.clientSecret);
		const rate = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
		this.store = options.coordination?.shared ? options.coordination : undefined;
		this.limiter =
			rate === false
				? undefined
				: this.store
					? this.store.limiter(`wps:${this.key}:${rate}`, [{ limit: rate, windowMs: 1000 }])
					: limiterFor(this.key, rate, options.clock);
		this.retry = { ...defaultRetry, ...options.retry };
		this.statuses = options.statuses?.length ? options.statuses : WPS_FILTER_STATUSES;
		this.readBeforeWrite = options.readBeforeWrite ?? true;
	}

	private async token(): Promise<string> {
		const fetchToken = async () => {
			this.stats.tokenRequests++;
			return requestToken(this.wire);
		};
		if (this.options.freshToken) return (await fetchToken()).token;
		if (this.store) return sharedToken(this.store, `wps:${this.key}`, fetchToken);
		return cachedToken(this.key, () => this.clock.now(), fetchToken);
	}

	/** One attempt: a refused token is dropped and the request sent once more with a new one. */
	private async attempt(req: Parameters<typeof send>[2]): Promise<unknown> {
		const token = await this.token();
		await this.limiter?.acquire();
		this.stats.requests++;
		try {
			return await send(this.wire, token, req);
		} catch (error) {
			if (!isAuthRefusal(error)) throw error;
			if (this.store) await dropSharedToken(this.store, `wps:${this.key}`, token);
			else dropToken(this.key, token);
			const fresh = await this.token();
			await this.limiter?.acquire();
			this.stats.requests++;
			return send(this.wire, fresh, req);
		}
	}

	/**
	 * A create whose lost answer is settled by a read (with read-before-write on and an external id to
	 * look up): before a resend, and after a resend refused for any reason. "Already exists" is decided
	 * by that read, never by WPS's message.
	 */
	create(template: string, body: unknown, lookup: (() => Promise<unknown>) | undefined): Promise<unknown> {
		const settle = lookup && this.readBeforeWrite ? lookup : undefined;
		return this.call<unknown>({ method: 'POST', template, body, readBeforeResend: settle, settleAfterResend: settle });
	}

	/** An update, answered `{code, msg}` only (idempotent: a resend writes the same values again). */
	async update(template: string, params: Record<string, string>, body: unknown): Promise<void> {
		await this.call({ method: 'POST', template, params, body });
	}

	/** A delete whose resend, refused after a lost answer, is settled by a read: gone (`exists` false) counts as done. */
	async delete(template: string, params: Record<string, string>, exists: () => Promise<boolean>): Promise<void> {
		await this.call({
			method: 'POST',
			template,
			params,
			settleAfterResend: async () => ((await exists()) ? undefined : {}),
		});
	}

	/** Calls one endpoint with retries; returns the envelope's `data`. */
	async call<T>(spec: CallSpec<T>): Promise<T> {
		const path = spec.template.replace(/\{(\w+)\}/g, (_, name: string) =>
			encodeURIComponent(spec.params?.[name] ?? ''),
		);
		const req = {
			method: spec.method,
			path,
			endpoint: `${spec.method} ${spec.template}`,
			query: spec.query,
			body: spec.body,
		};
		let unknownOutcome = false;
		try {
			return await withRetry(
				async () => {
					if (unknownOutcome && spec.readBeforeResend) {
						const found = await spec.readBeforeResend();
						if (found !== undefined) {
							this.stats.recoveredWrites++;
							return found;
						}
					}
					try {
						return (await this.attempt(req)) as T;
					} catch (error) {
						if (
							unknownOutcome &&
							spec.settleAfterResend &&
							error instanceof WpsApiError &&
							!classifyWpsError(error).retry
						) {
							const settled = await spec.settleAfterResend(error);
							if (settled !== undefined) return settled;
						}
						if (outcomeUnknown(error)) unknownOutcome = true;
						throw error;
					}
				},
				{
					...this.retry,
					classify: classifyWpsError,
					clock: this.clock,
					random: this.options.random,
					onRetry: () => void this.stats.retries++,
				},
			);
		} catch (error) {
			if (error instanceof RetriesExhaustedError && error.lastError instanceof WpsApiError) {
				error.lastError.attempts = error.attempts;
				throw error.lastError;
			}
			throw error;
		}
	}
}
