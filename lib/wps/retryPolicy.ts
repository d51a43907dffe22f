import type { RetryVerdict } from '../resilience';
import { WPS_CODE, WpsApiError } from './errors';

/** After a 429 the bucket needs about a second to refill. */
const RATE_LIMIT_WAIT_MS = 1000;

export function isRateLimited(error: unknown): boolean {
	return error instanceof WpsApiError && (error.code === WPS_CODE.tooManyRequests || error.httpStatus === 429);
}

/** Retried: HTTP 429, 5xx, timeouts, network errors. Never a 4xx business refusal (docs/wps-api.md, "Errors"). */
export function isTransient(error: unknown): boolean {
	if (!(error instanceof WpsApiError)) return false;
	if (error.failure === 'timeout' || error.failure === 'network') return true;
	if (error.failure !== 'api') return false;
	if (isRateLimited(error)) return true;
	return (error.httpStatus ?? 0) >= 500 || error.code === WPS_CODE.serverError;
}

/**
 * The call may have been applied although no answer says so (timeout, dropped connection, 5xx):
 * a resend must first look for what the lost attempt may have done.
 */
export function outcomeUnknown(error: unknown): boolean {
	if (!(error instanceof WpsApiError)) return false;
	return (
		error.failure === 'timeout' ||
		error.failure === 'network' ||
		(error.httpStatus ?? 0) >= 500 ||
		error.code === WPS_CODE.serverError
	);
}

/** The token was refused: HTTP 401 or the 401 code class (whatever `msg` says). A new token is fetched once. */
export function isAuthRefusal(error: unknown): boolean {
	return (
		error instanceof WpsApiError &&
		error.failure === 'api' &&
		(error.httpStatus === 401 || error.code === WPS_CODE.unauthorized)
	);
}

export function classifyWpsError(error: unknown): RetryVerdict {
	if (!isTransient(error)) return { retry: false };
	return isRateLimited(error) ? { retry: true, minDelayMs: RATE_LIMIT_WAIT_MS } : { retry: true };
}
