import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { closePool } from '../../../lib/mysql';
import { chosenOperation, runOnce } from '../../shared/router';
import { type MySqlContext, openPool } from '../transport';
import * as commitWatermark from './commitWatermark.operation';
import * as executeQuery from './executeQuery.operation';
import * as readChanges from './readChanges.operation';
import * as resetWatermark from './resetWatermark.operation';

type Operation = (this: IExecuteFunctions, context: MySqlContext) => Promise<INodeExecutionData[]>;

const operations: Record<string, Operation> = {
	executeQuery: executeQuery.execute,
	readChanges: readChanges.execute,
	commitWatermark: commitWatermark.execute,
	resetWatermark: resetWatermark.execute,
};

/** Runs the chosen operation with a pool of its own, closed when the run ends (also on error). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { operation, run } = chosenOperation(this, operations);
	return await runOnce(
		this,
		async () => {
			const context = await openPool.call(this);
			return { context, close: () => closePool(context.pool) };
		},
		({ context }) => run.call(this, context),
		// Execute Query handles Continue On Fail item by item; the watermark steps act once for all items.
		operation === 'executeQuery',
	);
}
