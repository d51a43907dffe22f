/** resource/operation -> the operation's code. Sync is one run over all items; the others go item by item. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { toNodeError } from '../../shared/errors';
import { runPerItem } from '../helpers/perItem';
import { RecordContext } from '../helpers/recordContext';
import * as record from './record/Record.resource';
import * as sync from './sync/Sync.resource';
import * as table from './table/Table.resource';

const perItem: Record<string, typeof record.operations> = { record: record.operations, table: table.operations };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	if (resource === 'sync') return await sync.sync.execute.call(this);
	const operation = this.getNodeParameter('operation', 0) as string;
	const toError = (error: unknown, i: number) => toNodeError(this.getNode(), error, i);
	const op = perItem[resource]?.[operation];
	if (!op) throw toError(new Error(`The operation "${operation}" of "${resource}" is not supported`), 0);
	let rc: RecordContext;
	try {
		rc = await RecordContext.open(this);
	} catch (error) {
		throw toError(error, 0);
	}
	return await runPerItem(this, rc, op, toError);
}
