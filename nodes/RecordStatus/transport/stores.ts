import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createPool, closePool, poolTimeZone } from '../../../lib/mysql/pool';
import type { MySqlCredentialData } from '../../../lib/mysql/credentials';
import { BitableStatusStore } from '../../../lib/status/stores/bitableStore';
import { MySqlStatusStore } from '../../../lib/status/stores/mysqlStore';
import type { StatusStore } from '../../../lib/status';
import { openFeishuSession } from './feishu';

export interface OpenStore {
	store: StatusStore;
	/** Releases connections (the MySQL pool); always call it. */
	close(): Promise<void>;
	/** Where the store lives, for messages. */
	label: string;
}

const optional = (ctx: IExecuteFunctions, name: string): string | undefined => {
	const value = String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	return value || undefined;
};

function names(ctx: IExecuteFunctions) {
	return {
		keyField: optional(ctx, 'keyField'),
		statusField: optional(ctx, 'statusField') ?? 'status',
		versionField: optional(ctx, 'versionField'),
		statusTimeField: optional(ctx, 'statusTimeField'),
		sourceField: optional(ctx, 'sourceField'),
	};
}

async function openMySql(ctx: IExecuteFunctions): Promise<OpenStore> {
	const cred = (await ctx.getCredentials('mySqlApi')) as unknown as MySqlCredentialData;
	const n = names(ctx);
	const table = optional(ctx, 'mysqlTable');
	if (!table) throw new NodeOperationError(ctx.getNode(), 'Set the table name');
	const pool = createPool(cred, { connectionLimit: 2 });
	const store = new MySqlStatusStore(
		pool,
		{
			table,
			idColumn: optional(ctx, 'idColumn') ?? 'id',
			keyColumn: n.keyField,
			statusColumn: n.statusField,
			versionColumn: n.versionField,
			sourceColumn: n.sourceField,
			statusTimeColumn: n.statusTimeField,
		},
		poolTimeZone(pool),
	);
	return { store, close: () => closePool(pool), label: `MySQL table ${table}` };
}

async function openBitable(ctx: IExecuteFunctions): Promise<OpenStore> {
	const { session, timeZone } = await openFeishuSession(ctx);
	const input = String(ctx.getNodeParameter('table', 0, '', { extractValue: true }) ?? '').trim();
	let appToken: string | undefined;
	let tableId: string | undefined;
	const direct = /^([A-Za-z0-9]+)\/(tbl[A-Za-z0-9]+)$/.exec(input);
	if (direct) [, appToken, tableId] = direct;
	else if (input) ({ appToken, tableId } = await session.resolveBitable(input));
	if (!appToken || !tableId) {
		throw new NodeOperationError(ctx.getNode(), 'Pick the table: paste its link (with ?table=tbl...) or give "app_token/table_id"');
	}
	const store = new BitableStatusStore(session, { appToken, tableId, timeZone, ...names(ctx) });
	return { store, close: async () => undefined, label: `Bitable table ${tableId}` };
}

export function openStore(ctx: IExecuteFunctions): Promise<OpenStore> {
	return ctx.getNodeParameter('store', 0) === 'mysql' ? openMySql(ctx) : openBitable(ctx);
}
