import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { compactDate } from '../../../lib/feishu/values/time';
import { setStatus, type SetStatusRequest, type StatusContext, type StatusOutcome } from '../../../lib/status';
import { failedItem } from '../../shared/failedItem';
import { statusEventLog } from './eventLog';
import { checkedNumber } from '../../shared/parameters';
import { toNodeError } from './errors';

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

function request(ctx: IExecuteFunctions, i: number, machine: StatusContext['machine']): SetStatusRequest {
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
export async function executeSetStatus(ctx: IExecuteFunctions, status: StatusContext): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	// Every item's request is read and checked before the first write (bad input stops the run with
	// nothing written; with Continue On Fail the bad item becomes an error item and the rest go on).
	const requests: Array<SetStatusRequest | NodeOperationError | NodeApiError> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			requests.push(request(ctx, i, status.machine));
		} catch (err) {
			const error = toNodeError(ctx.getNode(), err, i);
			if (!ctx.continueOnFail()) throw error;
			requests.push(error);
		}
	}
	const eventLog = await statusEventLog(ctx);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const req = requests[i];
			if (req instanceof Error) throw req;
			const outcome = await eventLog.attempt(req, () => setStatus(status, req));
			const onSkip = (ctx.getNodeParameter('options.onSkip', i, 'report') as string) ?? 'report';
			const skipped = !outcome.applied && outcome.reason !== 'unchanged';
			if (skipped && onSkip === 'fail') {
				throw new NodeOperationError(ctx.getNode(), `Status not set: ${outcome.message ?? outcome.reason}`, {
					itemIndex: i,
					description: `reason: ${outcome.reason}`,
				});
			}
			const json = toJson(outcome);
			if (ctx.getNodeParameter('options.includeInput', i, false)) json.input = items[i].json;
			out.push({ json, pairedItem: { item: i } });
		} catch (err) {
			const error = toNodeError(ctx.getNode(), err, i);
			if (!ctx.continueOnFail()) throw error;
			out.push(failedItem(ctx.getNode(), error, i, error.description ? { details: error.description } : {}));
		}
	}
	await eventLog.flush(out);
	return out;
}
