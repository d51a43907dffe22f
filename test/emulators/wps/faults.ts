import type { FaultPlanSettings } from '../common';
import { seededRandom } from './prng';

export const FAULT_KINDS = ['5xx', 'drop', 'applied_then_timeout'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** WPS's plan: by default it covers every /v7 endpoint (keys like `POST /v7/depts/create`); `slowMs` delays `applied_then_timeout`. */
export type FaultPlanSpec = FaultPlanSettings<FaultKind>;

/** Seeded decisions: which call fails and how. */
export class FaultPlan {
	private readonly random: () => number;
	private calls = 0;
	readonly slowMs: number;

	constructor(readonly spec: FaultPlanSpec) {
		for (const kind of spec.kinds) {
			if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown fault kind ${kind}`);
		}
		if (spec.kinds.length === 0) throw new Error('a fault plan needs at least one kind');
		this.random = seededRandom(spec.seed);
		this.slowMs = spec.slowMs ?? 3000;
	}

	decide(endpointKey: string): FaultKind | undefined {
		if (this.spec.endpoints && !this.spec.endpoints.includes(endpointKey)) return undefined;
		const index = ++this.calls;
		const hit = this.spec.onCalls ? this.spec.onCalls.includes(index) : this.random() < (this.spec.rate ?? 0.1);
		if (!hit) return undefined;
		return this.spec.kinds[Math.floor(this.random() * this.spec.kinds.length)];
	}

	/** A further seeded draw, e.g. which 5xx answer to give. */
	variant(): number {
		return this.random();
	}
}
