import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { checkAccess } from '../../../../lib/feishu/accessCheck';
import { reading } from '../../helpers/perItem';

/** Base and Table only: the node's own parameters. */
export const description: INodeProperties[] = [];

/**
 * One item saying whether the app can read and write the table (or the base, when neither the Table parameter nor
 * the link names one), add fields, and whether the base uses advanced permissions; each with what to do.
 */
export const execute = reading(async (rc, i) => {
	const base = await rc.session.resolveBitable(String(rc.ctx.getNodeParameter('base', i, '', { extractValue: true })));
	const table = String(rc.ctx.getNodeParameter('table', i, '', { extractValue: true }) ?? '').trim();
	const tableId =
		(/^tbl[A-Za-z0-9]+$/.test(table) ? table : undefined) ?? (table ? (await rc.table(i)).tableId : base.tableId);
	const report = await checkAccess(rc.session, base.appToken, tableId);
	return { app_token: base.appToken, table_id: tableId ?? null, ...report } as unknown as IDataObject;
});
