import { createHash } from 'crypto';
import { zoneOffsetMs } from '../feishu/values/time';

/**
 * What the trigger remembers between polls (kept in workflow static data, so plain JSON).
 * `sinceMs` is the newest modified time handled; `seen` holds, for every record handled inside the
 * look-back window, the modified time it was handled at. Together they make each change emitted
 * once even when many records share one timestamp, arrive late in the search index, or span pages.
 */
export interface TriggerCursor {
	version: 1;
	sinceMs: number;
	seen: Record<string, number>;
	/** Per watched record, a short hash per watched field at its last emission. */
	watchHashes: Record<string, string[]>;
}

export interface PolledRecord {
	recordId: string;
	modifiedMs: number;
	createdMs: number;
	modifiedBy?: string;
	/** Plain (normalised) field values. */
	fields: Record<string, unknown>;
}

export interface ChangeOptions {
	created: boolean;
	updated: boolean;
	/** Updates are emitted only when one of these fields changed (empty = any change). */
	watchFields: string[];
	lookbackMs: number;
	/** Edits by these users (e.g. this app itself) are not emitted. */
	ignoreModifiedBy: string[];
	/** Cap on remembered watch hashes, so static data stays small on big tables. */
	maxWatchHashes?: number;
}

export interface Change {
	event: 'created' | 'updated';
	record: PolledRecord;
	/** For updates: watched fields that differ from the last emission (all watched when unknown). */
	changedFields: string[];
	previousKnown: boolean;
}

export function emptyCursor(sinceMs: number): TriggerCursor {
	return { version: 1, sinceMs, seen: {}, watchHashes: {} };
}

/** The earliest modified time the next query must still cover. */
export function windowStart(cursor: TriggerCursor, lookbackMs: number): number {
	return cursor.sinceMs - lookbackMs;
}

function fieldHash(value: unknown): string {
	return createHash('sha1')
		.update(JSON.stringify(value ?? null))
		.digest('base64')
		.slice(0, 8);
}

/**
 * Decides which polled records are new changes and returns the cursor to save. Pure: the same
 * records in any order give the same result, so shuffled ties and repeated pages are harmless.
 * With `silent` (first poll after activation) everything is remembered and nothing is emitted.
 */
export function decideChanges(
	cursor: TriggerCursor,
	records: PolledRecord[],
	options: ChangeOptions,
	silent = false,
): { changes: Change[]; next: TriggerCursor } {
	const start = windowStart(cursor, options.lookbackMs);
	// Record ids are keys: objects without a prototype, so an id such as "__proto__" or "constructor" is an ordinary key.
	const seen: TriggerCursor['seen'] = Object.assign(Object.create(null), cursor.seen);
	const watchHashes: TriggerCursor['watchHashes'] = Object.assign(Object.create(null), cursor.watchHashes);
	const ignore = new Set(options.ignoreModifiedBy);
	const unique = new Map<string, PolledRecord>();
	for (const record of records) {
		const other = unique.get(record.recordId);
		if (!other || other.modifiedMs < record.modifiedMs) unique.set(record.recordId, record);
	}
	const ordered = [...unique.values()].sort(
		(a, b) => a.modifiedMs - b.modifiedMs || (a.recordId < b.recordId ? -1 : 1),
	);

	const changes: Change[] = [];
	let sinceMs = cursor.sinceMs;
	for (const record of ordered) {
		if (record.modifiedMs < start) continue;
		const handledAt = seen[record.recordId];
		if (handledAt !== undefined && record.modifiedMs <= handledAt) continue;
		seen[record.recordId] = record.modifiedMs;
		sinceMs = Math.max(sinceMs, record.modifiedMs);

		const hashes = options.watchFields.map((name) => fieldHash(record.fields[name]));
		const previous = watchHashes[record.recordId];
		delete watchHashes[record.recordId]; // re-inserted last: insertion order doubles as recency
		watchHashes[record.recordId] = hashes;
		if (silent || (record.modifiedBy !== undefined && ignore.has(record.modifiedBy))) continue;

		const isNew = handledAt === undefined && record.createdMs >= start;
		if (isNew) {
			if (options.created) changes.push({ event: 'created', record, changedFields: [], previousKnown: false });
			continue;
		}
		if (!options.updated) continue;
		const changedFields = previous
			? options.watchFields.filter((_, i) => previous[i] !== hashes[i])
			: [...options.watchFields];
		if (options.watchFields.length && previous && changedFields.length === 0) continue;
		changes.push({ event: 'updated', record, changedFields, previousKnown: previous !== undefined });
	}

	const keepFrom = sinceMs - options.lookbackMs;
	for (const [id, at] of Object.entries(seen)) if (at < keepFrom) delete seen[id];
	const cap = options.maxWatchHashes ?? 20_000;
	const ids = Object.keys(watchHashes);
	for (const id of ids.slice(0, Math.max(0, ids.length - cap))) delete watchHashes[id];
	return { changes, next: { version: 1, sinceMs, seen, watchHashes } };
}

/**
 * Feishu's date filter takes a day, not an instant: the ms of midnight (in `timeZone`) of the day
 * BEFORE the one holding `ms`, for `isGreater`, so that the whole day of `ms` is included.
 */
export function dayBeforeMs(ms: number, timeZone: string): number {
	const DAY = 86_400_000;
	const offset = zoneOffsetMs(timeZone, ms);
	const localMidnight = Math.floor((ms + offset) / DAY) * DAY;
	return localMidnight - offset - DAY;
}
