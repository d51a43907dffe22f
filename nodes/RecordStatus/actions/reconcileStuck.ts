/**
 * Reconcile Stuck Uploads (lib/status/reconcileUploads): one run per execution. Output: one item per stuck record
 * handled (action, artefact state, why), then a summary item with the counts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { headArtefact, rowArtefact, type Queryable } from '../../../lib/status/artefacts';
import { reconcileStuckUploads, type ArtefactCheck, type ReconcileOptions } from '../../../lib/status/reconcileUploads';
import type { StatusContext, StatusSnapshot } from '../../../lib/status';
import { checkedNumber } from '../../shared/parameters';

/** The artefact URL of a field: a URL, or the first of a list (an array, a JSON array text, or one URL per line). */
export function firstUrl(value: unknown): string {
	let list: unknown = value;
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		try {
			list = JSON.parse(value);
		} catch {
			list = value;
		}
	}
	if (Array.isArray(list)) return String(list.find((v) => typeof v === 'string' && v.trim()) ?? '');
	return (
		String(list ?? '')
			.split(/\r?\n/)
			.map((s) => s.trim())
			.find(Boolean) ?? ''
	);
}

const text = (ctx: IExecuteFunctions, name: string, fallback = '') =>
	String(ctx.getNodeParameter(name, 0, fallback) ?? '').trim();

export async function executeReconcileStuck(
	ctx: IExecuteFunctions,
	status: StatusContext,
	db: Queryable | undefined,
): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const stuckStatus = text(ctx, 'stuckStatus', 'Processing');
	const requeueStatus = text(ctx, 'requeueStatus', 'Pending');
	const whenMissing = text(ctx, 'whenMissing', 'markFailed') as ReconcileOptions['cleanup'];
	const failedStatus = text(ctx, 'failedStatus', 'Failed');
	for (const [label, value] of [
		['Stuck Status', stuckStatus],
		['Requeue Status', requeueStatus],
		...(whenMissing === 'markFailed' ? [['Failed Status', failedStatus]] : []),
	]) {
		if (!status.machine.isKnown(value)) {
			throw new NodeOperationError(
				node,
				`"${label}" ${JSON.stringify(value)} is not a status of the transition rules (${status.machine.statuses.join(', ')})`,
				{
					description:
						'Nothing was read or written. Use one of those statuses (names are case-sensitive), or add it to "Transitions".',
				},
			);
		}
	}
	const minAge = checkedNumber(
		node,
		ctx.getNodeParameter('minAgeMinutes', 0, 30),
		0,
		{ label: 'Minimum Age (Minutes)', min: 0 },
		30,
	);
	const limit = checkedNumber(
		node,
		ctx.getNodeParameter('reconcileLimit', 0, 100),
		0,
		{ label: 'Limit', min: 1, integer: true },
		100,
	);
	const batchSize = checkedNumber(
		node,
		ctx.getNodeParameter('batchSize', 0, 10),
		0,
		{ label: 'Batch Size', min: 1, max: 100, integer: true },
		10,
	);
	const options = ctx.getNodeParameter('reconcileOptions', 0, {}) as IDataObject;
	const how = text(ctx, 'artefactCheck', 'http');
	let check: (rec: StatusSnapshot) => Promise<ArtefactCheck>;
	if (how === 'mysqlRow') {
		const table = text(ctx, 'artefactTable');
		const column = text(ctx, 'artefactColumn', 'task_id');
		const field = text(ctx, 'artefactValueField');
		if (!db)
			throw new NodeOperationError(node, '"Row in a MySQL Table" needs Store = MySQL', {
				description:
					'Nothing was read or written. The artefact table is looked up in the database of the MySQL store; use the HTTP check with a Bitable store.',
			});
		if (!table || !column)
			throw new NodeOperationError(node, 'Set "Artefact Table" and "Artefact Column"', {
				description: 'Nothing was read or written.',
			});
		check = (rec) => rowArtefact(db, table, column, field ? rec.fields[field] : rec.key);
	} else {
		const field = text(ctx, 'urlField', 'resultUrl');
		check = (rec) =>
			headArtefact(firstUrl(rec.fields[field]), { allowPrivateNetwork: options.allowPrivateNetwork === true });
	}
	const now = Date.now();
	const result = await reconcileStuckUploads(status, {
		stuckStatus,
		minAgeMs: minAge * 60_000,
		now,
		limit,
		batchSize,
		requeueStatus,
		cleanup: whenMissing,
		failedStatus,
		reasonField: text(ctx, 'reasonField') || undefined,
		queuedField: text(ctx, 'queuedField') || undefined,
		source: String(options.source ?? 'reconciler'),
		check,
	});
	const { records, ...summary } = result;
	return [
		...records.map((r) => ({
			json: {
				recordId: r.recordId,
				key: r.key ?? null,
				action: r.action,
				artefact: r.artefact ?? null,
				detail: r.detail,
			} as IDataObject,
			pairedItem: { item: 0 },
		})),
		{ json: { ...summary, whenMissing } as IDataObject, pairedItem: { item: 0 } },
	];
}
