import { Tokens } from './auth';
import { type FaultKind, FaultPlan } from './faults';
import type { App } from './model';
import { AppRateLimiter, type RateLimitSetting } from './rateLimit';
import type { Tenant } from './tenant';

export interface Counters {
	calls: Record<string, number>;
	writes: number;
	faultsInjected: Partial<Record<FaultKind, number>>;
	faultsOnWrites: Partial<Record<FaultKind, number>>;
	rateLimited: number;
}

export const emptyCounters = (): Counters => ({
	calls: {},
	writes: 0,
	faultsInjected: {},
	faultsOnWrites: {},
	rateLimited: 0,
});

/** Everything one emulator instance holds; `reset()` brings it back to a fresh start. */
export class EmulatorState {
	tenants = new Map<string, Tenant>();
	apps = new Map<string, App>();
	/** Where seedDepts / seedUsers / dump go when no clientId is named. */
	lastClientId: string | undefined;
	tokens = new Tokens();
	faultPlan: FaultPlan | undefined;
	counters = emptyCounters();
	rateLimiter: AppRateLimiter;
	clockOffsetMs = 0;

	constructor(
		private readonly initialRateLimits: RateLimitSetting,
		private readonly baseNow: () => number,
		readonly defaultSeed: number,
	) {
		this.rateLimiter = new AppRateLimiter(initialRateLimits);
	}

	now(): number {
		return this.baseNow() + this.clockOffsetMs;
	}

	reset(): void {
		this.tenants = new Map();
		this.apps = new Map();
		this.lastClientId = undefined;
		this.tokens = new Tokens();
		this.faultPlan = undefined;
		this.counters = emptyCounters();
		this.rateLimiter = new AppRateLimiter(this.initialRateLimits);
		this.clockOffsetMs = 0;
	}

	count(key: string): void {
		this.counters.calls[key] = (this.counters.calls[key] ?? 0) + 1;
	}

	countFault(kind: FaultKind, write: boolean): void {
		this.counters.faultsInjected[kind] = (this.counters.faultsInjected[kind] ?? 0) + 1;
		if (write) this.counters.faultsOnWrites[kind] = (this.counters.faultsOnWrites[kind] ?? 0) + 1;
	}

	app(clientId: string | undefined): App {
		const id = clientId ?? this.lastClientId;
		const app = id === undefined ? undefined : this.apps.get(id);
		if (!app) throw new Error(id === undefined ? 'no tenant seeded yet' : `no app ${id}`);
		return app;
	}

	tenantOf(clientId: string | undefined): Tenant {
		return this.tenants.get(this.app(clientId).tenantId)!;
	}
}
