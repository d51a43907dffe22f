import type { RetryVerdict } from '../sync';
import { WPS_CODE, WPS_REASON, WpsApiError } from './errors';

/** After a 429 the bucket needs about a second to refill. */
const RATE_LIMIT_WAIT_MS = 1000;

export function isRateLimited(error: unknown): boolean {
	return error instanceof WpsApiError && (error.code === WPS_CODE.tooManyRequests || error.httpStatus === 429);
}

/** Retried: rate limit, 5xx, timeouts, network errors, `dept_order_is_refactoring`. Never validation, permission, not found. */
export function isTransient(error: unknown): boolean {
	if (!(error instanceof WpsApiError)) return false;
	if (error.kind === 'timeout' || error.kind === 'network') return true;
	if (error.kind !== 'api') return false;
	if (isRateLimited(error) || error.msg === WPS_REASON.deptOrderRefactoring) return true;
	return (error.httpStatus ?? 0) >= 500 || error.code === WPS_CODE.serverError;
}

/**
 * The call may have been applied although no answer says so (timeout, dropped connection, 5xx):
 * a resend of a create must first look for what the lost attempt may have made.
 */
export function outcomeUnknown(error: unknown): boolean {
	if (!(error instanceof WpsApiError)) return false;
	return error.kind === 'timeout' || error.kind === 'network' || (error.httpStatus ?? 0) >= 500 || error.code === WPS_CODE.serverError;
}

export function isAuthRefusal(error: unknown): boolean {
	return error instanceof WpsApiError && (error.msg === WPS_REASON.invalidToken || error.msg === WPS_REASON.tokenExpired);
}

export function classifyWpsError(error: unknown): RetryVerdict {
	if (!isTransient(error)) return { retry: false };
	return isRateLimited(error) ? { retry: true, minDelayMs: RATE_LIMIT_WAIT_MS } : { retry: true };
}
