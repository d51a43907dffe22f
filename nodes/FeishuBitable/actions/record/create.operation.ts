import type { INodeProperties } from 'n8n-workflow';
import type { ItemOperation } from '../../helpers/perItem';
import { columnsProperties, mappingProperties } from '../common.descriptions';
import { recordShow, simplifyProperty } from './common.descriptions';

const show = recordShow('create');

export const description: INodeProperties[] = [
	...mappingProperties(show),
	...columnsProperties(show, 'add'),
	simplifyProperty('create'),
];

/** Fields checked (users looked up, attachments uploaded) in the first pass; the record created in the second. */
export const execute: ItemOperation = async (rc, i) => {
	const ref = await rc.table(i);
	const fields = await rc.writeFields(ref, i);
	return async () => {
		const record = await rc.session.createRecord(ref.appToken, ref.tableId, fields);
		return {
			record_id: record.record_id,
			fields: await rc.present(ref, record.fields ?? fields, rc.ctx.getNodeParameter('simplify', i, true) as boolean),
		};
	};
};
