/**
 * A Bitable sync, end to end: under the table lock, read the fields, validate every item, read the table
 * once, plan, and only then write (fields first, then records), optionally verifying the result.
 * Every refusal (validation, duplicate keys, threshold) happens before the first write.
 */
import { DEFAULT_TIME_ZONE } from '../defaults';
import { applyPlan, MAX_BATCH, verifyWritten, type ApplyResult, type BatchSizes } from './apply';
import { AdvancedPermissionError, SyncRefusedError, ValidationError } from './errors';
import { displayKey } from './keys';
import { inProcessLock, lockName, type TableLock } from './lock';
import { buildPlan, TableIndexBuilder, type Plan, type PlanOptions } from './plan';
import { batchConditions, type FilterCondition } from '../feishu/filter';
import { readAllPages, shrinkingPages } from '../feishu/paging';
import { recentCreates, tableScope } from '../feishu/recentCreates';
import { prepareItems, type Prepared } from './prepare';
import { resolveSchema, type Schema } from './schema';
import {
	knownByKey,
	nextSnapshot,
	probeNewest,
	readChangedSince,
	snapshotEligibility,
	snapshotKeysAbsent,
	type FullReadReason,
	type SnapshotReport,
	type SyncSnapshot,
} from './snapshot';
import type {
	BitableClient,
	BitableRecord,
	ItemOutcome,
	PlanPreview,
	SyncRequest,
	SyncResult,
	SyncSummary,
	Thresholds,
} from './types';

export const DEFAULT_THRESHOLDS: Thresholds = { maxDeleteCount: 1000, maxDeletePercent: 20 };
export const SEARCH_PAGE_SIZE = 500;

export interface SyncDeps {
	lock?: TableLock;
	now?: () => number;
	/** Missing mapped fields without creation: ignore (auto mapping) or refuse (named fields). */
	missingFields?: 'ignore' | 'error';
}

function batchSizes(req: SyncRequest): BatchSizes {
	const pick = (given: number | undefined, max: number): number =>
		given && given > 0 ? Math.min(Math.floor(given), max) : max;
	return {
		create: pick(req.batchSizes?.create, MAX_BATCH.create),
		update: pick(req.batchSizes?.update, MAX_BATCH.update),
		delete: pick(req.batchSizes?.delete, MAX_BATCH.delete),
	};
}

/** Field names to read: key and mapped fields only (overwrite and clone read whole records). */
function readBody(req: SyncRequest, schema: Schema): Record<string, unknown> {
	if (req.mode === 'overwrite' || req.mode === 'clone') return {};
	const names =
		req.mode === 'prune'
			? schema.keyFields.map((f) => f.field_name)
			: [...schema.targets.values()].map((f) => f.field_name);
	return { field_names: names.filter((n) => schema.tableFields.has(n)) };
}

/**
 * Refusals that need nothing but the request, made before the first call: with no key field every
 * record would share one empty key (mirror and prune would then delete by it), and a limit that is
 * negative or not a number must not silently mean "no limit".
 */
export function checkRequest(req: SyncRequest): void {
	if (!req.keyFields.length || req.keyFields.some((k) => typeof k !== 'string' || k.trim() === '')) {
		throw new SyncRefusedError(
			'No key field is set: "Key Field Names or IDs" is empty (or an expression gave nothing)',
			'Nothing was read or written. Pick the field (or fields) that identifies a record; if it is an expression, check that it gives field names.',
		);
	}
	const t = req.thresholds ?? {};
	const bad = (v: unknown, ok: (n: number) => boolean) =>
		v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && ok(v));
	if (bad(t.maxDeleteCount, (n) => Number.isInteger(n) && n >= -1)) {
		throw new SyncRefusedError(
			`"Max Deletes" must be a whole number of at least 0, or -1 for no limit; got ${String(t.maxDeleteCount)}`,
			'Nothing was read or written. Set "Max Deletes" in the Sync options.',
		);
	}
	if (bad(t.maxDeletePercent, (n) => n >= 0 && n <= 100)) {
		throw new SyncRefusedError(
			`"Max Delete Percent" must be a number from 0 to 100 (100 = no limit); got ${String(t.maxDeletePercent)}`,
			'Nothing was read or written. Set "Max Delete Percent" in the Sync options.',
		);
	}
}

