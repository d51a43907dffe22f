/** List tables of a base, list fields of a table: one item per table / field. */
import type { IDataObject } from 'n8n-workflow';
import { READ_ONLY_TYPES, typeName } from '../../../../lib/feishu/fieldValues';
import type { RecordContext } from '../record/context';

export async function listTables(rc: RecordContext, i: number): Promise<IDataObject[]> {
	const base = await rc.session.resolveBitable(String(rc.ctx.getNodeParameter('base', i, '', { extractValue: true })));
	const tables = await rc.session.listTables(base.appToken);
	return tables.map((t) => ({ app_token: base.appToken, table_id: t.table_id, name: t.name, revision: t.revision ?? null }));
}

export async function listFields(rc: RecordContext, i: number): Promise<IDataObject[]> {
	const ref = await rc.table(i);
	return (await rc.fieldsOf(ref)).map((f) => ({
		field_id: f.field_id ?? null,
		field_name: f.field_name,
		type: f.type,
		type_name: typeName(f.type),
		ui_type: f.ui_type ?? null,
		read_only: READ_ONLY_TYPES.has(f.type),
		is_primary: !!f.is_primary,
		property: (f.property ?? null) as IDataObject | null,
	}));
}
