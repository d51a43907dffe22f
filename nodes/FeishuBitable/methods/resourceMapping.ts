/** resourceMapping: the table's fields as the column mapper's columns (lib/bitableSync/columns). */
import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';
import { mapperColumns } from '../../../lib/bitableSync/columns';
import { resolveTable } from '../../shared/feishu/tableLocator';
import { getFeishuSession } from '../../shared/feishu/session';

export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const session = await getFeishuSession(this);
	const ref = await resolveTable(this, session);
	const fields = mapperColumns(await session.listFields(ref.appToken, ref.tableId));
	return {
		fields,
		emptyFieldsNotice: fields.length
			? undefined
			: 'The table has no fields yet: use "Map Automatically" with the option "Create Missing Fields"',
	};
}
