/** List tables of a base, list fields of a table: one item per table / field. */
import type { IDataObject } from 'n8n-workflow';
import { checkAccess as runAccessCheck } from '../../../../lib/feishu/accessCheck';
import { READ_ONLY_TYPES, typeName } from '../../../../lib/feishu/fieldValues';
import type { RecordContext } from '../record/context';

export async function listTables(rc: RecordContext, i: number): Promise<IDataObject[]> {
	const base = await rc.session.resolveBitable(String(rc.ctx.getNodeParameter('base', i, '', { extractValue: true })));
	const tables = await rc.session.listTables(base.appToken);
	return tables.map((t) => ({
		app_token: base.appToken,
		table_id: t.table_id,
		name: t.name,
		revision: t.revision ?? null,
	}));
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

/**
 * Check Access: one item saying whether the app can read and write the table (or the base, when neither the Table
 * parameter nor the link names one), add fields, and whether the base uses advanced permissions; each with what to do.
 */
export async function checkAccess(rc: RecordContext, i: number): Promise<IDataObject> {
	const base = await rc.session.resolveBitable(String(rc.ctx.getNodeParameter('base', i, '', { extractValue: true })));
	const table = String(rc.ctx.getNodeParameter('table', i, '', { extractValue: true }) ?? '').trim();
	const tableId =
		(/^tbl[A-Za-z0-9]+$/.test(table) ? table : undefined) ?? (table ? (await rc.table(i)).tableId : base.tableId);
	const report = await runAccessCheck(rc.session, base.appToken, tableId);
	return { app_token: base.appToken, table_id: tableId ?? null, ...report } as unknown as IDataObject;
}
