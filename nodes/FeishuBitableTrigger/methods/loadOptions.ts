import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { resolveTable } from '../../shared/feishu/tableLocator';
import { getFeishuSession } from '../../shared/feishu/session';
import { MODIFIED_TIME } from '../helpers/tableMeta';

/** loadOptions: the table's "Modified time" fields (type 1002), which the poll filters and sorts on. */
export async function getModifiedTimeFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await getFeishuSession(this);
	const ref = await resolveTable(this, session);
	const fields = (await session.listFields(ref.appToken, ref.tableId)).filter((f) => f.type === MODIFIED_TIME);
	if (!fields.length) {
		return [
			{
				name: 'No Modified Time Field Yet: Add One in Feishu (+ → Modified Time / 最后更新时间)',
				value: '',
			},
		];
	}
	return fields.map((f) => ({ name: f.field_name, value: f.field_name }));
}
