import { seededRandom } from './prng';

export const FAULT_KINDS = ['5xx', 'drop', 'applied_then_timeout'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultPlanSpec {
	seed: number;
	/** Probability per matching call (default 0.1); ignored when `onCalls` is given. */
	rate?: number;
	kinds: FaultKind[];
	/** Endpoint keys (`POST /v7/depts/create`, ...); default every /v7 endpoint. */
	endpoints?: string[];
	/** 1-based indexes among matching calls that fail, instead of a random rate. */
	onCalls?: number[];
	/** How long `applied_then_timeout` holds the answer after applying (default 3000 ms). */
	slowMs?: number;
}

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
