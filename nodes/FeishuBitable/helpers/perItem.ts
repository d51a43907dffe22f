/**
 * The record and table operations go item by item, in two passes: every item is read and checked first (table,
 * field values, target records), and only then are the writes sent, so a bad item stops the run before anything
 * is written.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { failedItem } from '../../shared/failedItem';
import type { RecordContext } from './recordContext';

/** What one item gives: one output item, or several. */
export type ItemResult = IDataObject | IDataObject[];
/** An operation's `execute`: checks an item and returns its call, to run once every item has passed. */
export type ItemOperation = (rc: RecordContext, i: number) => Promise<() => Promise<ItemResult>>;

/** A read has nothing to guard: it runs in the second pass, like the writes. */
export const reading =
	(read: (rc: RecordContext, i: number) => Promise<ItemResult>): ItemOperation =>
	async (rc, i) =>
	() =>
		read(rc, i);

/**
 * First pass: every item checked. A bad item stops the run before any write (or, under "Continue On Fail",
 * becomes a failed item while the good ones go on). Second pass: the writes, item by item.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	rc: RecordContext,
	op: ItemOperation,
	toError: (e: unknown, i: number) => Error,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const failed = (error: unknown, i: number): INodeExecutionData => {
		const nodeError = toError(error, i);
		if (!ctx.continueOnFail()) throw nodeError;
		return failedItem(ctx.getNode(), nodeError, i);
	};
	const prepared: (Awaited<ReturnType<ItemOperation>> | INodeExecutionData)[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push(await op(rc, i));
		} catch (error) {
			prepared.push(failed(error, i));
		}
	}
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const write = prepared[i];
		if (typeof write !== 'function') {
			out.push(write);
			continue;
		}
		try {
			const result = await write();
			for (const json of Array.isArray(result) ? result : [result]) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			out.push(failed(error, i));
		}
	}
	return [out];
}