export async function runSync(client: BitableClient, req: SyncRequest, deps: SyncDeps = {}): Promise<SyncResult> {
	checkRequest(req);
	const now = deps.now ?? Date.now;
	const started = now();
	const callsBefore = client.calls;
	const timeZone = req.timeZone ?? DEFAULT_TIME_ZONE;
	const lock = deps.lock ?? inProcessLock;
	const { appToken, tableId } = req;
	const items =
		req.mode === 'prune'
			? req.items.map((i) => ({ index: i.index, values: pickKeys(i.values, req.keyFields) }))
			: req.items;

	return lock(lockName(appToken, tableId), async () => {
		const fields = await client.listFields(appToken, tableId);
		const schema = resolveSchema(fields, items, {
			keyFields: req.keyFields,
			createMissingFields: !!req.createMissingFields,
			strategy: req.strategy ?? 'base',
			timeZone,
			missingFields: deps.missingFields,
		});
		const prepared = await prepareItems(client, schema, items, { timeZone, download: req.downloadUrl });
		if (prepared.failures.length && !req.continueOnFail) throw new ValidationError(prepared.failures);

		const readTable = (): Promise<BitableRecord[]> => readAll(client, appToken, tableId, readBody(req, schema));
		// a table without the key field yet has no keyed records: nothing to read unless records must be deleted
		const keyMissing = schema.keyFields.some((f) => !schema.tableFields.has(f.field_name));
		let indexer = new TableIndexBuilder(schema.keyFields, { timeZone });
		const planOptions: PlanOptions = {
			mode: req.mode,
			duplicateInputKeys: req.duplicateInputKeys ?? 'error',
			dedupe: !!req.dedupe,
			thresholds: thresholdsOf(req),
			timeZone,
			attachmentHashes: req.attachmentHashes ?? {},
		};
		// The sync's snapshot (lib/bitableSync/snapshot.ts): read only what changed since the last run.
		const snap = req.snapshot;
		const eligibility = snap && !keyMissing ? snapshotEligibility(req, schema, prepared, snap) : undefined;
		let report: SnapshotReport | undefined;
		let read: TableRead | undefined;
		let plan: Plan | undefined;
		let changedNewestMs = 0;
		if (keyMissing && req.mode !== 'clone') read = { records: [], tableSize: 0, how: 'none' };
		else if (snap?.previous && eligibility && !eligibility.reason && eligibility.modifiedField) {
			const previous = snap.previous;
			const names = (readBody(req, schema).field_names as string[] | undefined) ?? [];
			const got = await readChangedSince(client, req, names, eligibility.modifiedField.field_name, previous, (page) =>
				indexer.add(page),
			);
			if (got.ok) {
				const modifiedIds = new Set(got.records.map((r) => r.record_id));
				const known = knownByKey(previous, modifiedIds);
				// deletes come from the snapshot only if nothing would be deleted: the full read below decides those
				const trial = buildPlan(prepared, schema, indexer.index, {
					...planOptions,
					known,
					thresholds: { maxDeleteCount: -1, maxDeletePercent: 100 },
				});
				const wouldDelete =
					trial.deletes.length > 0 ||
					((req.mode === 'mirror' || req.mode === 'prune') && snapshotKeysAbsent(known, prepared));
				if (!wouldDelete) {
					planOptions.known = known;
					plan = trial;
					read = { records: got.records, tableSize: got.tableSize, how: 'changedSince' };
					changedNewestMs = got.newestMs;
					report = { used: true, modifiedRead: got.records.length, runsSinceFullRead: previous.runsSinceFullRead + 1 };
				} else report = fullReadInstead('wouldDelete', got.records.length);
			} else report = fullReadInstead('countMismatch', got.records.length);
		}
		if (!read) {
			if (eligibility && !report) report = fullReadInstead(eligibility.reason ?? 'noSnapshot', 0);
			indexer = new TableIndexBuilder(schema.keyFields, { timeZone });
			// a snapshot is made from the whole table, never from the input's keys alone
			read = await readForDiff(client, req, schema, prepared, (page) => indexer.add(page), !!eligibility);
		}
		plan ??= buildPlan(prepared, schema, indexer.index, planOptions);
		// The table changed while it was read (pages are no snapshot): a record may have been skipped, and its
		// key would be created again. Look the planned creates up by key before deciding.
		if (plan.creates.length && read.how !== 'none' && (indexer.repeats > 0 || read.shifted)) {
			const found = await lookUpKeys(
				client,
				req,
				schema,
				plan.creates.map((i) => i.plains),
				readBody(req, schema),
			);
			if (found === undefined)
				await readAll(client, appToken, tableId, readBody(req, schema), (page) => indexer.add(page));
			else indexer.add(found);
			plan = buildPlan(prepared, schema, indexer.index, planOptions);
		}
		// Search may not show records created moments ago (eventual consistency): keys this process created
		// recently are read by id before they are created again.
		const scope = tableScope(appToken, tableId);
		if (plan.creates.length && read.how !== 'none') {
			const remembered = recentCreates.lookup(
				scope,
				plan.creates.map((i) => i.key),
				now(),
			);
			if (remembered.size) {
				indexer.add(await client.batchGetRecords(appToken, tableId, [...new Set(remembered.values())]));
				plan = buildPlan(prepared, schema, indexer.index, planOptions);
			}
		}
		// An advanced base answers an app without manage rights with success and no records (docs/feishu-api.md).
		if (
			plan.creates.length &&
			indexer.index.count === 0 &&
			read.how !== 'none' &&
			read.how !== 'changedSince' &&
			client.baseInfo
		) {
			if ((await client.baseInfo(appToken)).isAdvanced) throw new AdvancedPermissionError(plan.creates.length);
		}

		if (req.dryRun) {
			const summary = summarise(
				req,
				schema,
				plan,
				prepared,
				undefined,
				read,
				[],
				client.calls - callsBefore,
				now() - started,
			);
			if (report) summary.snapshot = report;
			return {
				summary,
				items: outcomes(req, plan, prepared, undefined),
				plan: preview(plan, prepared, schema, req.sampleSize ?? 10),
				attachmentHashes: req.attachmentHashes ?? {},
			};
		}

		const fieldsCreated: string[] = [];
		for (const spec of schema.toCreate) {
			const created = await client.createField(appToken, tableId, spec);
			fieldsCreated.push(spec.field_name);
			// keep the inferred type: the target keeps coercing as planned, now with the real id/options
			const target = [...schema.targets.values()].find((t) => t.field_name === spec.field_name && !t.field_id);
			if (target) Object.assign(target, created);
		}
		const applied = await applyPlan({ client, appToken, tableId }, prepared, plan, batchSizes(req));
		recentCreates.forgetIds(scope, applied.deletedIds);
		for (const item of plan.creates) {
			const id = applied.createdIds.get(item.index);
			if (id) recentCreates.remember(scope, item.key, id, now());
		}
		let snapshot: SyncSnapshot | undefined;
		if (
			eligibility?.modifiedField &&
			report &&
			!['modeNotSupported', 'noModifiedField', 'attachments'].includes(report.fullReadReason ?? '')
		) {
			const wrote =
				applied.createdIds.size + applied.deletedIds.size + plan.updates.length > 0 || fieldsCreated.length > 0;
			// Feishu's own clock: the newest Modified time after our writes (or the newest seen when nothing was written)
			const watermarkMs =
				report.used && !wrote
					? Math.max(snap?.previous?.watermarkMs ?? 0, changedNewestMs)
					: (await probeNewest(client, req, eligibility.modifiedField.field_name)).newestMs;
			const base: SyncSnapshot['records'] = {};
			if (report.used && snap?.previous) {
				const readIds = new Set(read.records.map((r) => r.record_id));
				for (const [id, entry] of Object.entries(snap.previous.records)) if (!readIds.has(id)) base[id] = entry;
			}
			snapshot = nextSnapshot({
				fingerprint: eligibility.fingerprint,
				base,
				read: [...indexer.index.byKey, ['', indexer.index.withoutKey] as [string, BitableRecord[]]],
				keyCount: schema.keyFields.length,
				matched: [...plan.unchanged, ...plan.updates.map((u) => ({ item: u.item, record_id: u.record_id }))],
				created: plan.creates.flatMap((item) => {
					const id = applied.createdIds.get(item.index);
					return id ? [{ item, record_id: id }] : [];
				}),
				deletedIds: applied.deletedIds,
				watermarkMs,
				runsSinceFullRead: report.runsSinceFullRead,
			});
		}
		let verified: boolean | undefined;
		if (req.verify) {
			await verifyWritten(
				{ client, appToken, tableId },
				prepared,
				applied.written,
				read.tableSize + plan.creates.length,
				readTable,
				{ timeZone },
			);
			verified = true;
		}
		const summary = summarise(
			req,
			schema,
			plan,
			prepared,
			applied,
			read,
			fieldsCreated,
			client.calls - callsBefore,
			now() - started,
		);
		if (verified) summary.verified = true;
		if (report) summary.snapshot = report;
		return {
			summary,
			snapshot,
			items: outcomes(req, plan, prepared, applied),
			attachmentHashes: { ...(req.attachmentHashes ?? {}), ...applied.uploaded },
		};
	});
}

