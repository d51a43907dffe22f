import type { INodeProperties } from 'n8n-workflow';
import type { ItemOperation } from '../../helpers/perItem';
import { recordTargetProperties } from './common.descriptions';

export const description: INodeProperties[] = recordTargetProperties('delete');

/** The target records found in the first pass (none is not an error); deleted in the second. */
export const execute: ItemOperation = async (rc, i) => {
	const ref = await rc.table(i);
	const ids = await rc.targetIds(i);
	return async () => {
		if (ids.length > 1) await rc.session.batchDeleteRecords(ref.appToken, ref.tableId, ids, { ignoreMissing: true });
		else if (ids.length === 1) await rc.session.deleteRecord(ref.appToken, ref.tableId, ids[0]);
		return ids.length
			? ids.map((record_id) => ({ record_id, deleted: true }))
			: [{ deleted: false, reason: 'no record has this key value' }];
	};
};
