/**
 * Sync's run log: one row per run in a MySQL table (lib/runLog), through the node's MySQL credential, which n8n shows
 * with Table Lock = MySQL Named Lock. Checked before the sync starts; a failed log write never fails the sync.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { mySqlLogTable, type RunFacts, writeRunLog } from '../../shared/runLog';

export interface SyncRunLog {
	write(items: INodeExecutionData[][] | undefined, error: unknown): Promise<void>;
}

export async function syncRunLog(ctx: IExecuteFunctions): Promise<SyncRunLog | undefined> {
	const options = ctx.getNodeParameter('syncOptions', 0, {}) as IDataObject;
	const log = await mySqlLogTable(
		ctx,
		options.runLogTable,
		ctx.getNodeParameter('tableLock', 0, 'process') === 'mysql',
		{
			message: '"Run Log Table (MySQL)" needs the MySQL credential',
			description:
				'Nothing was read or written. Set "Table Lock" to "MySQL Named Lock": the node then asks for the MySQL credential, which the run log also uses. Or clear "Run Log Table (MySQL)".',
		},
	);
	if (!log) return undefined;
	const startedAt = new Date();
	const dryRun = options.dryRun === true;
	return {
		async write(items, error) {
			const summary = items?.[0]?.[items[0].length - 1]?.json ?? {};
			const n = (key: string) => (typeof summary[key] === 'number' ? (summary[key] as number) : 0);
			const facts: RunFacts = {
				job: 'bitable_sync',
				target:
					typeof summary.appToken === 'string' ? `${summary.appToken}/${String(summary.tableId ?? '')}` : undefined,
				startedAt,
				status: error ? 'failed' : dryRun ? 'dry_run' : 'success',
				created: n('created'),
				updated: n('updated'),
				deleted: n('deleted'),
				unchanged: n('unchanged'),
				failed: n('failed'),
				apiCalls: n('apiCalls'),
			};
			await writeRunLog(ctx, { ...log, nodeLabel: 'Feishu Bitable Sync' }, facts, error, items && summary);
		},
	};
}