/**
 * Every record (all pages or an error), handing each page over as it arrives; 1254030 halves the page size.
 * `totals` collects each page's `total`: more than one value means the table changed during the read.
 */
async function readAll(
	client: BitableClient,
	appToken: string,
	tableId: string,
	body: Record<string, unknown>,
	onPage?: (records: BitableRecord[]) => void,
	first?: SearchPageResult,
	totals?: Set<number>,
): Promise<BitableRecord[]> {
	if (!client.searchPage) {
		const all = await client.searchRecords(appToken, tableId, body, { pageSize: SEARCH_PAGE_SIZE });
		onPage?.(all);
		return all;
	}
	const searchPage = client.searchPage.bind(client);
	const next = shrinkingPages(SEARCH_PAGE_SIZE, (size, pageToken) =>
		searchPage(appToken, tableId, body, size, pageToken),
	);
	let given = first;
	return readAllPages(async (pageToken) => {
		const page = given ?? (await next(pageToken));
		if (!given) onPage?.(page.items ?? []);
		if (page.total !== undefined) totals?.add(page.total);
		given = undefined;
		return page;
	});
}

/**
 * The records holding the given keys (single key of a type whose "is" filter matches exactly), looked up in
 * batches that stay under Feishu's condition and filter-length limits; undefined when keys cannot be looked up.
 */
