/** Field routes (list, create, update) and field construction. */
import { E } from '../errors';
import { route, type Route } from '../http/route';
import type { State } from '../state';
import type { DumpedField, FieldSpec } from '../types';
import { pageSlice, tableFor } from './access';
import { DEFAULT_UI_TYPE, FieldType as T, MAX_FIELDS, type Field, type Table } from './model';

export function newField(state: State, table: Table, spec: FieldSpec, isPrimary = false): Field {
	checkSpec(spec);
	const field: Field = {
		field_id: state.ids.id('fld', 7),
		field_name: spec.field_name,
		type: spec.type,
		ui_type: spec.ui_type ?? DEFAULT_UI_TYPE[spec.type],
		property: normaliseProperty(state, spec.type, spec.property ?? null, null),
		is_primary: isPrimary,
	};
	if (field.type === T.AutoNumber) {
		// an auto-number field added later numbers the existing records in creation order
		let n = 0;
		for (const rec of table.records.values()) rec.cells[field.field_id] = String(++n);
		table.autoNumber = Math.max(table.autoNumber, n);
	}
	return field;
}

function checkSpec(spec: FieldSpec): void {
	if (typeof spec.field_name !== 'string' || spec.field_name.trim() === '')
		throw E.wrongRequestBody('field_name is required');
	if (!Number.isInteger(spec.type) || !(spec.type in DEFAULT_UI_TYPE))
		throw E.wrongRequestBody(`unknown field type ${spec.type}`);
}

/** Select options get ids (kept across updates for options whose name did not change). */
function normaliseProperty(
	state: State,
	type: number,
	property: Record<string, unknown> | null,
	previous: Record<string, unknown> | null,
): Record<string, unknown> | null {
	if (type !== T.SingleSelect && type !== T.MultiSelect) return property ? { ...property } : null;
	const before = (previous?.options as { id: string; name: string }[] | undefined) ?? [];
	const given = (property?.options as { id?: string; name: string; color?: number }[] | undefined) ?? [];
	const options = given.map((o, i) => ({
		id: o.id ?? before.find((b) => b.name === o.name)?.id ?? state.ids.id('opt', 8),
		name: String(o.name),
		color: o.color ?? i % 55,
	}));
	return { ...(property ?? {}), options };
}

export function describeField(f: Field): DumpedField {
	return {
		field_id: f.field_id,
		field_name: f.field_name,
		type: f.type,
		ui_type: f.ui_type,
		property: f.property ? JSON.parse(JSON.stringify(f.property)) : null,
		is_primary: f.is_primary,
		...(f.description ? { description: f.description } : {}),
	};
}

function specFromBody(body: any): FieldSpec & { description?: string } {
	// eslint-disable-line @typescript-eslint/no-explicit-any
	return {
		// Feishu trims leading and trailing spaces of a field name (field create page)
		field_name: typeof body?.field_name === 'string' ? body.field_name.trim() : body?.field_name,
		type: body?.type,
		property: body?.property ?? null,
		ui_type: typeof body?.ui_type === 'string' ? body.ui_type : undefined,
		description: typeof body?.description === 'string' ? body.description : undefined,
	};
}

export const fieldRoutes: Route[] = [
	route(
		'GET',
		'/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields',
		'bitable.fields.list',
		'none',
		(ctx) => {
			const { table } = tableFor(ctx);
			return pageSlice(table.fields.map(describeField), ctx, 100, 20);
		},
	),
	route(
		'POST',
		'/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields',
		'bitable.fields.create',
		'json',
		(ctx) => {
			const { base, table } = tableFor(ctx);
			const spec = specFromBody(ctx.body);
			checkSpec(spec);
			if (table.fields.some((f) => f.field_name === spec.field_name)) throw E.fieldNameDuplicated();
			if (table.fields.length >= MAX_FIELDS) throw E.tooManyFields();
			const field = newField(ctx.state, table, spec);
			if (spec.description) field.description = spec.description;
			table.fields.push(field);
			table.revision++;
			base.revision++;
			ctx.state.counters.fieldsCreated++;
			return { field: describeField(field) };
		},
	),
	route(
		'PUT',
		'/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields/:field_id',
		'bitable.fields.update',
		'json',
		(ctx) => {
			const { base, table } = tableFor(ctx);
			const field = table.fields.find((f) => f.field_id === ctx.params.field_id);
			if (!field) throw E.fieldIdNotFound();
			const spec = specFromBody(ctx.body);
			checkSpec(spec);
			if (table.fields.some((f) => f !== field && f.field_name === spec.field_name)) throw E.fieldNameDuplicated();
			if (spec.type !== field.type) {
				// a type change drops the values the new type cannot hold: the emulator clears them all
				for (const rec of table.records.values()) delete rec.cells[field.field_id];
			}
			field.property = normaliseProperty(
				ctx.state,
				spec.type,
				spec.property ?? null,
				field.type === spec.type ? field.property : null,
			);
			field.field_name = spec.field_name;
			field.type = spec.type;
			field.ui_type = spec.ui_type ?? DEFAULT_UI_TYPE[spec.type];
			if (spec.description !== undefined) field.description = spec.description;
			table.revision++;
			base.revision++;
			return { field: describeField(field) };
		},
	),
];
