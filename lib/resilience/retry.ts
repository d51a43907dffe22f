import { ServiceError } from '../errors';
import { type Clock, systemClock } from './clock';

/** What a caller's classifier says about one failure. */
export interface RetryVerdict {
	retry: boolean;
	/** The server asked us to wait at least this long (e.g. a rate-limit reset header). */
	minDelayMs?: number;
}

export interface RetryOptions {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	classify: (error: unknown, attempt: number) => RetryVerdict;
	clock?: Clock;
	random?: () => number;
	onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const defaultRetry = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Raised when every attempt failed; keeps the last error as `cause` for the caller's message. */
/** Wraps the last failure; its service, code and hint are the last failure's (translators unwrap it). */
export class RetriesExhaustedError extends ServiceError {
	constructor(
		readonly attempts: number,
		readonly lastError: unknown,
	) {
		const last = lastError instanceof ServiceError ? lastError : undefined;
		super(
			`gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${
				lastError instanceof Error ? lastError.message : String(lastError)
			}`,
			{
				service: last?.service ?? 'http',
				kind: last?.kind ?? 'network',
				code: last?.code,
				hint: last?.hint,
				endpoint: last?.endpoint,
			},
		);
	}
}

/** Exponential backoff with "full jitter": spreads retries of concurrent callers apart. */
export function backoffDelay(
	attempt: number,
	baseDelayMs: number,
	maxDelayMs: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `fn` until it succeeds, the classifier says the error is final, or attempts run out.
 * Final errors are rethrown unchanged; exhausted retries throw RetriesExhaustedError.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
	const clock = options.clock ?? systemClock;
	for (let attempt = 1; ; attempt++) {
		try {
			return await fn(attempt);
		} catch (error) {
			const verdict = options.classify(error, attempt);
			if (!verdict.retry) throw error;
			if (attempt >= options.maxAttempts) throw new RetriesExhaustedError(attempt, error);
			const delay = Math.max(
				verdict.minDelayMs ?? 0,
				backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs, options.random),
			);
			options.onRetry?.(error, attempt, delay);
			await clock.sleep(delay);
		}
	}
}
