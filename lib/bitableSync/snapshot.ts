/**
 * The sync's own snapshot of a table, so that a re-sync pays only for what changed (docs/bitable-sync-economy.md).
 *
 * After each run the sync remembers, per record id, the record's key and a hash of the mapped values the input
 * gave it, plus a watermark on the table's "Modified time" field. The next run then reads only:
 * - the records modified since the watermark (sorted newest first, paging stops at the watermark), which are
 *   compared for real;
 * - one page of size 1 whose `total` tells the table's size: when it is not the snapshot's records plus the
 *   new ones, something was deleted in Feishu (or is not indexed yet) and the run reads the whole table.
 * Every other item is decided by its hash: equal -> unchanged, different -> its mapped fields are written.
 * A plan that would delete anything is never made from the snapshot: the table is read in full first, so
 * Mirror and Prune never delete on a stale snapshot. A full read also happens every N runs, on demand, and
 * whenever the mapping, the key or the mode changed.
 */
import { createHash } from 'crypto';
import { FieldType as T, type FieldMeta } from '../feishu/fieldValues';
import { shrinkingPages } from '../feishu/paging';
import { dayBeforeMs } from '../bitableTrigger/cursor';
import type { Prepared, PreparedItem } from './prepare';
import type { Schema } from './schema';
import type { BitableClient, BitableRecord, SyncMode, SyncRequest } from './types';

export const MODIFIED_TIME_TYPE = 1002;
export const DEFAULT_FULL_READ_EVERY = 24;

export interface SyncSnapshot {
	version: 1;
	/** Table, mode, key and mapped fields the hashes were made for. */
	fingerprint: string;
	/** Every record changed after this (Modified time, ms) is read again on the next run. */
	watermarkMs: number;
	/** Runs since the last full read of the table. */
	runsSinceFullRead: number;
	/** Every record of the table at the end of the run: record id -> [key ('' when it has none), value hash ('' unknown)]. */
	records: Record<string, [string, string]>;
}

export interface SnapshotRequest {
	previous?: SyncSnapshot;
	/** A full read every N runs (0: only on demand or when needed). */
	fullReadEvery?: number;
	/** Read the whole table this run (catches records deleted in Feishu). */
	fullRead?: boolean;
}

/** Why a run read the whole table instead of using the snapshot (reported in the summary). */
export type FullReadReason =
	| 'noSnapshot'
	| 'changedSetup'
	| 'onDemand'
	| 'everyN'
	| 'noModifiedField'
	| 'modeNotSupported'
	| 'attachments'
	| 'countMismatch'
	| 'wouldDelete';

export interface SnapshotReport {
	used: boolean;
	fullReadReason?: FullReadReason;
	/** Records read because they changed since the last run. */
	modifiedRead: number;
	runsSinceFullRead: number;
}

const SNAPSHOT_MODES: ReadonlySet<SyncMode> = new Set(['upsert', 'insert', 'mirror', 'prune']);

export function snapshotFingerprint(req: SyncRequest, prepared: Prepared): string {
	const fields = prepared.fields.map((f) => [f.field_name, f.type, f.field_id ?? '']);
	return createHash('sha1')
		.update(JSON.stringify([req.appToken, req.tableId, req.mode, req.keyFields, req.timeZone ?? '', fields]))
		.digest('base64')
		.slice(0, 16);
}

/** A hash of the values an item maps (plain form, key columns excluded: the key is stored beside it). */
export function itemHash(item: PreparedItem, keyCount: number): string {
	const parts: unknown[] = [];
	for (let c = keyCount; c < item.writes.length; c++) if (item.writes[c] !== undefined) parts.push(c, item.plains[c]);
	return createHash('sha1').update(JSON.stringify(parts)).digest('base64').slice(0, 12);
}

export interface SnapshotPlan {
	/** Why the snapshot cannot serve this run (the table is read in full), or undefined. */
	reason?: FullReadReason;
	modifiedField?: FieldMeta;
	fingerprint: string;
}

/** Whether this run may use the previous snapshot. */
export function snapshotEligibility(
	req: SyncRequest,
	schema: Schema,
	prepared: Prepared,
	snap: SnapshotRequest,
): SnapshotPlan {
	const fingerprint = snapshotFingerprint(req, prepared);
	const modifiedField = [...schema.tableFields.values()].find((f) => f.type === MODIFIED_TIME_TYPE);
	const result = (reason?: FullReadReason): SnapshotPlan => ({ reason, modifiedField, fingerprint });
	if (!SNAPSHOT_MODES.has(req.mode)) return result('modeNotSupported');
	if (!modifiedField) return result('noModifiedField');
	// attachment cells compare by uploaded file hashes, not by plain values
	if (prepared.fields.some((f) => f.type === T.Attachment)) return result('attachments');
	const previous = snap.previous;
	if (!previous || previous.version !== 1) return result('noSnapshot');
	if (previous.fingerprint !== fingerprint) return result('changedSetup');
	if (snap.fullRead) return result('onDemand');
	const every = snap.fullReadEvery ?? DEFAULT_FULL_READ_EVERY;
	if (every > 0 && previous.runsSinceFullRead + 1 >= every) return result('everyN');
	return result();
}

