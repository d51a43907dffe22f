import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import type { OperationResult } from '../../../lib/wpsContactsSync/applyOperations';
import type { RunSummary } from '../../../lib/wpsContactsSync/applyPlan';
import type { PreviewResult } from '../../../lib/wpsContactsSync/preview';
import { OPERATION_KINDS, type Operation, type Plan } from '../../../lib/wpsContactsSync/types';

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as IDataObject;

export function countByKind(ops: Pick<Operation, 'kind'>[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const op of ops) counts[op.kind] = (counts[op.kind] ?? 0) + 1;
	return counts;
}

/** The plan's header every operation item carries (so Apply Plan knows what it applies). */
export interface PlanHeader {
	planId: string;
	targetKey: string;
	rootId: string;
	mode: Plan['mode'];
}

/** `partial`: only the first operations of the plan (capped output); Apply Plan refuses such items. */
export function operationItems(
	header: PlanHeader,
	ops: Operation[],
	pairedItem: (op: Operation) => IPairedItemData,
	partial = false,
): INodeExecutionData[] {
	return ops.map((op, seq) => ({
		json: json({ ...header, seq, ...op, ...(partial ? { partial: true } : {}) }),
		pairedItem: pairedItem(op),
	}));
}

/** Lists in the summary item stay readable at any size: the first ones and a count. */
const REPORT_CAP = 100;

/** Conflicts left alone and operations that could not be planned, as report items after the operations. */
export function reportItems(
	header: PlanHeader,
	plan: Plan,
	pairedItem: IPairedItemData,
	cap?: number,
): INodeExecutionData[] {
	const conflicts = plan.conflicts
		.filter((c) => c.resolution !== 'sourceWins')
		.slice(0, cap ?? Infinity)
		.map((c) => ({ json: json({ ...header, kind: 'conflict', ...c }), pairedItem }));
	const blocked = plan.blocked
		.slice(0, cap ?? Infinity)
		.map((b) => ({ json: json({ ...header, kind: 'blocked', ...b }), pairedItem }));
	return [...conflicts, ...blocked];
}

export function previewSummary(preview: PreviewResult, operation: string, extra: IDataObject = {}): IDataObject {
	const { plan } = preview;
	return json({
		operation,
		targetKey: plan.targetKey,
		rootId: plan.rootId,
		planId: plan.fingerprint,
		mode: plan.mode,
		modeReason: preview.modeReason,
		withinLimits: plan.verdict.withinLimits && preview.sourceErrors.length === 0,
		verdict: plan.verdict,
		totalOperations: plan.operations.length,
		counts: countByKind(plan.operations),
		conflicts: plan.conflicts.length,
		conflictsLeft: plan.conflicts.filter((c) => c.resolution !== 'sourceWins').length,
		blocked: plan.blocked.slice(0, REPORT_CAP).map((b) => ({ ...b, skipped: b.skipped.slice(0, REPORT_CAP) })),
		blockedCount: plan.blocked.length,
		sourceErrors: preview.sourceErrors.map((e) => ({ ...e, ids: e.ids.slice(0, REPORT_CAP), idCount: e.ids.length })),
		unreadableFields: plan.unreadableFields,
		calls: preview.calls,
		...extra,
	});
}

export interface ParsedPlan {
	header: PlanHeader;
	operations: Operation[];
	/** Input item index per operation id (pairedItem of audit items). */
	itemOf: Map<string, number>;
	errors: string[];
	/** The input was a Preview's summary item: apply the plan Preview stored under `header.planId`. */
	fromSummary?: boolean;
	/** The input was a run's stored-reverse item: apply the reverse plan that run stored. */
	reverseOfRun?: string;
}

/** Stands for a run's whole reverse plan, kept in the state database, when Operation Items is not All. */
export const STORED_REVERSE = 'storedReversePlan';

