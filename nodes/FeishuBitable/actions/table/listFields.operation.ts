import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { READ_ONLY_TYPES, typeName } from '../../../../lib/feishu/fieldValues';
import { reading } from '../../helpers/perItem';

/** Base and Table only: the node's own parameters. */
export const description: INodeProperties[] = [];

/** One item per field of the table. */
export const execute = reading(async (rc, i) => {
	const ref = await rc.table(i);
	return (await rc.fieldsOf(ref)).map(
		(f): IDataObject => ({
			field_id: f.field_id ?? null,
			field_name: f.field_name,
			type: f.type,
			type_name: typeName(f.type),
			ui_type: f.ui_type ?? null,
			read_only: READ_ONLY_TYPES.has(f.type),
			is_primary: !!f.is_primary,
			property: (f.property ?? null) as IDataObject | null,
		}),
	);
});
