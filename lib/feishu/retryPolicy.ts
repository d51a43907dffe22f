/** Which Feishu failures are retried, how long to wait, and which count towards the circuit breaker. */
import { RetriesExhaustedError, type RetryVerdict } from '../resilience';
import { FeishuApiError, FeishuNetworkError, RATE_LIMIT_CODE, TRANSIENT_CODES } from './errors';

/** When the gateway sends no reset header, wait this long after a 429. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1000;

export function isRateLimited(error: unknown): error is FeishuApiError {
	return error instanceof FeishuApiError && (error.code === RATE_LIMIT_CODE || error.httpStatus === 429);
}

/** Transient: busy, conflict, not ready, internal, timeout, 5xx, network. Never permission/not-found/validation. */
export function isTransient(error: unknown): boolean {
	if (error instanceof FeishuNetworkError) return true;
	if (!(error instanceof FeishuApiError)) return false;
	if (error.code !== undefined && TRANSIENT_CODES.has(error.code)) return true;
	return error.httpStatus === 429 || (error.httpStatus !== undefined && error.httpStatus >= 500);
}

export function classifyFeishuError(error: unknown): RetryVerdict {
	if (!isTransient(error)) return { retry: false };
	if (isRateLimited(error)) {
		const reset = error.retryAfterSeconds;
		return { retry: true, minDelayMs: reset !== undefined ? reset * 1000 : DEFAULT_RATE_LIMIT_WAIT_MS };
	}
	return { retry: true };
}

/** A call that failed even after its retries: evidence that Feishu is unavailable. */
export function countsAsOutage(error: unknown): boolean {
	return error instanceof RetriesExhaustedError || isTransient(error);
}

/**
 * A write that ended this way may have been applied even though no success came back: a timeout or lost
 * connection, a 5xx, 1255040 (timed out) or 1254608 (the same client_token still being processed). Decide by
 * reading, never by writing again with a fresh token.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
	if (error instanceof FeishuNetworkError) return true;
	if (!(error instanceof FeishuApiError)) return false;
	return (
		error.code === 1254608 || error.code === 1255040 || (error.httpStatus !== undefined && error.httpStatus >= 500)
	);
}
