/**
 * One Feishu Open API call, with everything around it: write serialisation per base, the app's
 * circuit breaker, retries with backoff, the family rate limiter, the tenant token (dropped and
 * fetched again once when Feishu rejects it), a request timeout, and errors that say what to do.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import { RetriesExhaustedError, withRetry, type Clock } from '../resilience';
import type { FeishuAppState, FeishuRegistry } from './appState';
import { isWrite, type FeishuRateLimits } from './endpoints';
import { FeishuApiError, FeishuNetworkError, TOKEN_CODES } from './errors';
import { FeishuHttpError, requestTimeout } from './httpInstance';
import { classifyFeishuError, countsAsOutage, isRateLimited } from './retryPolicy';

export interface RetrySettings {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export interface ApiCall {
	/** Endpoint name, e.g. `bitable.records.search` (picks the rate-limit family, names errors). */
	endpoint: string;
	/**
	 * The SDK's typed method for the endpoint (docs/feishu-api.md lists them), so the compiler checks the request
	 * against the SDK's typings. It gets this attempt's query parameters (`paramsForAttempt`, e.g. client_token)
	 * and returns the answer's `{code, msg, data}`. Without it the call is a raw `client.request` of method and path.
	 */
	sdk?: (client: lark.Client, attemptParams: Record<string, unknown>) => Promise<unknown>;
	/** For raw calls (endpoints the SDK has no method for). */
	method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** Path from `/open-apis/...`, ids already encoded (raw calls). */
	path?: string;
	params?: Record<string, unknown>;
	data?: unknown;
	headers?: Record<string, string>;
	/** The base written to: writes to one base run one at a time. */
	baseToken?: string;
	/** Per-attempt query parameters (e.g. a fresh client_token when reuse is switched off). */
	paramsForAttempt?: (attempt: number) => Record<string, unknown>;
	/** Return the whole body, for the few endpoints that answer outside `data` (e.g. bot/v3/info). */
	raw?: boolean;
}

export interface CallerSettings {
	timeoutMs: number;
	rateLimits: FeishuRateLimits;
	retry: RetrySettings;
	clock: Clock;
	random?: () => number;
}

const TOKEN_FAILURE = /failed to get (\w+), code: (-?\d+|unknown), msg: (.*)$/;

/** Turns whatever the SDK or fetch threw into a FeishuApiError / FeishuNetworkError where possible. */
export function normaliseError(error: unknown, endpoint: string, baseUrl: string): unknown {
	if (error instanceof FeishuApiError || error instanceof FeishuNetworkError) return error;
	if (error instanceof FeishuHttpError) {
		return new FeishuApiError(error.code, error.feishuMessage, endpoint, error.status, undefined, error.resetSeconds);
	}
	const name = (error as { name?: string })?.name;
	if (name === 'TimeoutError' || name === 'AbortError') {
		return new FeishuNetworkError(endpoint, 'timeout', (error as Error).message, baseUrl);
	}
	// By name, not instanceof: fetch's TypeError may come from another realm (e.g. under jest).
	if (name === 'TypeError' && /fetch failed|terminated|socket/i.test((error as Error).message)) {
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		return new FeishuNetworkError(
			endpoint,
			'network',
			cause?.code ?? cause?.message ?? (error as Error).message,
			baseUrl,
		);
	}
	const message = (error as { message?: unknown })?.message;
	const tokenFailure = typeof message === 'string' ? TOKEN_FAILURE.exec(message) : null;
	if (tokenFailure) {
		const code = Number(tokenFailure[2]);
		return new FeishuApiError(Number.isFinite(code) ? code : undefined, tokenFailure[3], 'auth.tenant_token');
	}
	return error;
}

function isTokenRejected(error: unknown): boolean {
	return error instanceof FeishuHttpError && error.code !== undefined && TOKEN_CODES.has(error.code);
}

