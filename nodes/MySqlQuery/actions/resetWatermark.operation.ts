import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { MySqlSession } from '../../../lib/mysql';
import { toNodeError } from '../../shared/errors';
import type { MySqlContext } from '../transport';
import { openWatermarkStore, watermarkName } from './watermarkStore';

export const description: INodeProperties[] = [
	{
		displayName:
			'Forgets the watermark: the next Read Changes starts again from its Start Value (or the first row). With workflow static data this only sticks in a production execution; changing Start Value also starts over.',
		name: 'resetNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['resetWatermark'] } },
	},
];

export async function execute(this: IExecuteFunctions, { pool, cred }: MySqlContext): Promise<INodeExecutionData[]> {
	const name = watermarkName.call(this);
	const session = new MySqlSession(pool, cred);
	try {
		await openWatermarkStore.call(this, session).reset(name);
		return [{ json: { watermark: name, reset: true }, pairedItem: { item: 0 } }];
	} catch (err) {
		throw toNodeError(this.getNode(), err, 0);
	} finally {
		session.release();
	}
}
