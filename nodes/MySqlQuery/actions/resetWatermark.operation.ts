import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { MySqlContext } from '../transport';
import { withWatermarkStore } from './watermarkStore';

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

/** Forgets the named watermark; one summary item. */
export async function execute(this: IExecuteFunctions, ctx: MySqlContext): Promise<INodeExecutionData[]> {
	return await withWatermarkStore.call(this, ctx, async (store, name) => {
		await store.reset(name);
		return [{ json: { watermark: name, reset: true }, pairedItem: { item: 0 } }];
	});
}
