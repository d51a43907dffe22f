import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { PlanRefusedError } from '../../../lib/directorySync/sync';
import { LockBusyError } from '../../../lib/directorySync/state/stateStore';
import { toNodeError } from '../transport/toNodeError';
import { openRunContext } from '../helpers/context';
import { executeApplyPlan } from './apply';
import { executePreview } from './preview';
import { executeSync } from './sync';

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const needsState = operation !== 'preview' || (ctx.getNodeParameter('useStateDatabase', 0, true) as boolean);
	const outputs = operation === 'preview' ? 2 : 3;
	try {
		const run = await openRunContext(ctx, needsState);
		try {
			if (operation === 'preview') return await executePreview(ctx, run);
			if (operation === 'sync') return await executeSync(ctx, run);
			if (operation === 'applyPlan') return await executeApplyPlan(ctx, run);
			throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`);
		} finally {
			await run.close();
		}
	} catch (err) {
		const error =
			err instanceof PlanRefusedError
				? new NodeOperationError(ctx.getNode(), err.message, { description: err.reasons.slice(0, 20).join('\n') })
				: err instanceof LockBusyError
					? new NodeOperationError(ctx.getNode(), err.message, { description: 'Another execution is syncing the same WPS target; try again later or raise "Lock Wait".' })
					: toNodeError(ctx.getNode(), err);
		if (!ctx.continueOnFail()) throw error;
		const empty = Array.from({ length: outputs - 1 }, () => [] as INodeExecutionData[]);
		return [[{ json: { error: error.message, description: error.description ?? null }, pairedItem: { item: 0 } }], ...empty];
	}
}
