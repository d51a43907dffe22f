import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { compactDate } from '../../../lib/feishu/values/time';
import { setStatus, type SetStatusRequest, type StatusContext, type StatusOutcome } from '../../../lib/status';
import { failedItem } from '../../shared/failedItem';
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
}

function parseVersion(ctx: IExecuteFunctions, raw: unknown, i: number): number | undefined {
	if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) {
		throw new NodeOperationError(ctx.getNode(), `Expected Version must be a whole number, not "${String(raw)}"`, { itemIndex: i });
	}
	return n;
}

function parseTime(ctx: IExecuteFunctions, raw: unknown, i: number): number {
	if (raw === undefined || raw === null || raw === '') return Date.now();
	// 20240101 is a day (YYYYMMDD, UTC midnight as Date.parse reads a bare date), not 20,240,101 ms after 1970
	const compact = compactDate(raw, 'UTC');
	const ms = compact !== undefined ? compact : typeof raw === 'number' ? raw : Date.parse(String(raw));
	if (!Number.isFinite(ms)) throw new NodeOperationError(ctx.getNode(), `Update Time "${String(raw)}" is not a date`, { itemIndex: i });
	return ms;
}

/** A field list parameter (Fields to Write, Fields on Create Only) as name -> value. */
function fieldList(ctx: IExecuteFunctions, parameter: string, i: number): Record<string, unknown> {
	const pairs = (ctx.getNodeParameter(`${parameter}.field`, i, []) as Array<{ name: string; value: unknown }>) ?? [];
	const fields: Record<string, unknown> = {};
	for (const { name, value } of pairs) if (name && name.trim()) fields[name.trim()] = value;
	return fields;
}

function request(ctx: IExecuteFunctions, i: number): SetStatusRequest {
	const findBy = ctx.getNodeParameter('findBy', i, 'key') as 'key' | 'id';
	const value = String(ctx.getNodeParameter(findBy === 'key' ? 'keyValue' : 'recordId', i, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), findBy === 'key' ? 'The key value is empty' : 'The record ID is empty', { itemIndex: i });
	}
	const target = String(ctx.getNodeParameter('targetStatus', i, '') ?? '').trim();
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
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const req = request(ctx, i);
			const outcome = await setStatus(status, req);
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
	return out;
}
