import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { FeishuInputError } from '../../../../lib/feishu/errors';
import type { ItemOperation } from '../../helpers/perItem';
import { columnsProperties, mappingProperties } from '../common.descriptions';
import { recordShow, recordTargetProperties, simplifyProperty } from './common.descriptions';

const show = recordShow('update');

export const description: INodeProperties[] = [
	...recordTargetProperties('update'),
	...mappingProperties(show),
	...columnsProperties(show, 'add'),
	simplifyProperty('update'),
];

/** The target records and the fields checked in the first pass; each record updated in the second. */
export const execute: ItemOperation = async (rc, i) => {
	const ref = await rc.table(i);
	const ids = await rc.targetIds(i);
	if (!ids.length)
		throw new FeishuInputError(
			'No record has this key value',
			'Check the key field and value, or use Create / Sync for new records.',
		);
	const fields = await rc.writeFields(ref, i);
	const simplify = rc.ctx.getNodeParameter('simplify', i, true) as boolean;
	return async () => {
		const out: IDataObject[] = [];
		for (const id of ids) {
			const record = await rc.session.updateRecord(ref.appToken, ref.tableId, id, fields);
			out.push({ record_id: id, fields: await rc.present(ref, record.fields ?? fields, simplify) });
		}
		return out;
	};
};
