/**
 * Writes a plan through the transport's batch helpers (which bring rate limiting, retries, client
 * tokens and one writer per base), then optionally reads the written records back to verify them.
 */
import {
	FieldType as T,
	normaliseReadValue,
	plainOfWrite,
	valuesEqual,
	type ValueOptions,
} from '../feishu/fieldValues';
import { FeishuApiError } from '../feishu/errors';
import { Uploader } from './attachments';
import { VerifyError } from './errors';
import { displayKey } from './keys';
import type { Plan } from './plan';
import type { Prepared, PreparedItem } from './prepare';
import type { BitableClient, BitableRecord } from './types';

export interface BatchSizes {
	create: number;
	update: number;
	delete: number;
}

export const MAX_BATCH: BatchSizes = { create: 1000, update: 1000, delete: 500 };

export interface Written {
	record_id: string;
	key: string;
	fields: Record<string, unknown>;
}

export interface ApplyResult {
	/** record_id of each created item, by input index. */
	createdIds: Map<number, string>;
	deletedIds: Set<string>;
	written: Written[];
	uploaded: Record<string, string>;
}

interface Target {
	client: BitableClient;
	appToken: string;
	tableId: string;
}

async function fieldsOf(
	prepared: Prepared,
	item: PreparedItem,
	cols: number[] | undefined,
	uploader: Uploader,
	forCreate: boolean,
): Promise<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	const all = cols ?? prepared.fields.map((_, c) => c);
	for (const c of all) {
		const field = prepared.fields[c];
		let value = item.writes[c];
		if (value === undefined) {
			if (forCreate) continue;
			value = null; // overwrite compares unmapped fields as empty; an update never gets here for them
		}
		if (field.type === T.Attachment) value = await uploader.writeForm(item.attachments[c] ?? null);
		// a new record is empty already: omit empty values (false checkbox included)
		if (forCreate && (value === null || value === false)) continue;
		out[field.field_name] = value;
	}
	return out;
}

export async function applyPlan(
	target: Target,
	prepared: Prepared,
	plan: Plan,
	sizes: BatchSizes,
): Promise<ApplyResult> {
	const { client, appToken, tableId } = target;
	const uploader = new Uploader(client, appToken);
	const result: ApplyResult = {
		createdIds: new Map(),
		deletedIds: new Set(),
		written: [],
		uploaded: uploader.uploaded,
	};

	const doDeletes = async (): Promise<void> => {
		const ids = [...new Set(plan.deletes.map((d) => d.record_id))];
		if (ids.length) await client.batchDeleteRecords(appToken, tableId, ids, { batchSize: sizes.delete });
		for (const id of ids) result.deletedIds.add(id);
	};
	const doCreates = async (): Promise<void> => {
		if (!plan.creates.length) return;
		const records: { fields: Record<string, unknown> }[] = [];
		for (const item of plan.creates)
			records.push({ fields: await fieldsOf(prepared, item, undefined, uploader, true) });
		const created = await client.batchCreateRecords(appToken, tableId, records, { batchSize: sizes.create });
		plan.creates.forEach((item, i) => {
			const record_id = created[i]?.record_id;
			result.createdIds.set(item.index, record_id);
			result.written.push({ record_id, key: item.key, fields: records[i].fields });
		});
	};
	const doUpdates = async (): Promise<void> => {
		if (!plan.updates.length) return;
		const records: { record_id: string; fields: Record<string, unknown> }[] = [];
		for (const u of plan.updates)
			records.push({ record_id: u.record_id, fields: await fieldsOf(prepared, u.item, u.cols, uploader, false) });
		try {
			await client.batchUpdateRecords(appToken, tableId, records, { batchSize: sizes.update });
		} catch (error) {
			if (!(error instanceof FeishuApiError && error.code === 1254043)) throw error;
			// Search (which lags writes) showed a record that is gone: update the ones that exist, create the others.
			const present = new Set<string>();
			const ids = [...new Set(records.map((r) => r.record_id))];
			for (let i = 0; i < ids.length; i += BATCH_GET) {
				for (const r of await client.batchGetRecords(appToken, tableId, ids.slice(i, i + BATCH_GET)))
					present.add(r.record_id);
			}
			const kept = records.filter((r) => present.has(r.record_id));
			if (kept.length) await client.batchUpdateRecords(appToken, tableId, kept, { batchSize: sizes.update });
			const lost = plan.updates.filter(
				(u, i, all) => !present.has(u.record_id) && all.findIndex((o) => o.item === u.item) === i,
			);
			const refill: { fields: Record<string, unknown> }[] = [];
			for (const u of lost) refill.push({ fields: await fieldsOf(prepared, u.item, undefined, uploader, true) });
			const made = refill.length
				? await client.batchCreateRecords(appToken, tableId, refill, { batchSize: sizes.create })
				: [];
			lost.forEach((u, i) => {
				result.createdIds.set(u.item.index, made[i]?.record_id);
				result.written.push({ record_id: made[i]?.record_id, key: u.item.key, fields: refill[i].fields });
			});
			plan.updates.forEach((u, i) => {
				if (present.has(u.record_id))
					result.written.push({ record_id: u.record_id, key: u.item.key, fields: records[i].fields });
			});
			return;
		}
		plan.updates.forEach((u, i) =>
			result.written.push({ record_id: u.record_id, key: u.item.key, fields: records[i].fields }),
		);
	};

	if (plan.deletesFirst) {
		await doDeletes();
		await doCreates();
		await doUpdates();
	} else {
		// creating before deleting: a run cut short leaves an extra record, never a missing one
		await doCreates();
		await doUpdates();
		await doDeletes();
	}
	return result;
}

const SEARCH_PAGE = 500;
const BATCH_GET = 100;

/** Reads the written records back (batch_get or one table read, whichever costs fewer calls) and compares. */
export async function verifyWritten(
	target: Target,
	prepared: Prepared,
	written: Written[],
	tableSize: number,
	readTable: () => Promise<BitableRecord[]>,
	options: ValueOptions,
): Promise<void> {
	if (!written.length) return;
	const byName = new Map(prepared.fields.map((f) => [f.field_name, f]));
	let records: BitableRecord[];
	if (Math.ceil(written.length / BATCH_GET) <= Math.ceil(tableSize / SEARCH_PAGE)) {
		records = [];
		const ids = written.map((w) => w.record_id);
		for (let i = 0; i < ids.length; i += BATCH_GET)
			records.push(
				...(await target.client.batchGetRecords(target.appToken, target.tableId, ids.slice(i, i + BATCH_GET))),
			);
	} else records = await readTable();
	const read = new Map(records.map((r) => [r.record_id, r]));
	const mismatches: { record_id: string; key: string; fields: string[] }[] = [];
	for (const w of written) {
		const rec = read.get(w.record_id);
		if (!rec) {
			mismatches.push({ record_id: w.record_id, key: displayKey(w.key), fields: ['(record missing)'] });
			continue;
		}
		const bad: string[] = [];
		for (const [name, sent] of Object.entries(w.fields)) {
			const field = byName.get(name);
			if (!field) continue;
			if (!valuesEqual(field, plainOfWrite(field, sent), normaliseReadValue(field, rec.fields[name], options)))
				bad.push(name);
		}
		if (bad.length) mismatches.push({ record_id: w.record_id, key: displayKey(w.key), fields: bad });
	}
	if (mismatches.length) throw new VerifyError(mismatches);
}
