import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { buildSource } from '../../../lib/wpsContactsSync/source';
import type { LockGuard } from '../../../lib/wpsContactsSync/state/stateStore';
import { type PreviewResult, previewSync, previewWithLock } from '../../../lib/wpsContactsSync/preview';
import type { Operation } from '../../../lib/wpsContactsSync/types';
import { type RunContext, sourceMapping, syncSettings } from './context';

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

/** `lock`: the lock Sync already holds; without it Preview takes the lock itself when it writes state. */
export async function runPreview(ctx: IExecuteFunctions, run: RunContext, lock?: LockGuard): Promise<PreviewRun> {
	const deptItems = inputRows(ctx, 0);
	const userItems = inputRows(ctx, 1);
	const mapping = sourceMapping(ctx);
	const { source, errors } = buildSource(
		deptItems.map((i) => i.json),
		userItems.map((i) => i.json),
		mapping,
	);
	const settings = syncSettings(ctx, run);
	const preview = lock
		? await previewSync(source, errors, run.client, run.store, settings, lock)
		: await previewWithLock(source, errors, run.client, run.store, settings, run.options.lockWaitSec ?? 30);
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
