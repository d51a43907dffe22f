import type { IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import type { RunContext } from '../helpers/context';
import { operationItems, previewSummary, reportItems } from '../helpers/items';
import { runPreview } from '../helpers/runPreview';

/** Preview's own parameters (the source mapping it shares with Sync is in common.descriptions.ts). */
export const description: INodeProperties[] = [
	{
		displayName: 'Use State Database',
		name: 'useStateDatabase',
		type: 'boolean',
		default: true,
		description:
			'Whether Preview reads the sync state (snapshot, ownership, disable dates) from MySQL. Without it Preview reads WPS in full and knows of no earlier run, so it plans no deletions.',
		displayOptions: { show: { operation: ['preview'] } },
	},
];

/** The plan, nothing written to WPS: a summary item, and one item per operation (before/after) with the reports. */
export async function execute(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const { preview, pairedItem } = await runPreview(this, run);
	const header = {
		planId: preview.plan.fingerprint,
		targetKey: preview.plan.targetKey,
		rootId: preview.plan.rootId,
		mode: preview.plan.mode,
	};
	const first: IPairedItemData = { item: 0 };
	// At 50,000 users one item per operation would make the execution huge: the option caps them
	// (marked partial, so Apply Plan refuses them) or leaves only the summary, which Apply Plan can
	// apply from the plan Preview stored in the state database.
	const mode = run.options.operationItems ?? 'all';
	const ops = preview.plan.operations;
	const shown =
		mode === 'all'
			? ops.length
			: mode === 'none'
				? 0
				: Math.min(ops.length, Math.max(0, run.options.maxOperationItems ?? 1000));
	const partial = shown < ops.length;
	const summary = previewSummary(preview, 'preview', {
		operationItems: shown,
		storedPlan: !!run.store && ops.length > 0,
	});
	const opItems = operationItems(header, partial ? ops.slice(0, shown) : ops, pairedItem, partial);
	return [
		[{ json: summary, pairedItem: first }],
		[...opItems, ...reportItems(header, preview.plan, first, partial ? shown : undefined)],
	];
}
