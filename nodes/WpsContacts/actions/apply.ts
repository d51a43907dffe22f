import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { planFingerprint } from '../../../lib/wpsContactsSync/fingerprint';
import {
	type ApplyReport,
	type ApplySettings,
	applyLocked,
	applyWithState,
	completeUnfinishedRun,
} from '../../../lib/wpsContactsSync/applyPlan';
import { type LockGuard, LockLostError } from '../../../lib/wpsContactsSync/state/stateStore';
import type { Operation, Plan } from '../../../lib/wpsContactsSync/types';
import type { RunContext } from '../helpers/context';
import { STORED_REVERSE, auditItems, operationItems, parsePlanItems, runSummaryItem } from '../helpers/items';

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

/** A lost lock as the node reports it (the run is resumable: the next run completes it first). */
export function lockLostError(ctx: IExecuteFunctions, error: unknown): unknown {
	if (!(error instanceof LockLostError)) return error;
	return new NodeOperationError(ctx.getNode(), error.message, {
		description:
			'Nothing more was written after the lock was lost. Run the workflow again: the next run completes the unfinished one before anything else.',
	});
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

export async function executeApplyPlan(ctx: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData(0);
	const parsed = parsePlanItems(items);
	if (parsed.errors.length) {
		throw new NodeOperationError(ctx.getNode(), 'The input is not a WPS Contacts plan; nothing was written', {
			description: parsed.errors.slice(0, 10).join('\n'),
		});
	}
	if (parsed.operations.length && parsed.header.targetKey !== run.targetKey) {
		throw new NodeOperationError(
			ctx.getNode(),
			'This plan was made for another WPS app or scope; nothing was written',
			{
				description: 'Apply a plan with the same WPS credential and Scope Department ID as the Preview that made it.',
			},
		);
	}
	if (parsed.reverseOfRun !== undefined) {
		if (parsed.header.targetKey !== run.targetKey) {
			throw new NodeOperationError(
				ctx.getNode(),
				'This reverse plan belongs to another WPS app or scope; nothing was written',
				{
					description: 'Apply it with the same WPS credential and Scope Department ID as the run that stored it.',
				},
			);
		}
		const stored = await run.store!.loadReverse?.(parsed.reverseOfRun);
		if (!stored) {
			throw new NodeOperationError(
				ctx.getNode(),
				`No stored reverse plan for run ${parsed.reverseOfRun}; nothing was written`,
				{
					description:
						"The state database keeps the reverse plan of every finished run; this run is unknown to the state database of this node's MySQL credential.",
				},
			);
		}
		parsed.operations = stored;
	}
	if (parsed.fromSummary) {
		const summary = items[0].json;
		if (Array.isArray(summary.sourceErrors) && summary.sourceErrors.length) {
			throw new NodeOperationError(
				ctx.getNode(),
				'The Preview found errors in the source and planned nothing; nothing was written',
				{
					description: (summary.sourceErrors as { kind?: string; message?: string }[])
						.map((e) => `${e.kind}: ${e.message}`)
						.join('\n'),
				},
			);
		}
		if (summary.totalOperations === 0) return [[], [], []];
		if (parsed.header.targetKey !== run.targetKey) {
			throw new NodeOperationError(
				ctx.getNode(),
				'This plan was made for another WPS app or scope; nothing was written',
				{
					description: 'Apply a plan with the same WPS credential and Scope Department ID as the Preview that made it.',
				},
			);
		}
		const stored = await run.store!.loadPlan?.(parsed.header.planId);
		if (!stored) {
			throw new NodeOperationError(ctx.getNode(), `No stored plan ${parsed.header.planId}; nothing was written`, {
				description:
					'Apply Plan applies a Preview summary only from the plan that Preview stored in the state database (kept 7 days; none for an empty plan or a Preview without the state database). Preview again, or connect the Operations output instead.',
			});
		}
		parsed.operations = stored;
	}
	const rootId = parsed.header.rootId || (await run.client.readRoot(run.scopeDeptId)).id;
	const plan = { planId: parsed.header.planId, rootId, mode: parsed.header.mode, operations: parsed.operations };
	let report: ApplyReport;
	try {
		report = await applyOperationsOf(run, plan);
	} catch (error) {
		throw lockLostError(ctx, error);
	}
	return applyOutputs(
		run,
		report,
		plan,
		{ operation: 'applyPlan', targetKey: run.targetKey, edited: report.summary.runId !== parsed.header.planId },
		(op) => ({
			item: parsed.itemOf.get(op.id) ?? 0,
		}),
	);
}
