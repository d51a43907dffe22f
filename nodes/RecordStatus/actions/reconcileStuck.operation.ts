/**
 * Reconcile Stuck Uploads (lib/recordStatus/reconcileUploads): one run per execution. Output: one item per stuck record
 * handled (action, artefact state, why), then a summary item with the counts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { headArtefact, rowArtefact } from '../../../lib/recordStatus/artefacts';
import {
	reconcileStuckUploads,
	type ArtefactCheck,
	type ReconcileOptions,
} from '../../../lib/recordStatus/reconcileUploads';
import type { StatusSnapshot } from '../../../lib/recordStatus';
import { checkedNumber } from '../../shared/parameters';
import type { StatusRun } from './router';
import { allowPrivateNetworkProperty } from '../../shared/descriptions';

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

const reconcile = { show: { operation: ['reconcileStuck'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Stuck Status',
		name: 'stuckStatus',
		type: 'string',
		default: 'Processing',
		required: true,
		displayOptions: reconcile,
		description: 'Records in this status for longer than the minimum age are checked',
	},
	{
		displayName: 'Minimum Age (Minutes)',
		name: 'minAgeMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		displayOptions: reconcile,
		description: 'Only records whose status time is older than this (the status time field must be set)',
	},
	{
		displayName: 'Artefact Check',
		name: 'artefactCheck',
		type: 'options',
		default: 'http',
		displayOptions: reconcile,
		options: [
			{
				name: 'HTTP HEAD on a URL',
				value: 'http',
				description:
					"The record holds the artefact's URL: 2xx = exists, 404/410 = missing, anything else = unknown (left alone)",
			},
			{
				name: 'Row in a MySQL Table',
				value: 'mysqlRow',
				description: "A row of a table in the MySQL store's database holds the artefact (Store = MySQL)",
			},
		],
	},
	{
		displayName: 'URL Field',
		name: 'urlField',
		type: 'string',
		default: 'resultUrl',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['http'] } },
		description: 'Field (or column) of the record holding the artefact URL',
	},
	{
		displayName: 'Artefact Table',
		name: 'artefactTable',
		type: 'string',
		default: '',
		placeholder: 'gen_results',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
	},
	{
		displayName: 'Artefact Column',
		name: 'artefactColumn',
		type: 'string',
		default: 'task_id',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
		description: 'Column of the artefact table that names the task',
	},
	{
		displayName: 'Task Field',
		name: 'artefactValueField',
		type: 'string',
		default: '',
		placeholder: 'taskId',
		displayOptions: { show: { operation: ['reconcileStuck'], artefactCheck: ['mysqlRow'] } },
		description: 'Field (or column) of the record whose value the artefact column must equal; empty = the key field',
	},
	{
		displayName: 'Requeue Status',
		name: 'requeueStatus',
		type: 'string',
		default: 'Pending',
		displayOptions: reconcile,
		description:
			'When the artefact exists, the task moves to this status (the transitions must allow it, e.g. "Processing -> Pending")',
	},
	{
		displayName: 'When the Artefact Is Missing',
		name: 'whenMissing',
		type: 'options',
		default: 'markFailed',
		displayOptions: reconcile,
		options: [
			{ name: 'Mark Failed With the Reason', value: 'markFailed' },
			{
				name: 'Delete the Record',
				value: 'delete',
				description: 'Only while it is still in the stuck status with the version it was found with',
			},
		],
	},
	{
		displayName: 'Failed Status',
		name: 'failedStatus',
		type: 'string',
		default: 'Failed',
		displayOptions: { show: { operation: ['reconcileStuck'], whenMissing: ['markFailed'] } },
	},
	{
		displayName: 'Reason Field',
		name: 'reasonField',
		type: 'string',
		default: '',
		placeholder: 'error',
		displayOptions: { show: { operation: ['reconcileStuck'], whenMissing: ['markFailed'] } },
		description: 'Field (or column) that receives why the task was marked Failed; empty = none',
	},
	{
		displayName: 'Queued Field',
		name: 'queuedField',
		type: 'string',
		default: '',
		placeholder: 'queuedAt',
		displayOptions: reconcile,
		description: 'A record whose value in this field is set is already queued and is skipped; empty = none',
	},
	{
		displayName: 'Limit',
		name: 'reconcileLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		displayOptions: reconcile,
		description: 'Max number of stuck records handled per run (oldest first)',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		displayOptions: reconcile,
		description: 'Records checked at once (their checks run in parallel)',
	},
	{
		displayName: 'Options',
		name: 'reconcileOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: reconcile,
		options: [
			allowPrivateNetworkProperty('artefact URLs'),
			{
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: 'reconciler',
				description: 'Source written with the status change',
			},
		],
	},
];

const text = (ctx: IExecuteFunctions, name: string, fallback = '') =>
	String(ctx.getNodeParameter(name, 0, fallback) ?? '').trim();

export async function execute(this: IExecuteFunctions, { status, db }: StatusRun): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const stuckStatus = text(this, 'stuckStatus', 'Processing');
	const requeueStatus = text(this, 'requeueStatus', 'Pending');
	const whenMissing = text(this, 'whenMissing', 'markFailed') as ReconcileOptions['cleanup'];
	const failedStatus = text(this, 'failedStatus', 'Failed');
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
		this.getNodeParameter('minAgeMinutes', 0, 30),
		0,
		{ label: 'Minimum Age (Minutes)', min: 0 },
		30,
	);
	const limit = checkedNumber(
		node,
		this.getNodeParameter('reconcileLimit', 0, 100),
		0,
		{ label: 'Limit', min: 1, integer: true },
		100,
	);
	const batchSize = checkedNumber(
		node,
		this.getNodeParameter('batchSize', 0, 10),
		0,
		{ label: 'Batch Size', min: 1, max: 100, integer: true },
		10,
	);
	const options = this.getNodeParameter('reconcileOptions', 0, {}) as IDataObject;
	const how = text(this, 'artefactCheck', 'http');
	let check: (rec: StatusSnapshot) => Promise<ArtefactCheck>;
	if (how === 'mysqlRow') {
		const table = text(this, 'artefactTable');
		const column = text(this, 'artefactColumn', 'task_id');
		const field = text(this, 'artefactValueField');
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
		const field = text(this, 'urlField', 'resultUrl');
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
		reasonField: text(this, 'reasonField') || undefined,
		queuedField: text(this, 'queuedField') || undefined,
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
