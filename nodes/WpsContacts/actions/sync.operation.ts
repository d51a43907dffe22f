import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { LockGuard } from '../../../lib/wpsContactsSync/state/stateStore';
import { applyOperationsOf, applyOutputs, completeEarlierRun } from '../helpers/applyRun';
import type { RunContext } from '../helpers/context';
import { countByKind } from '../helpers/items';
import { runPreview } from '../helpers/runPreview';

/** Sync has no parameter of its own: it takes Preview's source mapping and the common ones (common.descriptions.ts). */
export const description: INodeProperties[] = [];

/** Preview, then apply when the source is sound and the plan within the limits; otherwise nothing is written. */
export async function execute(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	// One lock around preview and apply: a second run plans only after the first one finished.
	return run.store!.withLock(run.options.lockWaitSec ?? 30, (lock) => syncLocked(this, run, lock));
}

async function syncLocked(ctx: IExecuteFunctions, run: RunContext, lock: LockGuard): Promise<INodeExecutionData[][]> {
	const meta = await run.store!.loadMeta();
	const completedEarlierRun = meta.rootId ? await completeEarlierRun(run, meta.rootId, lock) : undefined;
	const { preview, pairedItem } = await runPreview(ctx, run, lock);
	const { plan } = preview;
	if (preview.sourceErrors.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The source has ${preview.sourceErrors.length} error(s); nothing was written`,
			{
				description: preview.sourceErrors.map((e) => `${e.kind}: ${e.message}`).join('\n'),
			},
		);
	}
	if (!plan.verdict.withinLimits) {
		throw new NodeOperationError(ctx.getNode(), `Threshold exceeded; nothing was written: ${plan.verdict.reason}`, {
			description:
				'Check the source (a capped or failed query looks like mass leavers; a renamed or re-pointed column like mass updates). To go ahead, raise the threshold or use Preview + Apply Plan with an approval.',
		});
	}
	const report = await applyOperationsOf(
		run,
		{ planId: plan.fingerprint, rootId: plan.rootId, mode: plan.mode, operations: plan.operations },
		lock,
	);
	return applyOutputs(
		run,
		report,
		{ planId: plan.fingerprint, rootId: plan.rootId },
		{
			operation: 'sync',
			targetKey: run.targetKey,
			mode: plan.mode,
			modeReason: preview.modeReason,
			planned: countByKind(plan.operations),
			conflicts: plan.conflicts.length,
			blocked: plan.blocked.length,
			previewCalls: preview.calls,
			completedEarlierRun,
		},
		pairedItem,
	);
}
