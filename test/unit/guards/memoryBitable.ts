/** An in-memory BitableClient for pure sync tests: one table, every call recorded, writes applied to `records`. */
import type { FieldMeta } from '../../../lib/feishu/fieldValues';
import type { BitableClient, BitableRecord } from '../../../lib/bitableSync/types';

export interface MemoryTable {
	client: BitableClient;
	/** Every call by method name, in order. */
	log: string[];
	records: BitableRecord[];
	/** Calls that change the table (records or fields). */
	writes(): string[];
}

const WRITES = /^(createField|batchCreateRecords|batchUpdateRecords|batchDeleteRecords|uploadAttachment)$/;

export function memoryTable(fields: FieldMeta[], rows: Record<string, unknown>[] = []): MemoryTable {
	const records: BitableRecord[] = rows.map((fields, i) => ({ record_id: `rec${i}`, fields: { ...fields } }));
	const log: string[] = [];
	let next = rows.length;
	const client = {
		get calls() {
			return log.length;
		},
		async listFields() {
			log.push('listFields');
			return fields.map((f) => ({ ...f }));
		},
		async createField(_a: string, _t: string, spec: FieldMeta) {
			log.push('createField');
			fields.push(spec);
			return spec;
		},
		async searchRecords() {
			log.push('searchRecords');
			return records.map((r) => ({ record_id: r.record_id, fields: { ...r.fields } }));
		},
		async batchGetRecords(_a: string, _t: string, ids: string[]) {
			log.push('batchGetRecords');
			return records.filter((r) => ids.includes(r.record_id));
		},
		async batchCreateRecords(_a: string, _t: string, list: { fields: Record<string, unknown> }[]) {
			log.push('batchCreateRecords');
			const made = list.map((r) => ({ record_id: `rec${next++}`, fields: { ...r.fields } }));
			records.push(...made);
			return made;
		},
		async batchUpdateRecords(_a: string, _t: string, list: { record_id: string; fields: Record<string, unknown> }[]) {
			log.push('batchUpdateRecords');
			for (const u of list) Object.assign(records.find((r) => r.record_id === u.record_id)?.fields ?? {}, u.fields);
			return {};
		},
		async batchDeleteRecords(_a: string, _t: string, ids: string[]) {
			log.push('batchDeleteRecords');
			for (const id of ids)
				records.splice(
					records.findIndex((r) => r.record_id === id),
					1,
				);
			return {};
		},
	} as unknown as BitableClient;
	return { client, log, records, writes: () => log.filter((m) => WRITES.test(m)) };
}