async function lookUpKeys(
	client: BitableClient,
	req: SyncRequest,
	schema: Schema,
	keyParts: unknown[][],
	body: Record<string, unknown>,
): Promise<BitableRecord[] | undefined> {
	const keyField = schema.keyFields[0];
	if (schema.keyFields.length !== 1 || !LOOKUP_KEY_TYPES.has(keyField.type) || !client.searchPage) return undefined;
	const keys = [...new Set(keyParts.map((p) => String(p[0])))];
	const conditions: FilterCondition[] = keys.map((k) => ({
		field_name: keyField.field_name,
		operator: 'is',
		value: [k],
	}));
	const found: BitableRecord[] = [];
	for (const group of batchConditions(conditions, FILTER_CONDITIONS)) {
		found.push(
			...(await readAll(client, req.appToken, req.tableId, {
				...body,
				filter: { conjunction: 'or', conditions: group },
			})),
		);
	}
	return found;
}

type SearchPageResult = { items: BitableRecord[]; has_more: boolean; page_token?: string; total?: number };

/** Conditions per search call (Feishu's limit). */
const FILTER_CONDITIONS = 50;
/** Key types whose "is" filter matches exactly what the diff's key compares. */
const LOOKUP_KEY_TYPES: ReadonlySet<number> = new Set([1, 2]);

