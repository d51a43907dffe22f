/** How a record reads back (search, batch_get, get, admin dump). */
import type { Field, Rec, Table } from './model';
import { plainForm, readForm, userObject, type ReadCtx } from './values';

export function recordItem(
	rec: Rec,
	table: Table,
	ctx: ReadCtx,
	only?: Field[],
	automatic = false,
): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const f of only ?? table.fields) {
		const v = readForm(f, rec, ctx);
		if (v !== undefined) fields[f.field_name] = v;
	}
	const item: Record<string, unknown> = { record_id: rec.record_id, fields };
	if (automatic) {
		item.created_time = rec.created_time;
		item.last_modified_time = rec.last_modified_time;
		item.created_by = userObject(rec.created_by, ctx);
		item.last_modified_by = userObject(rec.modified_by, ctx);
	}
	return item;
}

export function plainFields(rec: Rec, table: Table): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of table.fields) {
		const v = plainForm(f, rec);
		if (v !== undefined) out[f.field_name] = v;
	}
	return out;
}
