import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { planFingerprint } from '../../../lib/wpsContactsSync/fingerprint';
import {
	type ApplyReport,
	type ApplySettings,
	applyLocked,
	applyWithState,
	completeUnfinishedRun,
} from '../../../lib/wpsContactsSync/applyPlan';
import type { LockGuard } from '../../../lib/wpsContactsSync/state/stateStore';
import type { Operation, Plan } from '../../../lib/wpsContactsSync/types';
import type { RunContext } from './context';
import { STORED_REVERSE, auditItems, operationItems, runSummaryItem } from './items';

/** `lock`: the lock the caller (Sync) holds already; otherwise the apply takes it. */
export async function applyOperationsOf(
	run: RunContext,
	plan: { planId: string; rootId: string; mode: Plan['mode']; operations: Operation[] },
	lock?: LockGuard,
): Promise<ApplyReport> {
	const settings = applySettings(run, plan);
	return lock
		? applyLocked(plan.operations, run.client, run.store!, { ...settings, lock })
		: applyWithState(plan.operations, run.client, run.store!, settings);
}

export function applySettings(
	run: RunContext,
	plan: { planId: string; rootId: string; mode: Plan['mode'] },
): ApplySettings {
	const o = run.options;
	return {
		targetKey: run.targetKey,
		rootId: plan.rootId,
		planId: plan.planId,
		planMode: plan.mode,
		concurrency: o.concurrency ?? 4,
		lockWaitSec: o.lockWaitSec ?? 30,
		verifyTarget: o.verifyTarget ?? true,
		now: Date.now,
	};
}

/** Sync: a run a killed process left unfinished is completed before the new preview. */
export async function completeEarlierRun(
	run: RunContext,
	rootId: string,
	lock?: LockGuard,
): Promise<string | undefined> {
	return completeUnfinishedRun(run.client, run.store!, {
		...applySettings(run, { planId: '', rootId, mode: 'incremental' }),
		lock,
	});
}

/** Summary, one audit item per operation, and the reverse plan (ready for another Apply Plan). */
export function applyOutputs(
	run: RunContext,
	report: ApplyReport,
	plan: { planId: string; rootId: string },
	extra: IDataObject,
	pairedItem: (op: Operation) => IPairedItemData,
): INodeExecutionData[][] {
	const reverseHeader = {
		planId: planFingerprint(run.targetKey, report.reverse),
		targetKey: run.targetKey,
		rootId: plan.rootId,
		mode: 'full' as const,
	};
	let audit = auditItems(report.summary.runId, plan.planId, report.operations, report.results, pairedItem);
	let reverse = operationItems(reverseHeader, report.reverse, () => ({ item: 0 }));
	const mode = run.options.operationItems ?? 'all';
	if (mode !== 'all') {
		// At 50,000 operations, items per operation would bloat the execution: failures first (what a reader
		// looks for), and the reverse plan as one item standing for the copy the run stored.
		const cap = mode === 'none' ? 0 : Math.max(0, run.options.maxOperationItems ?? 1000);
		audit = [...audit.filter((i) => i.json.status !== 'done'), ...audit.filter((i) => i.json.status === 'done')].slice(
			0,
			cap,
		);
		reverse = report.reverse.length
			? [
					{
						json: {
							kind: STORED_REVERSE,
							runId: report.summary.runId,
							...reverseHeader,
							operations: report.reverse.length,
						},
						pairedItem: { item: 0 },
					},
				]
			: [];
	}
	return [
		[
			{
				json: runSummaryItem(report.summary, {
					...extra,
					planId: plan.planId,
					reverseOperations: report.reverse.length,
					auditItems: audit.length,
				}),
				pairedItem: { item: 0 },
			},
		],
		audit,
		reverse,
	];
}