/** RetriesExhaustedError -> the last Feishu error, saying how many attempts were made. */
function giveUpError(error: unknown): unknown {
	if (!(error instanceof RetriesExhaustedError)) return error;
	const last = error.lastError;
	if (last instanceof FeishuApiError || last instanceof FeishuNetworkError) {
		last.attempts = error.attempts;
		last.message = `${last.message} (gave up after ${error.attempts} attempts)`;
		if (last instanceof FeishuApiError) {
			last.hint =
				'Feishu kept failing with a temporary error: try again later, or lower the batch size or the number of parallel executions.';
		}
		return last;
	}
	return error;
}

export class FeishuCaller {
	/** Open API requests sent (every attempt, not counting tenant token fetches). */
	calls = 0;
	/** Attempts that failed and were tried again. */
	retries = 0;

	constructor(
		readonly app: FeishuAppState,
		private readonly registry: FeishuRegistry,
		private readonly settings: CallerSettings,
	) {}

	async call<T>(call: ApiCall): Promise<T> {
		const run = () => this.app.breaker.run(() => this.withRetries<T>(call), countsAsOutage);
		try {
			if (call.baseToken && isWrite(call.endpoint)) {
				return await this.registry.baseWrites.run(`${this.app.baseUrl}|${call.baseToken}`, run);
			}
			return await run();
		} catch (error) {
			throw giveUpError(error);
		}
	}

	private withRetries<T>(call: ApiCall): Promise<T> {
		const { retry, clock, random } = this.settings;
		let failedBefore = false;
		return withRetry(
			async (attempt) => {
				try {
					return await this.attempt<T>(call, attempt);
				} catch (raw) {
					const error = normaliseError(raw, call.endpoint, this.app.baseUrl);
					if (error instanceof FeishuApiError) error.afterFailedAttempt = failedBefore;
					failedBefore = true;
					throw error;
				}
			},
			{
				...retry,
				clock,
				random,
				classify: classifyFeishuError,
				onRetry: (error) => {
					this.retries++;
					if (isRateLimited(error)) {
						// Everyone using this app and family waits for the gateway's reset, not just this call.
						const resetMs = (error.retryAfterSeconds ?? 1) * 1000;
						this.app.limiterFor(call.endpoint, this.settings.rateLimits).penalise(clock.now() + resetMs);
					}
				},
			},
		);
	}

	private async attempt<T>(call: ApiCall, attempt: number): Promise<T> {
		const token = async () => {
			try {
				await this.app.ensureToken();
			} catch (error) {
				throw normaliseError(error, 'auth.tenant_token', this.app.baseUrl);
			}
		};
		const limiter = this.app.limiterFor(call.endpoint, this.settings.rateLimits);
		const attemptParams = call.paramsForAttempt?.(attempt) ?? {};
		const params = { ...call.params, ...attemptParams };
		const send = async () => {
			await limiter.acquire();
			this.calls++;
			// the month's count for the call budget (lib/feishu/usage.ts)
			this.app.usage.count(this.settings.clock.now());
			if (call.sdk) {
				const typed = call.sdk;
				return requestTimeout.run(this.settings.timeoutMs, () => typed(this.app.client, attemptParams));
			}
			if (!call.method || !call.path) throw new Error(`${call.endpoint}: no SDK method and no path`);
			return this.app.client.request({
				method: call.method,
				url: `${this.app.baseUrl}${call.path}`,
				params,
				data: call.data as Record<string, unknown> | undefined,
				headers: call.headers,
				timeout: this.settings.timeoutMs,
			} as Parameters<typeof this.app.client.request>[0]);
		};
		await token();
		let body: unknown;
		try {
			body = await send();
		} catch (error) {
			if (!isTokenRejected(error)) throw error;
			// The SDK caches the token until shortly before expiry and never refreshes it on rejection.
			await this.app.dropToken();
			await token();
			body = await send();
		}
		if (call.raw) return body as T;
		return (body as { data?: T } | undefined)?.data as T;
	}
}
