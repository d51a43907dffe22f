/**
 * POST /records/search. The first page runs the query (filter O(n), sort with a fresh seeded shuffle among equal
 * keys) and keeps the ordered ids; page tokens walk that snapshot, so paging is consistent within one search while
 * two searches may order equals differently. Default order (no sort): modified time, equals shuffled.
 */
import { E } from '../errors';
import { route } from '../http/route';
import type { State } from '../state';
import { pageSize, tableFor, userIdType } from './access';
import { cellOf, compileFilter, kindOf } from './filter';
import { fieldByName, type Base, type Field, type Rec, type Table } from './model';
import { recordItem } from './recordView';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 20;
const MAX_SNAPSHOTS = 256;

interface Snapshot {
	id: string;
	appToken: string;
	tableId: string;
	ids: string[];
	only?: Field[];
	automatic: boolean;
	/** The request body and tie order, for page-shift mode (each page re-runs the query). */
	body: Record<string, unknown>;
	ties?: Map<string, number>;
}

/** Live search snapshots per emulator state (oldest evicted first). */
const snapshots = new WeakMap<State, Map<string, Snapshot>>();
let snapshotCount = 0;

function snapshotsOf(state: State): Map<string, Snapshot> {
	let m = snapshots.get(state);
	if (!m) snapshots.set(state, (m = new Map()));
	return m;
}

type SortKey = number | string | undefined;

function sortKeyOf(field: Field, rec: Rec): SortKey {
	const v = cellOf(field, rec);
	if (v === undefined) return undefined;
	switch (kindOf(field)) {
		case 'number':
		case 'date':
			return v as number;
		case 'checkbox':
			return v === true ? 1 : 0;
		case 'multi':
		case 'ids':
			return (v as string[]).join(',');
		default:
			return String(v);
	}
}

function compareKeys(a: SortKey, b: SortKey): number {
	if (a === b) return 0;
	if (a === undefined) return 1; // empty cells last
	if (b === undefined) return -1;
	return a < b ? -1 : 1;
}

/** What search sees of a record now: itself, or with search lag on an older view (undefined: not yet / no more). */
export function searchView(state: State, table: Table, id: string): Rec | undefined {
	const now = state.now();
	const rec = table.records.get(id);
	if (rec) {
		if (rec.searchView && now < rec.searchView.until) return rec.searchView.rec ?? undefined;
		return rec;
	}
	const ghost = table.ghosts?.get(id);
	return ghost && now < ghost.until ? ghost.rec : undefined;
}

function searchable(state: State, table: Table): Rec[] {
	const ids = [...table.records.keys(), ...(table.ghosts?.keys() ?? [])];
	const out: Rec[] = [];
	for (const id of ids) {
		const rec = searchView(state, table, id);
		if (rec) out.push(rec);
	}
	return out;
}

/** `ties`: the order among equal keys kept by one search (page-shift mode re-runs it; only writes move records). */
function runQuery(
	state: State,
	base: Base,
	table: Table,
	body: Record<string, unknown>,
	ties?: Map<string, number>,
): string[] {
	const filter = compileFilter(table, body.filter, state.now(), base.timeZone);
	const sort = parseSort(table, body.sort);
	const rows: { rec: Rec; keys: SortKey[]; tie: number }[] = [];
	for (const rec of searchable(state, table)) {
		if (!filter(rec)) continue;
		const keys = sort.length ? sort.map((s) => sortKeyOf(s.field, rec)) : [rec.last_modified_time];
		let tie = ties?.get(rec.record_id);
		if (tie === undefined) {
			tie = state.shuffle.next();
			ties?.set(rec.record_id, tie);
		}
		rows.push({ rec, keys, tie });
	}
	const desc = sort.length ? sort.map((s) => s.desc) : [false];
	rows.sort((a, b) => {
		for (let i = 0; i < desc.length; i++) {
			const c = compareKeys(a.keys[i], b.keys[i]);
			if (c !== 0) return desc[i] && a.keys[i] !== undefined && b.keys[i] !== undefined ? -c : c;
		}
		return a.tie - b.tie; // no order among equals is promised
	});
	return rows.map((r) => r.rec.record_id);
}

