/** resource/operation -> the operation's code. Sync is one run over all items; the others go item by item. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { failedItem } from '../../shared/failedItem';
import { toNodeError } from '../transport/errors';
import { RecordContext } from './record/context';
import { RECORD_OPERATIONS, reading, runPerItem } from './record/operations';
import { executeSync } from './sync/execute';
import { syncRunLog, type SyncRunLog } from './sync/runLog';
import { checkAccess, listFields, listTables } from './table/operations';

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	if (resource === 'sync') {
		let runLog: SyncRunLog | undefined;
		try {
			runLog = await syncRunLog(ctx);
			const out = await executeSync(ctx);
			await runLog?.write(out, undefined);
			return out;
		} catch (error) {
			await runLog?.write(undefined, error);
			if (!ctx.continueOnFail()) throw error;
			return [
				[
					failedItem(
						ctx.getNode(),
						error,
						ctx.getInputData().map((_, item) => ({ item })),
					),
				],
			];
		}
	}
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const toError = (error: unknown, i: number) => toNodeError(ctx.getNode(), error, i);
	let rc: RecordContext;
	try {
		rc = await RecordContext.open(ctx);
	} catch (error) {
		throw toError(error, 0);
	}
	if (resource === 'table') {
		if (operation === 'listTables') return runPerItem(ctx, rc, reading(listTables), toError);
		if (operation === 'listFields') return runPerItem(ctx, rc, reading(listFields), toError);
		if (operation === 'checkAccess') return runPerItem(ctx, rc, reading(checkAccess), toError);
	}
	const op = resource === 'record' ? RECORD_OPERATIONS[operation] : undefined;
	if (!op) throw toError(new Error(`The operation "${operation}" of "${resource}" is not supported`), 0);
	return runPerItem(ctx, rc, op, toError);
}
