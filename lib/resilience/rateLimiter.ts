import { type Clock, systemClock } from './clock';

export interface RateWindow {
	/** How many calls may start within any window of `windowMs`. */
	limit: number;
	windowMs: number;
}

/**
 * Sliding-window limiter: at most `limit` starts in any `windowMs`, for every window given
 * (e.g. 50/s and 1000/min). A sliding log never exceeds a fixed-window server limit either.
 * Callers are served in arrival order.
 */
export class RateLimiter {
	private readonly starts: number[][];
	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly windows: RateWindow[],
		private readonly clock: Clock = systemClock,
	) {
		this.starts = windows.map(() => []);
	}

	/** Resolves when the caller may start one call. */
	acquire(): Promise<void> {
		const turn = this.queue.then(() => this.waitForSlot());
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	/** Pushes every window's next start back, e.g. after the server answered 429 with a reset time. */
	penalise(untilMs: number): void {
		for (const log of this.starts) log.push(untilMs);
		for (const log of this.starts) log.sort((a, b) => a - b);
	}

	private async waitForSlot(): Promise<void> {
		for (;;) {
			const now = this.clock.now();
			let waitMs = 0;
			this.windows.forEach((window, i) => {
				const log = this.starts[i];
				while (log.length && log[0] <= now - window.windowMs) log.shift();
				const future = log.filter((t) => t > now);
				if (future.length) waitMs = Math.max(waitMs, Math.max(...future) - now);
				if (log.length >= window.limit) {
					waitMs = Math.max(waitMs, log[log.length - window.limit] + window.windowMs - now);
				}
			});
			if (waitMs <= 0) {
				for (const log of this.starts) log.push(now);
				return;
			}
			await this.clock.sleep(waitMs);
		}
	}
}

/** Builds the usual "N per second (and M per minute)" limiter. */
export function perSecond(limit: number, perMinute?: number, clock?: Clock): RateLimiter {
	const windows: RateWindow[] = [{ limit, windowMs: 1000 }];
	if (perMinute) windows.push({ limit: perMinute, windowMs: 60_000 });
	return new RateLimiter(windows, clock);
}
