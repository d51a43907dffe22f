/**
 * The fault plan. Each call to a matching endpoint draws once from the plan's own seeded RNG (so a plan replays
 * for the same call sequence); a call gets a fault when the draw is under `rate`, or when its 1-based index among
 * matching calls is in `onCalls`. Kinds are dealt round-robin over a seeded permutation, separately for write and
 * read calls, so every kind lands on writes as soon as there are as many write faults as kinds.
 */
import { Rng } from './rng';
import { FAULT_KINDS, type FaultKind, type FaultPlan } from './types';

export const DEFAULT_SLOW_MS = 3000;

export interface Fault {
	kind: FaultKind;
	/** For '5xx': which gateway answer (500, 502, 503 or 504). */
	status?: number;
	slowMs: number;
}

export class FaultInjector {
	private plan?: FaultPlan;
	private rng = new Rng(0);
	private matched = 0;
	private order: { write: FaultKind[]; read: FaultKind[] } = { write: [], read: [] };
	private dealt = { write: 0, read: 0 };

	set(plan: FaultPlan): void {
		if (!Array.isArray(plan.kinds) || plan.kinds.length === 0) throw new Error('fault plan needs kinds');
		for (const k of plan.kinds) if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind ${k}`);
		this.plan = plan;
		this.rng = new Rng(plan.seed);
		this.matched = 0;
		this.order = { write: this.rng.shuffle([...plan.kinds]), read: this.rng.shuffle([...plan.kinds]) };
		this.dealt = { write: 0, read: 0 };
	}

	clear(): void {
		this.plan = undefined;
	}

	/** Decides the fault (if any) for one call. */
	draw(key: string, write: boolean): Fault | undefined {
		const plan = this.plan;
		if (!plan) return undefined;
		const matches = plan.endpoints ? plan.endpoints.includes(key) : key.startsWith('bitable.');
		if (!matches) return undefined;
		this.matched++;
		const roll = this.rng.next();
		const hit = plan.onCalls ? plan.onCalls.includes(this.matched) : roll < (plan.rate ?? 0.1);
		if (!hit) return undefined;
		const side = write ? 'write' : 'read';
		const kind = this.order[side][this.dealt[side]++ % this.order[side].length];
		return {
			kind,
			status: kind === '5xx' ? [500, 502, 503, 504][this.rng.int(4)] : undefined,
			slowMs: plan.slowMs ?? DEFAULT_SLOW_MS,
		};
	}
}
