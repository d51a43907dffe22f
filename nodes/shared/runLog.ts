/**
 * The run log of Feishu Bitable's Sync and WPS Contacts: one row per run in a MySQL table (lib/runLog), named in the
 * node's options as "Run Log Table (MySQL)". A failed log write never fails the run: the summary item says whether the
 * row was written (n8n's log says it where a failed run has no summary).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { MySqlCredentialData } from '../../lib/mysql/credentials';
import { withPool } from '../../lib/mysql/pool';
import { appendRunLog, type RunLogEntry } from '../../lib/runLog';

/** The option naming the table (`description` says which runs the node logs and with which credential). */
export function runLogTableProperty(description: string): INodeProperties {
	return {
		displayName: 'Run Log Table (MySQL)',
		name: 'runLogTable',
		type: 'string',
		default: '',
		placeholder: 'sync_logs',
		description,
	};
}

/** What the node knows of its run; who ran it (workflow, execution, node), its end and its error are added here. */
export type RunFacts = Omit<RunLogEntry, 'workflowId' | 'executionId' | 'nodeName' | 'endedAt' | 'error'>;

export async function writeRunLog(
	ctx: IExecuteFunctions,
	log: { cred: MySqlCredentialData; table: string; nodeLabel: string },
	facts: RunFacts,
	error: unknown,
	summary: IDataObject | undefined,
): Promise<void> {
	const entry: RunLogEntry = {
		...facts,
		workflowId: String(ctx.getWorkflow().id ?? ''),
		executionId: ctx.getExecutionId(),
		nodeName: ctx.getNode().name,
		endedAt: new Date(),
		error: error ? String((error as Error)?.message ?? error) : undefined,
	};
	try {
		await withPool(log.cred, (pool) => appendRunLog(pool, log.table, entry), { connectionLimit: 1 });
		if (summary) summary.runLog = 'written';
	} catch (logError) {
		// the run's own outcome stands
		const message = `run log not written: ${(logError as Error).message}`;
		if (summary) summary.runLog = message;
		else ctx.logger?.warn(`${log.nodeLabel}: ${message}`);
	}
}
