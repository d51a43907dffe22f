import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { MySqlContext } from '../transport';
import { withWatermarkStore } from './watermarkStore';

export const description: INodeProperties[] = [
	{
		displayName:
			'Place this step at the end of the workflow, after the rows from Read Changes (same Watermark Name and store) have been handled. It makes that read final: the next run continues after those rows. Nothing is committed if this execution read nothing.',
		name: 'commitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['commitWatermark'] } },
	},
];

/** Commits the position this execution's Read Changes recorded; one summary item. */
export async function execute(this: IExecuteFunctions, ctx: MySqlContext): Promise<INodeExecutionData[]> {
	return await withWatermarkStore.call(this, ctx, async (store, name) => {
		const result = await store.commit(name, this.getExecutionId(), new Date().toISOString());
		return [
			{
				json: {
					watermark: name,
					committed: result.committed,
					...(result.position
						? { value: result.position.value, tieBreaker: result.position.tie, caughtUp: result.position.caughtUp }
						: { reason: 'Read Changes recorded nothing to commit in this execution' }),
				},
				pairedItem: { item: 0 },
			},
		];
	});
}
