/**
 * Gateway rate limits per app and per endpoint, as sliding windows: a call is refused when the window already
 * holds `limit` accepted calls. Refused calls get HTTP 429, code 99991400 and the x-ogw-ratelimit-* headers.
 */
import type { LimitClass } from './http/route';
import type { RateLimitSetting } from './types';

interface Limits {
	perSecond?: number;
	perMinute?: number;
}

export const SPEC_LIMITS: Record<LimitClass, Limits> = {
	none: {},
	read: { perSecond: 20 },
	recordWrite: { perSecond: 50, perMinute: 1000 },
	fieldWrite: { perSecond: 10, perMinute: 1000 },
	contact: { perSecond: 50 },
	upload: { perSecond: 5 },
	wiki: { perSecond: 20 },
};

export interface Refusal {
	limit: number;
	resetSeconds: number;
}

/** Accepted call times inside one window. */
class Window {
	private times: number[] = [];
	private head = 0;
	constructor(private readonly spanMs: number) {}
	/** When full: ms until the oldest call leaves the window; else undefined. */
	fullFor(now: number, limit: number): number | undefined {
		while (this.head < this.times.length && this.times[this.head] <= now - this.spanMs) this.head++;
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
		if (this.times.length - this.head < limit) return undefined;
		return this.times[this.times.length - limit] + this.spanMs - now;
	}
	add(now: number): void {
		this.times.push(now);
	}
}

export class RateLimiter {
	private windows = new Map<string, { second: Window; minute: Window }>();
	constructor(private setting: RateLimitSetting = 'spec') {}

	configure(setting: RateLimitSetting): void {
		this.setting = setting;
		this.windows.clear();
	}

	limitsFor(cls: LimitClass, key: string): Limits {
		if (this.setting === 'off') return {};
		const base = SPEC_LIMITS[cls];
		const cfg = this.setting === 'spec' ? {} : this.setting;
		const m = cfg.multiplier ?? 1;
		const perSecond = cfg.perEndpoint?.[key] ?? (base.perSecond !== undefined ? base.perSecond * m : undefined);
		const perMinute = base.perMinute !== undefined ? base.perMinute * m : undefined;
		return { perSecond, perMinute };
	}

	/** Records the call when allowed; returns the refusal otherwise. */
	check(appId: string, key: string, cls: LimitClass, now: number): Refusal | undefined {
		const { perSecond, perMinute } = this.limitsFor(cls, key);
		if (perSecond === undefined && perMinute === undefined) return undefined;
		const id = `${appId} ${key}`;
		let w = this.windows.get(id);
		if (!w) this.windows.set(id, (w = { second: new Window(1000), minute: new Window(60_000) }));
		for (const [limit, win] of [
			[perSecond, w.second],
			[perMinute, w.minute],
		] as const) {
			if (limit === undefined) continue;
			const waitMs = win.fullFor(now, Math.max(1, Math.floor(limit)));
			if (waitMs !== undefined)
				return { limit: Math.floor(limit), resetSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
		}
		w.second.add(now);
		w.minute.add(now);
		return undefined;
	}
}
