import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { buildSource } from '../../../lib/directorySync/source';
import { type PreviewResult, previewSync } from '../../../lib/directorySync/sync';
import type { Operation } from '../../../lib/directorySync/types';
import { type RunContext, sourceMapping, syncSettings } from '../helpers/context';
import { operationItems, previewSummary, reportItems } from '../helpers/items';

export function inputRows(ctx: IExecuteFunctions, input: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(input) ?? [];
	} catch {
		return [];
	}
}

export interface PreviewRun {
	preview: PreviewResult;
	/** pairedItem of an operation: the source row of its object, else the first department row. */
	pairedItem: (op: Operation) => IPairedItemData;
}

export async function runPreview(ctx: IExecuteFunctions, run: RunContext): Promise<PreviewRun> {
	const deptItems = inputRows(ctx, 0);
	const userItems = inputRows(ctx, 1);
	const mapping = sourceMapping(ctx);
	const { source, errors } = buildSource(
		deptItems.map((i) => i.json),
		userItems.map((i) => i.json),
		mapping,
	);
	const preview = await previewSync(source, errors, run.client, run.store, syncSettings(ctx, run));
	const deptRow = new Map<string, number>();
	deptItems.forEach((item, i) => deptRow.set(String(item.json[mapping.dept.id] ?? '').trim(), i));
	const userRow = new Map<string, number>();
	userItems.forEach((item, i) => userRow.set(String(item.json[mapping.user.id] ?? '').trim(), i));
	const pairedItem = (op: Operation): IPairedItemData => {
		const row = op.object === 'dept' ? deptRow.get(op.exId) : userRow.get(op.exId);
		if (row !== undefined) return { item: row, input: op.object === 'dept' ? 0 : 1 };
		return { item: 0, input: deptItems.length ? 0 : 1 };
	};
	return { preview, pairedItem };
}

export async function executePreview(ctx: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const { preview, pairedItem } = await runPreview(ctx, run);
	const header = { planId: preview.plan.fingerprint, targetKey: preview.plan.targetKey, rootId: preview.plan.rootId, mode: preview.plan.mode };
	const first: IPairedItemData = { item: 0 };
	return [
		[{ json: previewSummary(preview, 'preview'), pairedItem: first }],
		[...operationItems(header, preview.plan.operations, pairedItem), ...reportItems(header, preview.plan, first)],
	];
}
