import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { PlanRefusedError } from '../../../lib/wpsContactsSync/applyPlan';
import { LockBusyError } from '../../../lib/wpsContactsSync/state/stateStore';
import { failedItem } from '../../shared/failedItem';
import { toNodeError } from '../transport/toNodeError';
import { openRunContext } from '../helpers/context';
import { checkNumericParameters } from '../helpers/limits';
import { writeWpsRunLog } from '../helpers/runLog';
import { executeApplyPlan } from './apply';
import { executePreview } from './preview';
import { executeSync } from './sync';

/** The first input item of either input (Departments, Users): a whole-run failure is paired with it. */
function firstPaired(ctx: IExecuteFunctions): IPairedItemData {
	for (let input = 0; input < 2; input++) {
		let items: unknown[] | undefined;
		try {
			items = ctx.getInputData(input);
		} catch {
			items = undefined; // an input that is not connected
		}
		if (items?.length) return input ? { item: 0, input } : { item: 0 };
	}
	return { item: 0 };
}

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const needsState = operation !== 'preview' || (ctx.getNodeParameter('useStateDatabase', 0, true) as boolean);
	const outputs = operation === 'preview' ? 2 : 3;
	const startedAt = new Date();
	try {
		checkNumericParameters(ctx);
		const run = await openRunContext(ctx, needsState);
		let out: INodeExecutionData[][];
		try {
			if (operation === 'preview') return await executePreview(ctx, run);
			if (operation === 'sync') out = await executeSync(ctx, run);
			else if (operation === 'applyPlan') out = await executeApplyPlan(ctx, run);
			else throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`);
		} finally {
			await run.close();
		}
		await writeWpsRunLog(ctx, operation, startedAt, out, undefined);
		return out;
	} catch (err) {
		await writeWpsRunLog(ctx, operation, startedAt, undefined, err);
		const error =
			err instanceof PlanRefusedError
				? new NodeOperationError(ctx.getNode(), err.message, { description: err.reasons.slice(0, 20).join('\n') })
				: err instanceof LockBusyError
					? new NodeOperationError(ctx.getNode(), err.message, {
							description: 'Another execution is syncing the same WPS target; try again later or raise "Lock Wait".',
						})
					: toNodeError(ctx.getNode(), err);
		if (!ctx.continueOnFail()) throw error;
		const empty = Array.from({ length: outputs - 1 }, () => [] as INodeExecutionData[]);
		return [[failedItem(ctx.getNode(), error, firstPaired(ctx), { description: error.description ?? null })], ...empty];
	}
}