export interface TableRead {
	records: BitableRecord[];
	/** Records in the table (from search's `total` when only the input's keys were read). */
	tableSize: number;
	how: 'full' | 'byKeys' | 'none' | 'changedSince';
	/** The pages disagreed on the table's size: the table changed during the read. */
	shifted?: boolean;
}

/**
 * Reads what the diff needs at the fewest calls: the first page tells the table's size; when looking up
 * the input's keys (50 per call) costs fewer calls than the remaining pages (500 records each), only
 * those records are read. Modes that delete by absence (mirror, prune, clone) always read everything.
 */
async function readForDiff(
	client: BitableClient,
	req: SyncRequest,
	schema: Schema,
	prepared: Prepared,
	onPage: (records: BitableRecord[]) => void,
	wholeTable = false,
): Promise<TableRead> {
	const { appToken, tableId } = req;
	const body = readBody(req, schema);
	const keyField = schema.keyFields[0];
	const canLookUp =
		!wholeTable &&
		!!client.searchPage &&
		['upsert', 'insert', 'overwrite'].includes(req.mode) &&
		LOOKUP_KEY_TYPES.has(keyField.type);
	const totals = new Set<number>();
	const full = (records: BitableRecord[]): TableRead => ({
		records,
		tableSize: records.length,
		how: 'full',
		shifted: totals.size > 1,
	});
	if (!canLookUp) return full(await readAll(client, appToken, tableId, body, onPage, undefined, totals));
	const first = await shrinkingPages(SEARCH_PAGE_SIZE, (size) =>
		(client.searchPage as NonNullable<BitableClient['searchPage']>)(appToken, tableId, body, size),
	)(undefined);
	onPage(first.items ?? []);
	const total = first.total ?? Infinity;
	const pagesLeft = Math.ceil(total / SEARCH_PAGE_SIZE) - 1;
	const keys = [...new Set(prepared.items.map((i) => String(i.plains[0])))];
	// key lookups are batched by count and by length, so a filter never exceeds Feishu's 2,000 characters (1254107)
	const groups = batchConditions(
		keys.map((k): FilterCondition => ({ field_name: keyField.field_name, operator: 'is', value: [k] })),
		FILTER_CONDITIONS,
	);
	if (!first.has_more || groups.length >= pagesLeft)
		return full(await readAll(client, appToken, tableId, body, onPage, first, totals));
	const seen = new Set((first.items ?? []).map((r) => r.record_id));
	const records = [...(first.items ?? [])];
	for (const conditions of groups) {
		const found = await readAll(client, appToken, tableId, { ...body, filter: { conjunction: 'or', conditions } });
		const fresh = found.filter((r) => !seen.has(r.record_id));
		for (const r of fresh) seen.add(r.record_id);
		records.push(...fresh);
		onPage(fresh);
	}
	return { records, tableSize: Number.isFinite(total) ? total : records.length, how: 'byKeys' };
}

function thresholdsOf(req: SyncRequest): Thresholds {
	const given = req.thresholds ?? {};
	const num = (v: number | undefined, fallback: number): number =>
		typeof v === 'number' && Number.isFinite(v) ? v : fallback;
	return {
		maxDeleteCount: num(given.maxDeleteCount, DEFAULT_THRESHOLDS.maxDeleteCount),
		maxDeletePercent: num(given.maxDeletePercent, DEFAULT_THRESHOLDS.maxDeletePercent),
	};
}

function pickKeys(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of keys) if (k in values) out[k] = values[k];
	return out;
}

