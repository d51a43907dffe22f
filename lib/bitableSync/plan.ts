/**
 * The diff and the plan per mode. The table is indexed by key once (a Map), every input item is looked
 * up once, and only fields whose plain values differ are written: O(rows x mapped fields).
 */
import {
	FieldType as T,
	READ_ONLY_TYPES,
	normaliseReadValue,
	valuesEqual,
	type FieldMeta,
	type PlainValue,
	type ValueOptions,
} from '../feishu/fieldValues';
import { sameAttachments } from './attachments';
import { DuplicateKeysError, ThresholdError } from './errors';
import { buildKey, displayKey } from './keys';
import type { Prepared, PreparedItem } from './prepare';
import type { Schema } from './schema';
import { itemHash } from './snapshot';
import type { BitableRecord, SyncMode, Thresholds } from './types';

export interface PlannedUpdate {
	item: PreparedItem;
	record_id: string;
	/** Columns (indexes into Prepared.fields) that differ. */
	cols: number[];
}

export interface PlannedDelete {
	record_id: string;
	key?: string;
	reason: 'absent' | 'duplicate' | 'softDeleted' | 'replaced' | 'clone';
	/** Input item that asked for it (soft delete). */
	itemIndex?: number;
}

/** Deletions the delete limits count: absent keys (mirror, prune), soft deletes, and what Clone removes. */
const LIMITED_REASONS: ReadonlySet<PlannedDelete['reason']> = new Set(['absent', 'softDeleted', 'clone']);

export interface Plan {
	creates: PreparedItem[];
	updates: PlannedUpdate[];
	deletes: PlannedDelete[];
	/** Deletes run before creates (overwrite, clone: replace records). */
	deletesFirst: boolean;
	unchanged: { item: PreparedItem; record_id: string }[];
	skipped: { index: number; key?: string; record_id?: string; reason: string }[];
	duplicateKeysInTable: string[];
	recordsWithoutKey: number;
	keyedRecords: number;
}

export interface PlanOptions {
	mode: SyncMode;
	duplicateInputKeys: 'error' | 'lastWins';
	dedupe: boolean;
	thresholds: Thresholds;
	timeZone: string;
	attachmentHashes: Record<string, string>;
	/**
	 * Records the sync's snapshot knows by key but did not read this run (lib/bitableSync/snapshot.ts): an item
	 * whose hash matches is unchanged, otherwise its mapped fields are written.
	 */
	known?: Map<string, { record_id: string; hash: string }[]>;
}

export interface TableIndex {
	byKey: Map<string, BitableRecord[]>;
	withoutKey: BitableRecord[];
	count: number;
}

/**
 * Indexes records by key as pages arrive (the work hides in the time a rate-limited read waits). Pages are not a
 * snapshot (docs/feishu-api.md, paging): a record seen again replaces its earlier read, so it counts once.
 */
export class TableIndexBuilder {
	readonly index: TableIndex = { byKey: new Map(), withoutKey: [], count: 0 };
	/** Records read more than once (evidence that the table changed during the read). */
	repeats = 0;
	private readonly parts: PlainValue[];
	private readonly seen = new Map<string, BitableRecord>();

	constructor(
		private readonly keyFields: FieldMeta[],
		private readonly options: ValueOptions,
	) {
		this.parts = new Array<PlainValue>(keyFields.length);
	}

	add(records: readonly BitableRecord[]): void {
		const { keyFields, parts, options } = this;
		const { byKey, withoutKey } = this.index;
		for (const rec of records) {
			const earlier = this.seen.get(rec.record_id);
			if (earlier) {
				this.repeats++;
				this.remove(earlier);
			}
			this.seen.set(rec.record_id, rec);
			for (let k = 0; k < keyFields.length; k++)
				parts[k] = normaliseReadValue(keyFields[k], rec.fields[keyFields[k].field_name], options);
			const key = buildKey(parts);
			if (key === undefined) withoutKey.push(rec);
			else {
				const list = byKey.get(key);
				if (list) list.push(rec);
				else byKey.set(key, [rec]);
			}
		}
		this.index.count = this.seen.size;
	}

	private remove(rec: BitableRecord): void {
		const { byKey, withoutKey } = this.index;
		const at = withoutKey.indexOf(rec);
		if (at >= 0) {
			withoutKey.splice(at, 1);
			return;
		}
		for (const [key, list] of byKey) {
			const i = list.indexOf(rec);
			if (i < 0) continue;
			list.splice(i, 1);
			if (!list.length) byKey.delete(key);
			return;
		}
	}
}

export function indexTable(records: BitableRecord[], keyFields: FieldMeta[], options: ValueOptions): TableIndex {
	const builder = new TableIndexBuilder(keyFields, options);
	builder.add(records);
	return builder.index;
}

