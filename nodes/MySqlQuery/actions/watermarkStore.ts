import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { WatermarkStore } from '../../../lib/mysql';
import { NodeOperationError } from 'n8n-workflow';
import {
	InvalidWatermarkNameError,
	MySqlSession,
	MySqlTableWatermarkStore,
	StaticDataWatermarkStore,
	checkWatermarkName,
} from '../../../lib/mysql';
import { toNodeError } from '../../shared/errors';
import type { MySqlContext } from '../transport';

/** The store the node's Watermark Store parameter names. */
export function openWatermarkStore(this: IExecuteFunctions, session: MySqlSession): WatermarkStore {
	const kind = this.getNodeParameter('watermarkStore', 0, 'staticData') as string;
	if (kind === 'mysqlTable') {
		const database = (this.getNodeParameter('stateDatabase', 0, '') as string) || session.cred.database || '';
		const table = (this.getNodeParameter('stateTable', 0, 'n8n_watermarks') as string) || 'n8n_watermarks';
		return new MySqlTableWatermarkStore(() => session.connect(), database, table);
	}
	return new StaticDataWatermarkStore(this.getWorkflowStaticData('global'));
}

/**
 * Commit Watermark and Reset Watermark: `use` gets the named watermark's store on a session of its own; what it
 * throws fails item 0.
 */
export async function withWatermarkStore(
	this: IExecuteFunctions,
	{ pool, cred }: MySqlContext,
	use: (store: WatermarkStore, name: string) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const name = watermarkName.call(this);
	const session = new MySqlSession(pool, cred);
	try {
		return await use(openWatermarkStore.call(this, session), name);
	} catch (err) {
		throw toNodeError(this.getNode(), err, 0);
	} finally {
		session.release();
	}
}

/** The watermark name, trimmed: required, and never one that reaches an object's prototype. */
export function watermarkName(this: IExecuteFunctions): string {
	const name = String(this.getNodeParameter('watermarkName', 0, '') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'Item 0: "Watermark Name" is empty', {
			itemIndex: 0,
			description:
				'Nothing was read or written. Give the watermark a name such as "orders", the same in Read Changes and Commit Watermark.',
		});
	}
	try {
		checkWatermarkName(name);
	} catch (err) {
		if (!(err instanceof InvalidWatermarkNameError)) throw err;
		throw new NodeOperationError(this.getNode(), `Item 0: "Watermark Name" ${JSON.stringify(name)} is reserved`, {
			itemIndex: 0,
			description:
				'Nothing was read or written. Give the watermark an ordinary name such as "orders" (the same in Read Changes and Commit Watermark).',
		});
	}
	return name;
}
