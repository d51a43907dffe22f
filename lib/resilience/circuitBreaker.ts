import { ServiceError, type ErrorFields } from '../errors';
import { type Clock, systemClock } from './clock';

export interface CircuitBreakerOptions {
	/** Consecutive failed calls (after their own retries) that open the circuit. */
	failureThreshold: number;
	cooldownMs: number;
	clock?: Clock;
}

/** Thrown instead of calling a service that has been failing: fail fast, say when we retry. */
export class CircuitOpenError extends ServiceError {
	constructor(
		/** The service as users know it ("Feishu", "WPS"). */
		readonly serviceLabel: string,
		readonly retryAt: number,
	) {
		const until = new Date(retryAt).toISOString();
		super(`${serviceLabel} is unavailable (several calls in a row failed); calls are paused until ${until}`, {
			service: /wps/i.test(serviceLabel) ? 'wps' : /feishu|lark/i.test(serviceLabel) ? 'feishu' : 'http',
			kind: 'network',
			hint: `Several calls to ${serviceLabel} in a row failed even after retries, so calls are paused to let it recover. The next call after ${until} tries again.`,
		});
	}

	get serviceResponse(): ErrorFields {
		return { message: this.message };
	}
}

/**
 * Closed -> open after N consecutive failures -> after the cooldown one trial call is let through
 * (half-open): success closes it, failure opens it again.
 */
export class CircuitBreaker {
	private failures = 0;
	private openedAt: number | undefined;
	private trialInFlight = false;
	private readonly clock: Clock;

	constructor(
		readonly service: string,
		private readonly options: CircuitBreakerOptions,
	) {
		this.clock = options.clock ?? systemClock;
	}

	get state(): 'closed' | 'open' | 'half-open' {
		if (this.openedAt === undefined) return 'closed';
		return this.clock.now() >= this.openedAt + this.options.cooldownMs ? 'half-open' : 'open';
	}

	async run<T>(call: () => Promise<T>, countsAsFailure: (error: unknown) => boolean = () => true): Promise<T> {
		const state = this.state;
		if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
			throw new CircuitOpenError(this.service, (this.openedAt ?? 0) + this.options.cooldownMs);
		}
		const isTrial = state === 'half-open';
		if (isTrial) this.trialInFlight = true;
		try {
			const result = await call();
			this.failures = 0;
			this.openedAt = undefined;
			return result;
		} catch (error) {
			if (countsAsFailure(error)) {
				this.failures++;
				if (isTrial || this.failures >= this.options.failureThreshold) this.openedAt = this.clock.now();
			} else if (isTrial) {
				// The service answered (e.g. a validation error): it is reachable again.
				this.failures = 0;
				this.openedAt = undefined;
			}
			throw error;
		} finally {
			if (isTrial) this.trialInFlight = false;
		}
	}
}