/** Columns of `item` whose values differ from `rec`; `full` also compares fields the item does not map (as empty). */
export function changedColumns(
	prepared: Prepared,
	item: PreparedItem,
	rec: BitableRecord,
	keyCount: number,
	full: boolean,
	opts: PlanOptions,
): number[] {
	const changed: number[] = [];
	const { fields } = prepared;
	for (let c = keyCount; c < fields.length; c++) {
		const mapped = item.writes[c] !== undefined;
		if (!mapped && !full) continue;
		const field = fields[c];
		const read = rec.fields[field.field_name];
		if (field.type === T.Attachment) {
			if (!sameAttachments(read, mapped ? (item.attachments[c] ?? null) : null, opts.attachmentHashes)) changed.push(c);
			continue;
		}
		const plain = mapped ? item.plains[c] : field.type === T.Checkbox ? false : null;
		if (!valuesEqual(field, plain, normaliseReadValue(field, read, opts))) changed.push(c);
	}
	return changed;
}

/** Whether a record holds values in writable fields the sync does not map (overwrite and clone would lose them). */
function hasUnmappedContent(rec: BitableRecord, schema: Schema, opts: PlanOptions): boolean {
	for (const name of Object.keys(rec.fields)) {
		if (schema.targets.has(name)) continue;
		const field = schema.tableFields.get(name);
		if (!field || READ_ONLY_TYPES.has(field.type)) continue;
		const v = normaliseReadValue(field, rec.fields[name], opts);
		if (v !== null && v !== false) return true;
	}
	return false;
}

/** Input items with the same key: refuse, or keep the last one. */
function dedupeInput(items: PreparedItem[], opts: PlanOptions, skipped: Plan['skipped']): PreparedItem[] {
	const last = new Map<string, PreparedItem>();
	let dupes: Map<string, number[]> | undefined;
	for (const item of items) {
		const prev = last.get(item.key);
		if (prev) {
			dupes ??= new Map();
			const list = dupes.get(item.key) ?? [prev.index];
			list.push(item.index);
			dupes.set(item.key, list);
		}
		last.set(item.key, item);
	}
	if (!dupes) return items;
	if (opts.duplicateInputKeys === 'error') {
		throw new DuplicateKeysError([...dupes].map(([key, list]) => ({ key: displayKey(key), items: list })));
	}
	const kept: PreparedItem[] = [];
	for (const item of items) {
		if (last.get(item.key) === item) kept.push(item);
		else
			skipped.push({ index: item.index, key: item.key, reason: 'duplicate key: a later item with the same key wins' });
	}
	return kept;
}

