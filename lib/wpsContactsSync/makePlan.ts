import { planFingerprint } from './fingerprint';
import { planOperations } from './planner';
import type { Records } from './records';
import { type SyncRuleOptions, desiredFromSource } from './syncRules';
import { checkThresholds } from './thresholds';
import type { Plan, Source, TargetState, Thresholds } from './types';

export interface MakePlanInput {
	source: Source;
	current: TargetState;
	records: Records;
	rules: SyncRuleOptions;
	thresholds: Thresholds;
	targetKey: string;
	mode: Plan['mode'];
	now: number;
}

/** Source + target + records -> a complete plan (pure CPU: what the plan-time benchmark measures). */
export function makePlan(input: MakePlanInput): { plan: Plan; base: Records } {
	const { desired, conflicts, base } = desiredFromSource(input.source, input.current, input.records, input.rules);
	const { operations, blocked } = planOperations(input.current, desired);
	const managed = Math.max(base.depts.size + base.users.size, input.records.depts.size + input.records.users.size);
	const verdict = checkThresholds(operations, managed, input.thresholds);
	const plan: Plan = {
		formatVersion: 1,
		targetKey: input.targetKey,
		rootId: input.current.rootId,
		mode: input.mode,
		createdAt: input.now,
		operations,
		conflicts,
		blocked,
		unreadableFields: input.rules.unreadable,
		verdict,
		fingerprint: planFingerprint(input.targetKey, operations),
	};
	return { plan, base };
}
