/** The only documented figure: 10 requests per second per app. */
export const SPEC_PER_SECOND = 10;

export type RateLimitSetting = 'spec' | 'off' | { multiplier?: number; perSecond?: number };

export function perSecondOf(setting: RateLimitSetting): number {
	if (setting === 'off') return Infinity;
	if (setting === 'spec') return SPEC_PER_SECOND;
	return setting.perSecond ?? SPEC_PER_SECOND * (setting.multiplier ?? 1);
}

/** Token bucket per app (one second of burst), on the emulator's injected clock. */
export class AppRateLimiter {
	private perSecond: number;
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(setting: RateLimitSetting) {
		this.perSecond = perSecondOf(setting);
	}

	set(setting: RateLimitSetting): void {
		this.perSecond = perSecondOf(setting);
		this.buckets.clear();
	}

	/** Takes one token for `clientId`; false when the app is over its rate. */
	take(clientId: string, now: number): boolean {
		if (this.perSecond === Infinity) return true;
		const bucket = this.buckets.get(clientId) ?? { tokens: this.perSecond, at: now };
		bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
		bucket.at = now;
		this.buckets.set(clientId, bucket);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}
}