export function buildPlan(prepared: Prepared, schema: Schema, table: TableIndex, opts: PlanOptions): Plan {
	const { mode } = opts;
	const keyCount = schema.keyFields.length;
	const plan: Plan = {
		creates: [],
		updates: [],
		deletes: [],
		deletesFirst: mode === 'overwrite' || mode === 'clone',
		unchanged: [],
		skipped: [],
		duplicateKeysInTable: [],
		recordsWithoutKey: table.withoutKey.length,
		keyedRecords: table.count - table.withoutKey.length,
	};
	for (const [key, recs] of table.byKey) if (recs.length > 1) plan.duplicateKeysInTable.push(displayKey(key));
	const items = dedupeInput(prepared.items, opts, plan.skipped);
	const full = mode === 'overwrite' || mode === 'clone';
	const present = new Set<string>(prepared.failedKeys);
	/** Records an item already kept or replaced; clone deletes every other record. */
	const handled = new Set<string>();

	for (const item of items) {
		present.add(item.key);
		const recs = table.byKey.get(item.key);
		if (mode === 'prune') continue;
		if (item.deleted) {
			const knownRecs = recs ?? opts.known?.get(item.key)?.map((k) => ({ record_id: k.record_id, fields: {} }));
			if (mode === 'insert' || !knownRecs) {
				plan.skipped.push({
					index: item.index,
					key: item.key,
					reason: recs
						? 'flagged deleted (insert-only mode deletes nothing)'
						: 'flagged deleted; no record has this key',
				});
				continue;
			}
			for (const rec of knownRecs)
				plan.deletes.push({ record_id: rec.record_id, key: item.key, reason: 'softDeleted', itemIndex: item.index });
			continue;
		}
		if (!recs) {
			const known = opts.known?.get(item.key);
			if (known) planKnown(plan, item, known, keyCount, mode);
			else plan.creates.push(item);
			continue;
		}
		if (mode === 'insert') {
			skipExisting(plan, item, recs[0].record_id);
			if (opts.dedupe)
				for (const rec of recs.slice(1))
					plan.deletes.push({ record_id: rec.record_id, key: item.key, reason: 'duplicate' });
			continue;
		}
		// compare with every record of the key; the closest one is "the" record
		let best: { rec: BitableRecord; cols: number[] } | undefined;
		const diffs = recs.map((rec) => {
			let cols = changedColumns(prepared, item, rec, keyCount, full, opts);
			if (full && cols.length === 0 && hasUnmappedContent(rec, schema, opts)) cols = [-1];
			const d = { rec, cols };
			if (
				!best ||
				cols.length < best.cols.length ||
				(cols.length === best.cols.length && rec.record_id < best.rec.record_id)
			)
				best = d;
			return d;
		});
		const chosen = best as unknown as { rec: BitableRecord; cols: number[] };
		if (full) {
			// overwrite / clone: an identical record stays; every other record of the key is replaced
			if (chosen.cols.length === 0) {
				plan.unchanged.push({ item, record_id: chosen.rec.record_id });
				handled.add(chosen.rec.record_id);
			} else plan.creates.push(item);
			for (const d of diffs) {
				if (d === chosen && chosen.cols.length === 0) continue;
				plan.deletes.push({
					record_id: d.rec.record_id,
					key: item.key,
					reason: d === chosen || mode === 'overwrite' ? 'replaced' : 'duplicate',
				});
				handled.add(d.rec.record_id);
			}
			continue;
		}
		const targets = opts.dedupe ? [chosen] : diffs;
		if (opts.dedupe)
			for (const d of diffs)
				if (d !== chosen) plan.deletes.push({ record_id: d.rec.record_id, key: item.key, reason: 'duplicate' });
		const changed = targets.filter((d) => d.cols.length);
		for (const d of changed) plan.updates.push({ item, record_id: d.rec.record_id, cols: d.cols });
		if (!changed.length) plan.unchanged.push({ item, record_id: chosen.rec.record_id });
	}

	if (mode === 'clone') {
		for (const [key, recs] of table.byKey)
			for (const rec of recs)
				if (!handled.has(rec.record_id)) plan.deletes.push({ record_id: rec.record_id, key, reason: 'clone' });
		for (const rec of table.withoutKey) plan.deletes.push({ record_id: rec.record_id, reason: 'clone' });
	}
	if (mode === 'mirror' || mode === 'prune') {
		for (const [key, recs] of table.byKey) {
			if (present.has(key)) {
				if (mode === 'prune' && opts.dedupe)
					for (const rec of recs.slice(1)) plan.deletes.push({ record_id: rec.record_id, key, reason: 'duplicate' });
				continue;
			}
			for (const rec of recs) plan.deletes.push({ record_id: rec.record_id, key, reason: 'absent' });
		}
	}
	// Records removed for good (not replaced by the same key) count toward the limits, whatever the mode.
	const removed = plan.deletes.filter((d) => LIMITED_REASONS.has(d.reason)).length;
	checkThreshold(removed, plan.keyedRecords + (mode === 'clone' ? plan.recordsWithoutKey : 0), opts.thresholds);
	return plan;
}

/** Insert-only mode leaves an existing key alone. */
function skipExisting(plan: Plan, item: PreparedItem, recordId: string): void {
	plan.skipped.push({
		index: item.index,
		key: item.key,
		record_id: recordId,
		reason: 'the key exists (insert-only mode)',
	});
}

/** An item whose key only the snapshot knows: equal hash -> unchanged; else every mapped field is written. */
function planKnown(
	plan: Plan,
	item: PreparedItem,
	known: { record_id: string; hash: string }[],
	keyCount: number,
	mode: SyncMode,
): void {
	if (mode === 'insert') {
		skipExisting(plan, item, known[0].record_id);
		return;
	}
	const hash = itemHash(item, keyCount);
	const stale = known.filter((k) => k.hash !== hash);
	if (!stale.length) {
		plan.unchanged.push({ item, record_id: known[0].record_id });
		return;
	}
	const cols: number[] = [];
	for (let c = keyCount; c < item.writes.length; c++) if (item.writes[c] !== undefined) cols.push(c);
	if (!cols.length) {
		plan.unchanged.push({ item, record_id: known[0].record_id });
		return;
	}
	for (const k of stale) plan.updates.push({ item, record_id: k.record_id, cols });
}

export function checkThreshold(wouldDelete: number, keyedRecords: number, t: Thresholds): void {
	if (wouldDelete === 0) return;
	if (t.maxDeleteCount >= 0 && wouldDelete > t.maxDeleteCount) {
		throw new ThresholdError(wouldDelete, keyedRecords, `${t.maxDeleteCount} records`);
	}
	if (t.maxDeletePercent < 100 && keyedRecords > 0 && (wouldDelete / keyedRecords) * 100 > t.maxDeletePercent) {
		throw new ThresholdError(wouldDelete, keyedRecords, `${t.maxDeletePercent}% of the table`);
	}
}
