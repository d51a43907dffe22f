import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { planFingerprint } from '../../../lib/directorySync/fingerprint';
import { type ApplyReport, type ApplySettings, applyLocked, applyWithState, completeUnfinishedRun } from '../../../lib/directorySync/sync';
import type { Operation, Plan } from '../../../lib/directorySync/types';
import type { RunContext } from '../helpers/context';
import { auditItems, operationItems, parsePlanItems, runSummaryItem } from '../helpers/items';

export async function applyOperationsOf(
	run: RunContext,
	plan: { planId: string; rootId: string; mode: Plan['mode']; operations: Operation[] },
	lockHeld = false,
): Promise<ApplyReport> {
	return (lockHeld ? applyLocked : applyWithState)(plan.operations, run.client, run.store!, applySettings(run, plan));
}

export function applySettings(run: RunContext, plan: { planId: string; rootId: string; mode: Plan['mode'] }): ApplySettings {
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
export async function completeEarlierRun(run: RunContext, rootId: string): Promise<string | undefined> {
	return completeUnfinishedRun(run.client, run.store!, applySettings(run, { planId: '', rootId, mode: 'incremental' }));
}

/** Summary, one audit item per operation, and the reverse plan (ready for another Apply Plan). */
export function applyOutputs(
	run: RunContext,
	report: ApplyReport,
	plan: { planId: string; rootId: string },
	extra: IDataObject,
	pairedItem: (op: Operation) => IPairedItemData,
): INodeExecutionData[][] {
	const reverseHeader = { planId: planFingerprint(run.targetKey, report.reverse), targetKey: run.targetKey, rootId: plan.rootId, mode: 'full' as const };
	return [
		[{ json: runSummaryItem(report.summary, { ...extra, planId: plan.planId, reverseOperations: report.reverse.length }), pairedItem: { item: 0 } }],
		auditItems(report.summary.runId, plan.planId, report.operations, report.results, pairedItem),
		operationItems(reverseHeader, report.reverse, () => ({ item: 0 })),
	];
}

export async function executeApplyPlan(ctx: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData(0);
	const parsed = parsePlanItems(items);
	if (parsed.errors.length) {
		throw new NodeOperationError(ctx.getNode(), 'The input is not a WPS Contacts plan; nothing was written', { description: parsed.errors.slice(0, 10).join('\n') });
	}
	if (parsed.operations.length && parsed.header.targetKey !== run.targetKey) {
		throw new NodeOperationError(ctx.getNode(), 'This plan was made for another WPS app or scope; nothing was written', {
			description: 'Apply a plan with the same WPS credential and Scope Department ID as the Preview that made it.',
		});
	}
	const rootId = parsed.header.rootId || (await run.client.readRoot(run.scopeDeptId)).id;
	const plan = { planId: parsed.header.planId, rootId, mode: parsed.header.mode, operations: parsed.operations };
	const report = await applyOperationsOf(run, plan);
	return applyOutputs(run, report, plan, { operation: 'applyPlan', targetKey: run.targetKey, edited: report.summary.runId !== parsed.header.planId }, (op) => ({
		item: parsed.itemOf.get(op.id) ?? 0,
	}));
}
