import type { INodeProperties } from 'n8n-workflow';
import { reading } from '../../helpers/perItem';

/** Base only: the node's own parameter (Table is hidden for this operation). */
export const description: INodeProperties[] = [];

/** One item per table of the base. */
export const execute = reading(async (rc, i) => {
	const base = await rc.session.resolveBitable(String(rc.ctx.getNodeParameter('base', i, '', { extractValue: true })));
	const tables = await rc.session.listTables(base.appToken);
	return tables.map((t) => ({
		app_token: base.appToken,
		table_id: t.table_id,
		name: t.name,
		revision: t.revision ?? null,
	}));
});