/** Operation items back into a plan; report items (conflicts, blocked) are ignored. */
export function parsePlanItems(items: INodeExecutionData[]): ParsedPlan {
	const errors: string[] = [];
	const operations: Operation[] = [];
	const itemOf = new Map<string, number>();
	let header: PlanHeader | undefined;
	const reverses = items.filter((item) => item.json.kind === STORED_REVERSE);
	if (reverses.length) {
		const j = reverses[0].json;
		return {
			header: {
				planId: String(j.planId ?? ''),
				targetKey: String(j.targetKey ?? ''),
				rootId: String(j.rootId ?? ''),
				mode: 'full',
			},
			operations: [],
			itemOf,
			errors:
				reverses.length !== items.length ? ['a stored reverse plan goes to Apply Plan alone, without other items'] : [],
			reverseOfRun: String(j.runId ?? ''),
		};
	}
	const summaries = items.filter(
		(item) => item.json.operation === 'preview' && typeof item.json.planId === 'string' && item.json.kind === undefined,
	);
	if (summaries.length && summaries.length === items.length) {
		const j = summaries[0].json;
		return {
			header: {
				planId: String(j.planId),
				targetKey: String(j.targetKey ?? ''),
				rootId: String(j.rootId ?? ''),
				mode: (j.mode as Plan['mode']) ?? 'full',
			},
			operations: [],
			itemOf,
			errors: summaries.some((s) => s.json.planId !== j.planId)
				? ['the input holds the summaries of several previews: apply one plan at a time']
				: [],
			fromSummary: true,
		};
	}
	items.forEach((item, index) => {
		const j = item.json as IDataObject;
		if (j.kind === 'conflict' || j.kind === 'blocked') return;
		if (j.partial === true) {
			if (!errors.some((e) => e.includes('capped Preview output'))) {
				errors.push(
					`item ${index} comes from a capped Preview output (only the plan's first operations): connect the Preview's Summary to Apply Plan to apply the whole stored plan, or set Operation Items to All`,
				);
			}
			return;
		}
		if (!(OPERATION_KINDS as readonly string[]).includes(String(j.kind))) {
			errors.push(`item ${index} is not an operation of a WPS Contacts plan (kind "${String(j.kind)}")`);
			return;
		}
		const h: PlanHeader = {
			planId: String(j.planId ?? ''),
			targetKey: String(j.targetKey ?? ''),
			rootId: String(j.rootId ?? ''),
			mode: (j.mode as Plan['mode']) ?? 'full',
		};
		if (!header) header = h;
		else if (h.planId !== header.planId || h.targetKey !== header.targetKey) {
			errors.push(`item ${index} belongs to another plan (${h.planId}) than the first item (${header.planId})`);
		}
		operations.push({
			id: String(j.id),
			kind: j.kind as Operation['kind'],
			object: j.object as Operation['object'],
			exId: String(j.exId),
			wpsId: j.wpsId ? String(j.wpsId) : undefined,
			label: String(j.label ?? j.exId),
			before: (j.before as Operation['before']) ?? null,
			after: (j.after as Operation['after']) ?? null,
			dependsOn: Array.isArray(j.dependsOn) ? j.dependsOn.map(String) : [],
			temporary: j.temporary === true ? true : undefined,
		});
		itemOf.set(String(j.id), index);
	});
	return { header: header ?? { planId: '', targetKey: '', rootId: '', mode: 'full' }, operations, itemOf, errors };
}

export function auditItems(
	runId: string,
	planId: string,
	operations: Operation[],
	results: OperationResult[],
	pairedItem: (op: Operation) => IPairedItemData,
): INodeExecutionData[] {
	const byId = new Map(operations.map((op) => [op.id, op]));
	return results.map((r, seq) => {
		const op = byId.get(r.id)!;
		return {
			json: json({
				runId,
				planId,
				seq,
				id: r.id,
				kind: r.kind,
				object: op.object,
				exId: r.exId,
				wpsId: r.wpsId ?? op.wpsId,
				label: r.label,
				before: op.before,
				after: op.after,
				status: r.status,
				code: r.code ?? (r.status === 'done' ? 'ok' : undefined),
				message: r.message,
				durationMs: r.durationMs,
			}),
			pairedItem: pairedItem(op),
		};
	});
}

export function runSummaryItem(summary: RunSummary, extra: IDataObject): IDataObject {
	return json({ ...extra, ...summary, completedEarlierRun: summary.completedEarlierRun ?? extra.completedEarlierRun });
}
