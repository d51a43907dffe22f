/**
 * Sync's run log: one row per run in a MySQL table (lib/runLog), through the node's MySQL credential, which n8n shows
 * with Table Lock = MySQL Named Lock. Checked before the sync starts; a failed log write never fails the sync.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getMySqlCredential } from '../../shared/mysql';
import { withPool } from '../../../lib/mysql/pool';
import { appendRunLog, type RunLogEntry } from '../../../lib/runLog';

export interface SyncRunLog {
	write(items: INodeExecutionData[][] | undefined, error: unknown): Promise<void>;
}

export async function syncRunLog(ctx: IExecuteFunctions): Promise<SyncRunLog | undefined> {
	const options = ctx.getNodeParameter('syncOptions', 0, {}) as IDataObject;
	const table = String(options.runLogTable ?? '').trim();
	if (!table) return undefined;
	if (ctx.getNodeParameter('tableLock', 0, 'process') !== 'mysql') {
		throw new NodeOperationError(ctx.getNode(), 'Item 0: "Run Log Table (MySQL)" needs the MySQL credential', {
			itemIndex: 0,
			description:
				'Nothing was read or written. Set "Table Lock" to "MySQL Named Lock": the node then asks for the MySQL credential, which the run log also uses. Or clear "Run Log Table (MySQL)".',
		});
	}
	const cred = await getMySqlCredential(ctx);
	const startedAt = new Date();
	const dryRun = options.dryRun === true;
	return {
		async write(items, error) {
			const summary = items?.[0]?.[items[0].length - 1]?.json ?? {};
			const n = (key: string) => (typeof summary[key] === 'number' ? (summary[key] as number) : 0);
			const entry: RunLogEntry = {
				job: 'bitable_sync',
				target:
					typeof summary.appToken === 'string' ? `${summary.appToken}/${String(summary.tableId ?? '')}` : undefined,
				workflowId: String(ctx.getWorkflow().id ?? ''),
				executionId: ctx.getExecutionId(),
				nodeName: ctx.getNode().name,
				startedAt,
				endedAt: new Date(),
				status: error ? 'failed' : dryRun ? 'dry_run' : 'success',
				created: n('created'),
				updated: n('updated'),
				deleted: n('deleted'),
				unchanged: n('unchanged'),
				failed: n('failed'),
				apiCalls: n('apiCalls'),
				error: error ? String((error as Error)?.message ?? error) : undefined,
			};
			try {
				await withPool(cred, (pool) => appendRunLog(pool, table, entry), { connectionLimit: 1 });
				if (items && summary) summary.runLog = 'written';
			} catch (logError) {
				// the run's own outcome stands; the summary (or n8n's log, for a failed run) says the log was not written
				const message = `run log not written: ${(logError as Error).message}`;
				if (items && summary) summary.runLog = message;
				else ctx.logger?.warn(`Feishu Bitable Sync: ${message}`);
			}
		},
	};
}