function parseSort(table: Table, sort: unknown): { field: Field; desc: boolean }[] {
	if (sort === undefined || sort === null) return [];
	if (!Array.isArray(sort)) throw E.invalidSort('sort must be an array');
	return sort.map((s) => {
		const name = (s as { field_name?: unknown })?.field_name;
		if (typeof name !== 'string') throw E.invalidSort('sort entry without field_name');
		const field = fieldByName(table, name);
		if (!field) throw E.fieldNameNotFound(name);
		return { field, desc: (s as { desc?: unknown }).desc === true };
	});
}

function projection(table: Table, names: unknown): Field[] | undefined {
	if (names === undefined || names === null) return undefined;
	if (!Array.isArray(names)) throw E.wrongRequestBody('field_names must be an array');
	return names.map((n) => {
		const f = typeof n === 'string' ? fieldByName(table, n) : undefined;
		if (!f) throw E.fieldNameNotFound(String(n));
		return f;
	});
}

export const searchRoute = route(
	'POST',
	'/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/search',
	'bitable.records.search',
	'json',
	(ctx) => {
		const { base, table } = tableFor(ctx);
		const size = pageSize(ctx, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
		const store = snapshotsOf(ctx.state);
		const token = ctx.query.get('page_token');
		let snap: Snapshot;
		let offset = 0;
		if (token) {
			const [id, at] = decodeToken(token);
			const found = id ? store.get(id) : undefined;
			if (!found || found.appToken !== base.app_token || found.tableId !== table.table_id || at > found.ids.length) {
				throw E.badPageToken();
			}
			snap = found;
			offset = at;
			// page-shift mode: no snapshot, as the real API promises none; the offset walks a fresh result
			if (ctx.state.search.pageShift)
				snap = { ...found, ids: runQuery(ctx.state, base, table, found.body, found.ties) };
		} else {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			const only = projection(table, body.field_names);
			snap = {
				id: `s${++snapshotCount}`, // not from the id RNG: reads must not change the ids later writes get
				appToken: base.app_token,
				tableId: table.table_id,
				// an advanced base answers an app without manage rights with success and no records
				ids: [],
				only,
				automatic: body.automatic_fields === true,
				body,
				// kept only in page-shift mode (a map per search of a 100,000-record table is not free)
				ties: ctx.state.search.pageShift ? new Map() : undefined,
			};
			snap.ids =
				base.advanced && !base.managers?.has(ctx.appId) ? [] : runQuery(ctx.state, base, table, body, snap.ties);
			store.set(snap.id, snap);
			if (store.size > MAX_SNAPSHOTS) store.delete(store.keys().next().value as string);
		}
		const rctx = { state: ctx.state, base, userIdType: userIdType(ctx), baseUrl: ctx.baseUrl, appId: ctx.appId };
		const items: unknown[] = [];
		const end = Math.min(offset + size, snap.ids.length);
		for (let i = offset; i < end; i++) {
			const rec = searchView(ctx.state, table, snap.ids[i]);
			if (rec) items.push(recordItem(rec, table, rctx, snap.only, snap.automatic));
		}
		const has_more = end < snap.ids.length;
		const data = {
			items,
			has_more,
			...(has_more ? { page_token: encodeToken(snap.id, end) } : {}),
			total: snap.ids.length,
		};
		const limit = ctx.state.search.maxResponseBytes;
		if (limit > 0 && Buffer.byteLength(JSON.stringify(data)) > limit) throw E.tooLargeResponse();
		return data;
	},
);

function encodeToken(id: string, offset: number): string {
	return Buffer.from(`${id}:${offset}`).toString('base64url');
}

function decodeToken(token: string): [string | undefined, number] {
	const m = /^([A-Za-z0-9]+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
	return m ? [m[1], Number(m[2])] : [undefined, 0];
}
