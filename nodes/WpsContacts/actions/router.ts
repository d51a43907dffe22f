import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toNodeError } from '../../shared/errors';
import { failedItem } from '../../shared/failedItem';
import { type RunContext, openRunContext } from '../helpers/context';
import { checkNumericParameters } from '../helpers/limits';
import { writeWpsRunLog } from '../helpers/runLog';
import * as applyPlan from './applyPlan.operation';
import * as preview from './preview.operation';
import * as sync from './sync.operation';

type Operation = (this: IExecuteFunctions, run: RunContext) => Promise<INodeExecutionData[][]>;

const operations: Record<string, Operation> = {
	preview: preview.execute,
	sync: sync.execute,
	applyPlan: applyPlan.execute,
};

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

/**
 * Runs the chosen operation once for all items (a sync reads both inputs whole) with a run context of its
 * own (WPS client, state database), closed when the run ends; Sync and Apply Plan append to the run log.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const needsState = operation !== 'preview' || (this.getNodeParameter('useStateDatabase', 0, true) as boolean);
	const outputs = operation === 'preview' ? 2 : 3;
	const startedAt = new Date();
	try {
		const execute = operations[operation];
		if (!execute) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
		checkNumericParameters(this);
		const run = await openRunContext(this, needsState);
		let out: INodeExecutionData[][];
		try {
			out = await execute.call(this, run);
		} finally {
			await run.close();
		}
		await writeWpsRunLog(this, operation, startedAt, out, undefined);
		return out;
	} catch (err) {
		await writeWpsRunLog(this, operation, startedAt, undefined, err);
		// A refused plan lists its reasons, a busy or lost lock says what to do (their hints, as the description).
		const error = toNodeError(this.getNode(), err);
		if (!this.continueOnFail()) throw error;
		const empty = Array.from({ length: outputs - 1 }, () => [] as INodeExecutionData[]);
		return [
			[failedItem(this.getNode(), error, firstPaired(this), { description: error.description ?? null })],
			...empty,
		];
	}
}
