import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createPool, closePool, poolTimeZone } from '../../../lib/mysql/pool';
import { BitableStatusStore, fetchFileWith } from '../../../lib/recordStatus/stores/bitableStore';
import { MySqlStatusStore } from '../../../lib/recordStatus/stores/mysqlStore';
import type { StatusStore } from '../../../lib/recordStatus';
import { resolveTable } from '../../shared/feishu/tableLocator';
import { getMySqlCredential } from '../../shared/mysql';
import { getFeishuSession, type SessionTestOptions } from '../../shared/feishu/session';

/**
 * Test seam, not reachable from a workflow: session options for every Record Status session (the template test
 * injects a registry on a virtual clock, so an outage's retries and the breaker's cooldown pass without waiting).
 */
export const sessionSeam: { options?: SessionTestOptions } = {};

export interface OpenStore {
	store: StatusStore;
	/** Releases connections (the MySQL pool); always call it. */
	close(): Promise<void>;
	/** Where the store lives, for messages. */
	label: string;
	/** The MySQL store's pool (the stuck-upload check may look for a row in another table of its database). */
	db?: { query(sql: string, values?: unknown[]): Promise<unknown> };
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
	const cred = await getMySqlCredential(ctx);
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
	return { store, close: () => closePool(pool), label: `MySQL table ${table}`, db: pool };
}

async function openBitable(ctx: IExecuteFunctions): Promise<OpenStore> {
	const session = await getFeishuSession(ctx, {}, sessionSeam.options);
	const { appToken, tableId } = await resolveTable(ctx, session);
	const allowPrivateNetwork = ctx.getNodeParameter('options.allowPrivateNetwork', 0, false) === true;
	const store = new BitableStatusStore(
		session,
		{ appToken, tableId, timeZone: session.timeZone, ...names(ctx) },
		fetchFileWith({ allowPrivateNetwork }),
	);
	return { store, close: async () => undefined, label: `Bitable table ${tableId}` };
}

export function openStore(ctx: IExecuteFunctions): Promise<OpenStore> {
	return ctx.getNodeParameter('store', 0) === 'mysql' ? openMySql(ctx) : openBitable(ctx);
}
