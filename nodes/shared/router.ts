/** What the routers of the nodes that run one operation for all items share. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toNodeError } from './errors';
import { failedItem } from './failedItem';

/** The code of the operation the Operation parameter names (a workflow file may name one the node does not have). */
export function chosenOperation<Run>(
	ctx: IExecuteFunctions,
	operations: Record<string, Run>,
): { operation: string; run: Run } {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = operations[operation];
	if (!run) throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported`);
	return { operation, run };
}

/** An operation that acts once for all items failed: under Continue On Fail its error is the one output item. */
export function failedOnce(ctx: IExecuteFunctions, err: unknown): INodeExecutionData[][] {
	const error = toNodeError(ctx.getNode(), err, 0);
	if (!ctx.continueOnFail()) throw error;
	return [[failedItem(ctx.getNode(), error, 0)]];
}

/**
 * One run of the chosen operation on what `open` gives it (a pool, a store), closed when the run ends (also on error).
 * An operation that handles Continue On Fail item by item (`perItem`) throws its error; the others fail as one item.
 */
export async function runOnce<Opened extends { close(): Promise<void> }>(
	ctx: IExecuteFunctions,
	open: () => Promise<Opened>,
	run: (opened: Opened) => Promise<INodeExecutionData[]>,
	perItem: boolean,
): Promise<INodeExecutionData[][]> {
	let opened: Opened;
	try {
		opened = await open();
	} catch (err) {
		throw toNodeError(ctx.getNode(), err, 0);
	}
	try {
		return [await run(opened)];
	} catch (err) {
		if (perItem) throw err;
		return failedOnce(ctx, err);
	} finally {
		await opened.close();
	}
}
