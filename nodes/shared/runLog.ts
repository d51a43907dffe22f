/**
 * The run log of Feishu Bitable's Sync and WPS Contacts: one row per run in a MySQL table (lib/runLog), named in the
 * node's options as "Run Log Table (MySQL)". A failed log write never fails the run: the summary item says whether the
 * row was written (n8n's log says it where a failed run has no summary).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { MySqlCredentialData } from '../../lib/mysql/credentials';
import { withPool } from '../../lib/mysql/pool';
import { appendRunLog, type RunLogEntry } from '../../lib/runLog';
import { getMySqlCredential } from './mysql';

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

/**
 * The log table an option names (trimmed) and the MySQL credential it is written with; undefined when the option is
 * empty. Where the node as set up has no MySQL credential, item 0 fails with `refusal` before anything runs.
 */
export async function mySqlLogTable(
	ctx: IExecuteFunctions,
	option: unknown,
	hasMySql: boolean,
	refusal: { message: string; description: string },
): Promise<{ table: string; cred: MySqlCredentialData } | undefined> {
	const table = String(option ?? '').trim();
	if (!table) return undefined;
	if (!hasMySql) {
		throw new NodeOperationError(ctx.getNode(), `Item 0: ${refusal.message}`, {
			itemIndex: 0,
			description: refusal.description,
		});
	}
	return { table, cred: await getMySqlCredential(ctx) };
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