/** The newest Modified time in the table (Feishu's clock, so no clock difference matters), and the table's size. */
export async function probeNewest(
	client: BitableClient,
	req: SyncRequest,
	modifiedField: string,
): Promise<{ newestMs: number; total: number }> {
	const searchPage = client.searchPage?.bind(client);
	if (!searchPage) return { newestMs: 0, total: -1 };
	const page = await searchPage(
		req.appToken,
		req.tableId,
		{ field_names: [modifiedField], sort: [{ field_name: modifiedField, desc: true }] },
		1,
	);
	const newest = Number(page.items?.[0]?.fields[modifiedField]);
	return { newestMs: Number.isFinite(newest) ? newest : 0, total: page.total ?? -1 };
}

/**
 * Reads the records modified since the snapshot's watermark (newest first, stopping at the watermark) and the
 * table's size. `ok: false` when the size says records were deleted or are not known: read the whole table.
 */
export async function readChangedSince(
	client: BitableClient,
	req: SyncRequest,
	fieldNames: string[],
	modifiedField: string,
	previous: SyncSnapshot,
	onPage: (records: BitableRecord[]) => void,
): Promise<{ ok: boolean; records: BitableRecord[]; tableSize: number; newestMs: number }> {
	const searchPage = client.searchPage?.bind(client);
	if (!searchPage) return { ok: false, records: [], tableSize: 0, newestMs: 0 };
	const { appToken, tableId } = req;
	const from = previous.watermarkMs;
	const body = {
		field_names: [...new Set([...fieldNames, modifiedField])],
		// Feishu filters dates by day (docs/feishu-api.md, filters); the UTC day before covers `from` in any base zone
		filter: {
			conjunction: 'and',
			conditions: [
				{ field_name: modifiedField, operator: 'isGreater', value: ['ExactDate', String(dayBeforeMs(from, 'UTC'))] },
			],
		},
		sort: [{ field_name: modifiedField, desc: true }],
	};
	const next = shrinkingPages(500, (size, pageToken) => searchPage(appToken, tableId, body, size, pageToken));
	const records: BitableRecord[] = [];
	let newestMs = from;
	let pageToken: string | undefined;
	for (;;) {
		const page = await next(pageToken);
		const items = page.items ?? [];
		const fresh = items.filter((r) => !(Number(r.fields[modifiedField]) <= from));
		for (const r of fresh) newestMs = Math.max(newestMs, Number(r.fields[modifiedField]) || 0);
		records.push(...fresh);
		onPage(fresh);
		// newest first: once a page reaches the watermark, the rest is older (the records at it were handled)
		if (!page.has_more || !page.page_token || fresh.length < items.length) break;
		pageToken = page.page_token;
	}
	const { total } = await probeNewest(client, req, modifiedField);
	const known = new Set(Object.keys(previous.records));
	for (const r of records) known.add(r.record_id);
	return { ok: total === known.size, records, tableSize: total, newestMs };
}

/** What the snapshot knows about a key (records not modified since the watermark). */
export function knownByKey(
	previous: SyncSnapshot,
	modifiedIds: Set<string>,
): Map<string, { record_id: string; hash: string }[]> {
	const byKey = new Map<string, { record_id: string; hash: string }[]>();
	for (const [id, [key, hash]] of Object.entries(previous.records)) {
		if (!key || modifiedIds.has(id)) continue;
		const list = byKey.get(key);
		if (list) list.push({ record_id: id, hash });
		else byKey.set(key, [{ record_id: id, hash }]);
	}
	return byKey;
}

/** Keys the snapshot holds (not modified since) that the input lacks: Mirror and Prune would delete them. */
export function snapshotKeysAbsent(known: Map<string, unknown>, prepared: Prepared): boolean {
	const present = new Set<string>(prepared.failedKeys);
	for (const item of prepared.items) present.add(item.key);
	for (const key of known.keys()) if (!present.has(key)) return true;
	return false;
}

/** The snapshot after a run: what was known, what was read, and what the plan made of each record. */
export function nextSnapshot(args: {
	fingerprint: string;
	base: SyncSnapshot['records'];
	/** Records read this run, by key ('' for records without a key). */
	read: Iterable<[string, BitableRecord[]]>;
	keyCount: number;
	matched: { item: PreparedItem; record_id: string }[];
	created: { item: PreparedItem; record_id: string }[];
	deletedIds: Iterable<string>;
	watermarkMs: number;
	runsSinceFullRead: number;
}): SyncSnapshot {
	const records: SyncSnapshot['records'] = Object.assign(Object.create(null), args.base);
	for (const [key, recs] of args.read) for (const r of recs) records[r.record_id] = [key, ''];
	for (const { item, record_id } of [...args.matched, ...args.created])
		records[record_id] = [item.key, itemHash(item, args.keyCount)];
	for (const id of args.deletedIds) delete records[id];
	return {
		version: 1,
		fingerprint: args.fingerprint,
		watermarkMs: args.watermarkMs,
		runsSinceFullRead: args.runsSinceFullRead,
		records: { ...records },
	};
}
