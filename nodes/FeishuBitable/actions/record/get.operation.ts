import type { INodeProperties } from 'n8n-workflow';
import { reading } from '../../helpers/perItem';
import { recordIdProperty, recordShow, simplifyProperty } from './common.descriptions';

export const description: INodeProperties[] = [recordIdProperty(recordShow('get')), simplifyProperty('get')];

export const execute = reading(async (rc, i) => {
	const ref = await rc.table(i);
	const id = String(rc.ctx.getNodeParameter('recordId', i, '')).trim();
	const record = await rc.session.getRecord(ref.appToken, ref.tableId, id);
	const simplify = rc.ctx.getNodeParameter('simplify', i, true) as boolean;
	return { record_id: record.record_id, fields: await rc.present(ref, record.fields, simplify) };
});
