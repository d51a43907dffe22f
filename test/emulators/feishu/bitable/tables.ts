/** Base and table routes, and table creation shared with the admin routes. */
import { E } from '../errors';
import { route, type Route } from '../http/route';
import type { State } from '../state';
import type { FieldSpec } from '../types';
import { baseFor, pageSlice } from './access';
import { newField } from './fields';
import { DEFAULT_RECORD_CAP, MAX_FIELDS, TIME_ZONE, type Base, type Table } from './model';

export function createTable(
	state: State,
	base: Base,
	spec: { tableId?: string; name: string; fields?: FieldSpec[]; primaryField?: string; recordCap?: number },
): Table {
	const tableId = spec.tableId ?? state.ids.id('tbl', 13);
	if (base.tables.has(tableId)) throw new Error(`table ${tableId} exists`);
	const table: Table = {
		table_id: tableId,
		name: spec.name,
		revision: 1,
		fields: [],
		records: new Map(),
		autoNumber: 0,
		recordCap: spec.recordCap ?? DEFAULT_RECORD_CAP,
	};
	const specs = [...(spec.fields ?? [])];
	if ((spec.fields?.length ?? 0) > MAX_FIELDS) throw E.tooManyFields();
	let primaryName = spec.primaryField ?? specs[0]?.field_name;
	if (!primaryName || !specs.some((f) => f.field_name === primaryName)) {
		primaryName = 'Text';
		let n = 1;
		while (specs.some((f) => f.field_name === primaryName)) primaryName = `Text ${++n}`;
		specs.unshift({ field_name: primaryName, type: 1 });
	}
	// the primary field always comes first, as in the Feishu UI
	specs.sort((a, b) => Number(b.field_name === primaryName) - Number(a.field_name === primaryName));
	for (const f of specs) {
		if (table.fields.some((x) => x.field_name === f.field_name)) throw E.fieldNameDuplicated();
		table.fields.push(newField(state, table, f, f.field_name === primaryName));
	}
	base.tables.set(tableId, table);
	base.revision++;
	return table;
}

export const tableRoutes: Route[] = [
	route('GET', '/open-apis/bitable/v1/apps/:app_token', 'bitable.apps.get', 'none', (ctx) => {
		const base = baseFor(ctx);
		return {
			app: {
				app_token: base.app_token,
				name: base.name,
				revision: base.revision,
				is_advanced: base.advanced === true,
				time_zone: base.timeZone ?? TIME_ZONE,
			},
		};
	}),
	route('GET', '/open-apis/bitable/v1/apps/:app_token/tables', 'bitable.tables.list', 'none', (ctx) => {
		const base = baseFor(ctx);
		const all = [...base.tables.values()].map((t) => ({ table_id: t.table_id, name: t.name, revision: t.revision }));
		return pageSlice(all, ctx, 100, 20);
	}),
];
