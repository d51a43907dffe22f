/**
 * Record writes shared by the API routes and the admin routes. Every call validates all of its records before it
 * changes anything, so a batch is all-or-nothing.
 */
import { E } from '../errors';
import type { State } from '../state';
import { fieldByName, FieldType as T, type Base, type Field, type Rec, type Table } from './model';
import { CLEAR, commitOptions, toStored, type WriteCtx } from './values';

export interface WriteOpts {
	/** open_id shown as created_by / modified_by. */
	actor: string;
	/** Per-record authors (admin seeding); falls back to `actor`. */
	actors?: (string | undefined)[];
	userIdType?: string;
	allowReadOnly?: boolean;
	createdTime?: number[];
	modifiedTime?: number[];
	/** The calling app (open_ids are per app). */
	appId?: string;
}

type Changes = Map<Field, unknown>;

function prepare(ctx: WriteCtx, fields: unknown): Changes {
	if (!fields || typeof fields !== 'object' || Array.isArray(fields))
		throw E.wrongRequestBody('fields must be an object');
	const changes: Changes = new Map();
	for (const [name, value] of Object.entries(fields)) {
		const field = fieldByName(ctx.table, name);
		if (!field) throw E.fieldNameNotFound(name);
		changes.set(field, toStored(field, value, ctx));
	}
	return changes;
}

function writeCtx(state: State, base: Base, table: Table, opts: WriteOpts): WriteCtx {
	return {
		state,
		base,
		table,
		userIdType: opts.userIdType ?? 'open_id',
		newOptions: new Map(),
		allowReadOnly: opts.allowReadOnly,
		appId: opts.appId,
	};
}

/** Applies changes; true when a stored value actually changed. */
function apply(rec: Rec, changes: Changes): boolean {
	let changed = false;
	for (const [field, value] of changes) {
		const before = rec.cells[field.field_id];
		if (value === CLEAR) {
			if (before !== undefined) {
				delete rec.cells[field.field_id];
				changed = true;
			}
		} else if (before === undefined || JSON.stringify(before) !== JSON.stringify(value)) {
			rec.cells[field.field_id] = value;
			changed = true;
		}
	}
	return changed;
}

export function createRecords(state: State, base: Base, table: Table, inputs: unknown[], opts: WriteOpts): Rec[] {
	const ctx = writeCtx(state, base, table, opts);
	const prepared = inputs.map((fields) => prepare(ctx, fields));
	if (table.records.size + prepared.length > table.recordCap) throw E.recordCap();
	commitOptions(ctx.newOptions, state);
	const now = state.now();
	const autoNumberFields = table.fields.filter((f) => f.type === T.AutoNumber);
	const created = prepared.map((changes, i) => {
		let id: string;
		do id = state.ids.id('rec', 10);
		while (table.records.has(id));
		const rec: Rec = {
			record_id: id,
			cells: {},
			created_time: opts.createdTime?.[i] ?? now,
			last_modified_time: opts.modifiedTime?.[i] ?? opts.createdTime?.[i] ?? now,
			created_by: opts.actors?.[i] ?? opts.actor,
			modified_by: opts.actors?.[i] ?? opts.actor,
		};
		apply(rec, changes);
		if (state.search.searchLagMs > 0) rec.searchView = { until: now + state.search.searchLagMs, rec: null };
		if (autoNumberFields.length) {
			table.autoNumber++;
			for (const f of autoNumberFields) rec.cells[f.field_id] = String(table.autoNumber);
		}
		table.records.set(id, rec);
		return rec;
	});
	bumpRevision(base, table);
	notify(
		state,
		base,
		table,
		opts.actor,
		created.map((r) => ({ record_id: r.record_id, action: 'record_added' as const })),
	);
	return created;
}

export function updateRecords(
	state: State,
	base: Base,
	table: Table,
	inputs: { record_id: unknown; fields: unknown }[],
	opts: WriteOpts,
): Rec[] {
	const ctx = writeCtx(state, base, table, opts);
	const prepared = inputs.map((input) => {
		const rec = typeof input.record_id === 'string' ? table.records.get(input.record_id) : undefined;
		if (!rec) throw E.recordNotFound(String(input.record_id));
		return { rec, changes: prepare(ctx, input.fields) };
	});
	commitOptions(ctx.newOptions, state);
	const now = state.now();
	const edited: { record_id: string; action: 'record_edited' }[] = [];
	for (const { rec, changes } of prepared) {
		const before = lagView(state, rec, now);
		// only a real change moves the modified time / modified-by (what a change-detecting client keys on)
		if (apply(rec, changes)) {
			edited.push({ record_id: rec.record_id, action: 'record_edited' });
			if (before !== undefined) rec.searchView = { until: now + state.search.searchLagMs, rec: before };
			rec.last_modified_time = now;
			rec.modified_by = opts.actor;
		}
	}
	bumpRevision(base, table);
	notify(state, base, table, opts.actor, edited);
	return prepared.map((p) => p.rec);
}

/** With search lag on: what search should keep seeing of `rec` (its older view, or a copy of it now). */
function lagView(state: State, rec: Rec, now: number): Rec | null | undefined {
	if (state.search.searchLagMs <= 0) return undefined;
	if (rec.searchView && now < rec.searchView.until) return rec.searchView.rec;
	return { ...rec, cells: structuredClone(rec.cells), searchView: undefined };
}

export function deleteRecords(base: Base, table: Table, ids: unknown[], state?: State): void {
	for (const id of ids) {
		if (typeof id !== 'string' || !table.records.has(id)) throw E.recordNotFound(String(id));
	}
	const gone = new Set(ids as string[]);
	for (const id of gone) {
		const view = state ? lagView(state, table.records.get(id) as Rec, state.now()) : undefined;
		if (view && state)
			(table.ghosts ??= new Map()).set(id, { until: state.now() + state.search.searchLagMs, rec: view });
		table.records.delete(id);
	}
	unlinkDeleted(base, table, gone);
	bumpRevision(base, table);
	if (state)
		notify(
			state,
			base,
			table,
			undefined,
			[...gone].map((record_id) => ({ record_id, action: 'record_deleted' as const })),
		);
}

/** Record changes go out as drive.file.bitable_record_changed_v1 to subscribed apps (longConnection/server.ts). */
function notify(
	state: State,
	base: Base,
	table: Table,
	actor: string | undefined,
	actions: { record_id: string; action: 'record_added' | 'record_edited' | 'record_deleted' }[],
): void {
	if (actions.length)
		state.onRecordChange?.({
			appToken: base.app_token,
			tableId: table.table_id,
			revision: table.revision,
			operator: actor ?? '',
			actions,
		});
}

/** Link cells pointing at deleted records lose those ids, as in Feishu. */
function unlinkDeleted(base: Base, target: Table, gone: Set<string>): void {
	for (const t of base.tables.values()) {
		const links = t.fields.filter(
			(f) =>
				(f.type === T.SingleLink || f.type === T.DuplexLink) &&
				((f.property?.table_id as string | undefined) ?? t.table_id) === target.table_id,
		);
		if (!links.length) continue;
		for (const rec of t.records.values()) {
			for (const f of links) {
				const ids = rec.cells[f.field_id] as string[] | undefined;
				if (!ids?.some((id) => gone.has(id))) continue;
				const kept = ids.filter((id) => !gone.has(id));
				if (kept.length) rec.cells[f.field_id] = kept;
				else delete rec.cells[f.field_id];
			}
		}
	}
}

function bumpRevision(base: Base, table: Table): void {
	table.revision++;
	base.revision++;
}
