import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { SnapshotRequest, SyncResult, SyncSnapshot } from '../../../lib/bitableSync';
import { DEFAULT_FULL_READ_EVERY } from '../../../lib/bitableSync';
import { mysqlSnapshotStore } from '../../../lib/bitableSync/snapshotStore';
import { getMySqlCredential } from '../../shared/mysql';
import { withPool } from '../../../lib/mysql/pool';

/**
 * "Read Only Changes": the sync's snapshot of the table (lib/bitableSync/snapshot.ts) kept between runs, per table:
 * in MySQL (lib/bitableSync/snapshotStore.ts, shared by every worker) when Table Lock is MySQL Named Lock, else in the
 * node's static data (saved by n8n with the workflow after production runs).
 */
type TableRef = { appToken: string; tableId: string };
const key = (table: TableRef) => `snapshot:${table.appToken}/${table.tableId}`;

async function withMysql<T>(
	ctx: IExecuteFunctions,
	work: (store: ReturnType<typeof mysqlSnapshotStore>) => Promise<T>,
): Promise<T | undefined> {
	if (ctx.getNodeParameter('tableLock', 0, 'process') !== 'mysql') return undefined;
	const cred = await getMySqlCredential(ctx);
	return withPool(cred, (pool) => work(mysqlSnapshotStore(pool)), { connectionLimit: 1 });
}

const inMysql = (ctx: IExecuteFunctions) => ctx.getNodeParameter('tableLock', 0, 'process') === 'mysql';

export async function snapshotRequest(
	ctx: IExecuteFunctions,
	staticData: IDataObject,
	options: IDataObject,
	table: TableRef,
): Promise<SnapshotRequest | undefined> {
	if (!options.readOnlyChanges) return undefined;
	const every = Number(options.fullReadEvery ?? DEFAULT_FULL_READ_EVERY);
	const previous = inMysql(ctx)
		? await withMysql(ctx, (store) => store.load(key(table)))
		: (staticData[key(table)] as SyncSnapshot | undefined);
	return {
		previous,
		fullReadEvery: Number.isFinite(every) && every >= 0 ? Math.floor(every) : DEFAULT_FULL_READ_EVERY,
		fullRead: !!options.fullRead,
	};
}

export async function keepSnapshot(
	ctx: IExecuteFunctions,
	staticData: IDataObject,
	options: IDataObject,
	table: TableRef,
	result: SyncResult,
): Promise<void> {
	if (!options.readOnlyChanges) {
		delete staticData[key(table)];
		return;
	}
	if (!result.snapshot) return;
	const snapshot = result.snapshot;
	if (inMysql(ctx)) {
		delete staticData[key(table)];
		// a snapshot not saved only costs the next run a full read (the older one, if any, is still safe to start from)
		await withMysql(ctx, (store) => store.save(key(table), snapshot)).catch(() => undefined);
	} else staticData[key(table)] = snapshot as unknown as IDataObject;
}
