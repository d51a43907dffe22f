/**
 * What the Feishu and WPS emulators share: the shape of their test-only admin surface (fault plans, counters). Only
 * test plumbing lives here, nothing of either service's behaviour, which each emulator implements on its own.
 */

/** The fault plan both admins take; each emulator says which kinds it has and what a plan covers by default. */
export interface FaultPlanSettings<Kind extends string> {
	/** Seeds the plan's own draws, so a plan replays for the same call sequence. */
	seed: number;
	/** Probability that a matching call gets a fault (default 0.1); not used when `onCalls` is given. */
	rate?: number;
	kinds: Kind[];
	/** Endpoint keys the plan applies to; by default the emulator's data endpoints. */
	endpoints?: string[];
	/** 1-based indexes of the matching calls that get a fault, instead of `rate`. */
	onCalls?: number[];
	/** How long the emulator's slow kind holds its answer after applying the write; default 3000 ms. */
	slowMs?: number;
}

/** The admin routes both emulators have; `call` posts to the emulator's `/__admin/<name>`. */
export abstract class EmulatorAdmin<Counters, Plan> {
	protected abstract call<T>(name: string, body?: unknown): Promise<T>;

	counters(): Promise<Counters> {
		return this.call('counters');
	}

	resetCounters(): Promise<void> {
		return this.call('resetCounters');
	}

	setFaultPlan(plan: Plan): Promise<void> {
		return this.call('setFaultPlan', plan);
	}

	clearFaultPlan(): Promise<void> {
		return this.call('clearFaultPlan');
	}
}