function summarise(
	req: SyncRequest,
	schema: Schema,
	plan: Plan,
	prepared: Prepared,
	applied: ApplyResult | undefined,
	read: TableRead,
	fieldsCreated: string[],
	apiCalls: number,
	durationMs: number,
): SyncSummary {
	const deleteIds = new Set(plan.deletes.map((d) => d.record_id));
	return {
		mode: req.mode,
		dryRun: !!req.dryRun,
		created: plan.creates.length,
		updated: new Set(plan.updates.map((u) => u.record_id)).size,
		unchanged: req.mode === 'prune' ? prepared.items.length - plan.skipped.length : plan.unchanged.length,
		deleted: applied ? applied.deletedIds.size : deleteIds.size,
		skipped: plan.skipped.length,
		failed: prepared.failures.length,
		fieldsCreated: req.dryRun ? [] : fieldsCreated,
		ignoredFields: schema.ignored,
		apiCalls,
		durationMs,
		tableRecordsRead: read.records.length,
		tableRead: read.how,
		duplicateKeysInTable: plan.duplicateKeysInTable.slice(0, 100),
		recordsWithoutKey: plan.recordsWithoutKey,
	};
}

function outcomes(req: SyncRequest, plan: Plan, prepared: Prepared, applied: ApplyResult | undefined): ItemOutcome[] {
	const byIndex = new Map<number, ItemOutcome>();
	const dry = !applied;
	for (const f of prepared.failures)
		byIndex.set(f.itemIndex, { index: f.itemIndex, action: 'failed', reason: f.message, error: f });
	for (const s of plan.skipped)
		byIndex.set(s.index, {
			index: s.index,
			action: 'skipped',
			key: displayKey(s.key ?? ''),
			record_id: s.record_id,
			reason: s.reason,
		});
	for (const item of plan.creates) {
		byIndex.set(item.index, {
			index: item.index,
			action: dry ? 'wouldCreate' : 'created',
			key: displayKey(item.key),
			record_id: applied?.createdIds.get(item.index),
		});
	}
	for (const u of plan.updates) {
		if (!byIndex.has(u.item.index))
			byIndex.set(u.item.index, {
				index: u.item.index,
				action: dry ? 'wouldUpdate' : 'updated',
				key: displayKey(u.item.key),
				record_id: u.record_id,
			});
	}
	for (const u of plan.unchanged)
		byIndex.set(u.item.index, {
			index: u.item.index,
			action: 'unchanged',
			key: displayKey(u.item.key),
			record_id: u.record_id,
		});
	for (const d of plan.deletes) {
		if (d.itemIndex === undefined || byIndex.has(d.itemIndex)) continue;
		byIndex.set(d.itemIndex, {
			index: d.itemIndex,
			action: dry ? 'wouldDelete' : 'deleted',
			key: displayKey(d.key ?? ''),
			record_id: d.record_id,
		});
	}
	if (req.mode === 'prune') {
		for (const item of prepared.items)
			if (!byIndex.has(item.index))
				byIndex.set(item.index, { index: item.index, action: 'unchanged', key: displayKey(item.key) });
	}
	return req.items.map(
		(i) => byIndex.get(i.index) ?? { index: i.index, action: 'skipped', reason: 'not part of the plan' },
	);
}

function preview(plan: Plan, prepared: Prepared, schema: Schema, n: number): PlanPreview {
	const show = (item: Prepared['items'][number], cols?: number[]): Record<string, unknown> => {
		const out: Record<string, unknown> = {};
		for (const c of cols ?? prepared.fields.map((_, i) => i)) {
			const v = item.writes[c];
			if (v === undefined || c < 0) continue;
			const att = item.attachments[c];
			out[prepared.fields[c].field_name] = att ? att.map((a) => a.file?.name ?? a.url ?? a.token) : v;
		}
		return out;
	};
	return {
		fieldsToCreate: schema.toCreate,
		create: plan.creates.slice(0, n).map((item) => ({ key: displayKey(item.key), fields: show(item) })),
		update: plan.updates
			.slice(0, n)
			.map((u) => ({ key: displayKey(u.item.key), record_id: u.record_id, fields: show(u.item, u.cols) })),
		delete: plan.deletes
			.slice(0, n)
			.map((d) => ({ key: displayKey(d.key ?? ''), record_id: d.record_id, reason: d.reason })),
	};
}

/** The snapshot was not used: the whole table is read, for this reason. */
function fullReadInstead(reason: FullReadReason, modifiedRead: number): SnapshotReport {
	return { used: false, fullReadReason: reason, modifiedRead, runsSinceFullRead: 0 };
}
