import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { compactDate } from '../../../lib/feishu/values/time';
import { setStatus, type SetStatusRequest, type StatusMachine, type StatusOutcome } from '../../../lib/recordStatus';
import { failedItem } from '../../shared/failedItem';
import { statusEventLog } from '../helpers/eventLog';
import { transitionsProperty } from './common.descriptions';
import type { StatusRun } from './router';
import { checkedNumber } from '../../shared/parameters';
import { toNodeError } from '../../shared/errors';
import { allowPrivateNetworkProperty, REFUSED_ITEM_URLS } from '../../shared/descriptions';

/** A list of name/value pairs to write (the same shape for every field list of Set Status). */
function fieldListProperty(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description,
		displayOptions: { show: { operation: ['setStatus'] } },
		options: [
			{
				name: 'field',
				displayName: 'Field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

export const description: INodeProperties[] = [
	{
		displayName: 'Find Record By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Key', value: 'key' },
			{ name: 'Record ID', value: 'id' },
		],
		default: 'key',
		displayOptions: { show: { operation: ['setStatus'] } },
	},
	{
		displayName: 'Key Value',
		name: 'keyValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.taskId }}',
		displayOptions: { show: { operation: ['setStatus'], findBy: ['key'] } },
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		description: 'Bitable record_id (rec...) or the MySQL primary key',
		displayOptions: { show: { operation: ['setStatus'], findBy: ['id'] } },
	},
	{
		displayName: 'Target Status',
		name: 'targetStatus',
		type: 'string',
		default: 'Processing',
		required: true,
		displayOptions: { show: { operation: ['setStatus'] } },
	},
	fieldListProperty(
		'Fields to Write',
		'extraFields',
		'Written in the same update as the status (result URLs, error message, a sync state, a timestamp)',
	),
	fieldListProperty(
		'Fields on Create Only',
		'createOnlyFields',
		'Written only when the option Create If Missing creates the record, never when an existing record is updated: ' +
			'what a record starts with but people may edit later (e.g. a prompt edited in Feishu is not overwritten). ' +
			'A field also in Fields to Write takes that value.',
	),
	// shared by every operation; it stands here, between the fields and the options, as the editor has always shown it
	transitionsProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['setStatus'] } },
		options: [
			allowPrivateNetworkProperty('attachment URLs', REFUSED_ITEM_URLS),
			{
				displayName: 'Create If Missing',
				name: 'createIfMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether to create the record (key + target status + fields) when no record has the key, so a callback that arrives first still lands',
			},
			{
				displayName: 'Event Log Table (MySQL)',
				name: 'eventLogTable',
				type: 'string',
				default: '',
				placeholder: 'status_events',
				description:
					'Append every transition attempt (record, from, to, source, versions, applied or skipped and why, time, execution ID) to this MySQL table, created on first use, so support can answer "what happened to this task". Store = MySQL only (it uses that credential).',
			},
			{
				displayName: 'Expected Version',
				name: 'expectedVersion',
				type: 'string',
				default: '',
				description: 'The version the caller saw (e.g. from a callback); empty = the version read now',
			},
			{
				displayName: 'If Skipped',
				name: 'onSkip',
				type: 'options',
				options: [
					{ name: 'Report in Output', value: 'report', description: 'Applied: false, with the reason' },
					{ name: 'Fail the Item', value: 'fail' },
				],
				default: 'report',
				description: 'What an illegal, stale, lower-priority or conflicting update (or a missing record) does',
			},
			{
				displayName: 'Include Input Data',
				name: 'includeInput',
				type: 'boolean',
				default: false,
				description: 'Whether to add the input item under "input" in the output, for later nodes',
			},
			{
				displayName: 'On Version Conflict',
				name: 'onConflict',
				type: 'options',
				options: [
					{ name: 'Report', value: 'report' },
					{ name: 'Re-Read and Retry', value: 'retry' },
				],
				default: 'report',
				description:
					'When another update wins between our read and our write. A version given in the input is never retried.',
			},
			{
				displayName: 'Refresh When Unchanged',
				name: 'refreshWhenUnchanged',
				type: 'boolean',
				default: false,
				description:
					'Whether to write the fields and the status time even when the record already has the target status (e.g. to count an attempt)',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				options: [
					{ name: 'User', value: 'user' },
					{ name: 'Workflow', value: 'workflow' },
					{ name: 'Reconciler', value: 'reconciler' },
				],
				default: 'workflow',
				description:
					"Who makes this update. An update never overrides a status that a higher-priority source set after the update's time (user > workflow > reconciler).",
			},
			{
				displayName: 'Update Time',
				name: 'eventTime',
				type: 'dateTime',
				default: '',
				description:
					"When the update happened (e.g. the callback's timestamp); empty = now. Written as the status time.",
			},
		],
	},
];

interface SetStatusOptions {
	createIfMissing?: boolean;
	expectedVersion?: string | number;
	onSkip?: 'report' | 'fail';
	onConflict?: 'report' | 'retry';
	refreshWhenUnchanged?: boolean;
	source?: string;
	eventTime?: string;
	includeInput?: boolean;
	eventLogTable?: string;
}

