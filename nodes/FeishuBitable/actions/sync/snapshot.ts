import type { IDataObject } from 'n8n-workflow';
import type { SnapshotRequest, SyncResult, SyncSnapshot } from '../../../../lib/bitableSync';
import { DEFAULT_FULL_READ_EVERY } from '../../../../lib/bitableSync';

/**
 * "Read Only Changes": the sync's snapshot of the table (lib/bitableSync/snapshot.ts) kept in the node's static
 * data between runs, per table. Static data is saved with the workflow by n8n for production runs.
 */
const key = (table: { appToken: string; tableId: string }) => `snapshot:${table.appToken}/${table.tableId}`;

export function snapshotRequest(staticData: IDataObject, options: IDataObject, table: { appToken: string; tableId: string }): SnapshotRequest | undefined {
	if (!options.readOnlyChanges) return undefined;
	const every = Number(options.fullReadEvery ?? DEFAULT_FULL_READ_EVERY);
	return {
		previous: staticData[key(table)] as SyncSnapshot | undefined,
		fullReadEvery: Number.isFinite(every) && every >= 0 ? Math.floor(every) : DEFAULT_FULL_READ_EVERY,
		fullRead: !!options.fullRead,
	};
}

export function keepSnapshot(staticData: IDataObject, options: IDataObject, table: { appToken: string; tableId: string }, result: SyncResult): void {
	if (!options.readOnlyChanges) {
		delete staticData[key(table)];
		return;
	}
	if (result.snapshot) staticData[key(table)] = result.snapshot as unknown as IDataObject;
}
