/** A Bitable record as the trigger reads it, and as the item it emits. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { PolledRecord } from '../../../lib/bitableTrigger/cursor';
import { type FieldMeta, normaliseReadValue } from '../../../lib/feishu/fieldValues';
import type { BitableRecord } from '../../../lib/feishu/types';

export function toPolled(
	record: BitableRecord,
	fields: Map<string, FieldMeta>,
	modifiedField: string,
	timeZone: string,
): PolledRecord {
	const plain: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(record.fields ?? {})) {
		const meta = fields.get(name);
		plain[name] = meta ? normaliseReadValue(meta, value, { timeZone }) : value;
	}
	const modifiedMs = Number(plain[modifiedField] ?? record.last_modified_time ?? 0);
	const by = record.last_modified_by as { id?: string } | undefined;
	return {
		recordId: record.record_id,
		modifiedMs,
		createdMs: Number(record.created_time ?? modifiedMs),
		modifiedBy: by?.id,
		fields: plain,
	};
}

export function toItem(record: PolledRecord, event: string, changedFields: string[] | null): INodeExecutionData {
	return {
		json: {
			record_id: record.recordId,
			event,
			fields: record.fields as IDataObject,
			modified_time: record.modifiedMs,
			modified_time_iso: new Date(record.modifiedMs).toISOString(),
			created_time: record.createdMs,
			modified_by: record.modifiedBy ?? null,
			...(changedFields ? { changed_fields: changedFields } : {}),
		},
	};
}
