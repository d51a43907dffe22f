/** Sync's parameters in (input items, numeric options) and its result out (items and the summary). */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { fileFromBuffer } from '../../../lib/bitableSync/attachments';
import { downloadFile } from '../../../lib/bitableSync/download';
import type { AttachmentFile, ItemValidationError, SyncInputItem, SyncResult } from '../../../lib/bitableSync';
import { failedItem } from '../../shared/failedItem';
import { checkedNumber, type NumberRule } from '../../shared/parameters';
import { mappedValues } from './mapping';

const TRUE_FLAGS = new Set(['true', '1', 'yes', 'y', 'deleted', 'on', '是']);
const isFlagged = (v: unknown): boolean =>
	v === true || v === 1 || (typeof v === 'string' && TRUE_FLAGS.has(v.trim().toLowerCase()));
/** Attachment URLs of the input, downloaded under lib/bitableSync/download's rules. */
export function downloader(options: IDataObject): (url: string) => Promise<AttachmentFile> {
	return async (url) => {
		const file = await downloadFile(url, { allowPrivateNetwork: options.allowPrivateNetwork === true });
		return fileFromBuffer(file.name, file.mimeType, file.data);
	};
}

export async function inputItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	options: IDataObject,
): Promise<SyncInputItem[]> {
	const softDelete = String(options.softDeleteProperty ?? '').trim();
	const binaries =
		((options.binaryAttachments as IDataObject)?.map as { field: string; binaryProperty: string }[] | undefined) ?? [];
	const out: SyncInputItem[] = [];
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json;
		const values = mappedValues(ctx, i, json);
		if (softDelete) delete values[softDelete];
		for (const b of binaries) {
			const binary = items[i].binary?.[b.binaryProperty];
			if (!b.field || !binary) continue;
			const data = await ctx.helpers.getBinaryDataBuffer(i, b.binaryProperty);
			values[b.field] = [fileFromBuffer(binary.fileName ?? b.binaryProperty, binary.mimeType, data)];
		}
		out.push({ index: i, values, deleted: softDelete ? isFlagged(json[softDelete]) : false });
	}
	return out;
}

/** A validation failure as a failed item (error output under "Continue (using error output)"). */
function validationFailure(node: INode, error: ItemValidationError, index: number): INodeExecutionData {
	const { itemIndex, field, value, expected, message } = error;
	const nodeError = new NodeOperationError(node, message, {
		itemIndex,
		description: `Give field "${field}" ${expected}, or map another input property to it.`,
	});
	return failedItem(node, nodeError, index, { item: itemIndex, field, value: value as IDataObject[string], expected });
}

export function toItems(
	node: INode,
	result: SyncResult,
	output: string,
	itemCount: number,
	continueOnFail: boolean,
	extra: IDataObject,
): INodeExecutionData[] {
	const items: INodeExecutionData[] = [];
	if (output === 'each') {
		for (const o of result.items) {
			const json: IDataObject = { record_id: o.record_id ?? null, action: o.action, key: o.key ?? null };
			if (o.reason) json.reason = o.reason;
			if (o.action === 'failed' && o.error) {
				items.push({ ...validationFailure(node, o.error, o.index), json: { ...json, error: o.error.message } });
				continue;
			}
			if (o.error) json.error = o.error.message;
			items.push({ json, pairedItem: { item: o.index } });
		}
	} else if (continueOnFail) {
		for (const o of result.items) {
			if (o.action !== 'failed' || !o.error) continue;
			items.push(validationFailure(node, o.error, o.index));
		}
	}
	const summary: IDataObject = { ...(result.summary as unknown as IDataObject), ...extra };
	if (result.plan) summary.plan = result.plan as unknown as IDataObject;
	items.push({ json: summary, pairedItem: Array.from({ length: itemCount }, (_, item) => ({ item })) });
	return items;
}

/** The numeric options, checked before the first call (a limit that is not a number is refused, never "no limit"). */
export function numericOptions(node: INode, options: IDataObject) {
	const n = (name: string, rule: NumberRule) => checkedNumber(node, options[name], 0, rule);
	return {
		createBatchSize: n('createBatchSize', { label: 'Batch Size: Create', min: 1, max: 1000, integer: true }),
		updateBatchSize: n('updateBatchSize', { label: 'Batch Size: Update', min: 1, max: 1000, integer: true }),
		deleteBatchSize: n('deleteBatchSize', { label: 'Batch Size: Delete', min: 1, max: 500, integer: true }),
		lockTimeoutSec: checkedNumber(node, options.lockTimeoutSec, 0, { label: 'Lock Timeout (Seconds)', min: 0 }, 300),
		maxDeleteCount: n('maxDeleteCount', {
			label: 'Max Deletes',
			min: 0,
			integer: true,
			also: [-1],
			hint: '-1 = no limit',
		}),
		maxDeletePercent: n('maxDeletePercent', { label: 'Max Delete Percent', min: 0, max: 100, hint: '100 = no limit' }),
		requestTimeoutMs: n('requestTimeoutMs', { label: 'Request Timeout (Ms)', min: 1, integer: true }),
	};
}