function parseVersion(ctx: IExecuteFunctions, raw: unknown, i: number): number | undefined {
	if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
	return checkedNumber(ctx.getNode(), raw, i, {
		label: 'Expected Version',
		min: 0,
		integer: true,
		hint: 'empty = the version read now',
	});
}

function parseTime(ctx: IExecuteFunctions, raw: unknown, i: number): number {
	if (raw === undefined || raw === null || raw === '') return Date.now();
	// 20240101 is a day (YYYYMMDD, UTC midnight as Date.parse reads a bare date), not 20,240,101 ms after 1970
	const compact = compactDate(raw, 'UTC');
	const ms = compact !== undefined ? compact : typeof raw === 'number' ? raw : Date.parse(String(raw));
	if (!Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: "Update Time" ${JSON.stringify(raw)} is not a date`, {
			itemIndex: i,
			description:
				'Nothing was written. Give a date such as 2024-05-01T08:00:00Z (or 20240501, or epoch ms), or leave it empty for now.',
		});
	}
	return ms;
}

/** A field list parameter (Fields to Write, Fields on Create Only) as name -> value. */
function fieldList(ctx: IExecuteFunctions, parameter: string, i: number): Record<string, unknown> {
	const pairs = (ctx.getNodeParameter(`${parameter}.field`, i, []) as Array<{ name: string; value: unknown }>) ?? [];
	const fields: Record<string, unknown> = {};
	for (const { name, value } of pairs) if (name && name.trim()) fields[name.trim()] = value;
	return fields;
}

function request(ctx: IExecuteFunctions, i: number, machine: StatusMachine): SetStatusRequest {
	const findBy = ctx.getNodeParameter('findBy', i, 'key') as 'key' | 'id';
	const value = String(ctx.getNodeParameter(findBy === 'key' ? 'keyValue' : 'recordId', i, '') ?? '').trim();
	if (!value) {
		const field = findBy === 'key' ? 'Key Value' : 'Record ID';
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: "${field}" is empty`, {
			itemIndex: i,
			description: `Nothing was written. Map "${field}" to the item's ${findBy === 'key' ? 'business key (e.g. taskId)' : 'record ID'}, or check what the expression gives for this item.`,
		});
	}
	const target = String(ctx.getNodeParameter('targetStatus', i, '') ?? '').trim();
	if (!machine.isKnown(target)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${i}: "Target Status" ${JSON.stringify(target)} is not a status of the transition rules (${machine.statuses.join(', ')})`,
			{
				itemIndex: i,
				description:
					'Nothing was written. Use one of those statuses (names are case-sensitive), or add it to "Transitions".',
			},
		);
	}
	const opts = ctx.getNodeParameter('options', i, {}) as SetStatusOptions;
	return {
		locator: { by: findBy, value },
		target,
		expectedVersion: parseVersion(ctx, opts.expectedVersion, i),
		source: opts.source ?? 'workflow',
		at: parseTime(ctx, opts.eventTime, i),
		fields: fieldList(ctx, 'extraFields', i),
		createIfMissing: !!opts.createIfMissing,
		createOnlyFields: fieldList(ctx, 'createOnlyFields', i),
		onConflict: opts.onConflict ?? 'report',
		refreshWhenUnchanged: !!opts.refreshWhenUnchanged,
	};
}

function toJson(outcome: StatusOutcome): IDataObject {
	const { recordId, key, previousStatus, status, version, applied, reason, message } = outcome;
	return {
		recordId: recordId ?? null,
		key: key ?? null,
		previousStatus: previousStatus ?? null,
		status: status ?? null,
		version: version ?? null,
		applied,
		reason: reason ?? null,
		...(message ? { message } : {}),
	};
}

/** One guarded update per input item, in order (items of one execution never race each other). */
export async function execute(this: IExecuteFunctions, { status }: StatusRun): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	// Every item's request is read and checked before the first write (bad input stops the run with
	// nothing written; with Continue On Fail the bad item becomes an error item and the rest go on).
	const requests: Array<SetStatusRequest | NodeOperationError | NodeApiError> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			requests.push(request(this, i, status.machine));
		} catch (err) {
			const error = toNodeError(this.getNode(), err, i);
			if (!this.continueOnFail()) throw error;
			requests.push(error);
		}
	}
	const eventLog = await statusEventLog(this);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const req = requests[i];
			if (req instanceof Error) throw req;
			const outcome = await eventLog.attempt(req, () => setStatus(status, req));
			const onSkip = (this.getNodeParameter('options.onSkip', i, 'report') as string) ?? 'report';
			const skipped = !outcome.applied && outcome.reason !== 'unchanged';
			if (skipped && onSkip === 'fail') {
				throw new NodeOperationError(this.getNode(), `Status not set: ${outcome.message ?? outcome.reason}`, {
					itemIndex: i,
					description: `reason: ${outcome.reason}`,
				});
			}
			const json = toJson(outcome);
			if (this.getNodeParameter('options.includeInput', i, false)) json.input = items[i].json;
			out.push({ json, pairedItem: { item: i } });
		} catch (err) {
			const error = toNodeError(this.getNode(), err, i);
			if (!this.continueOnFail()) throw error;
			out.push(failedItem(this.getNode(), error, i, error.description ? { details: error.description } : {}));
		}
	}
	await eventLog.flush(out);
	return out;
}
