/**
 * WPS Contacts' run log: with Options > Run Log Table (MySQL), Sync and Apply Plan append one row per run to that
 * table (nodes/shared/runLog), through the state database's MySQL credential.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { MySqlCredentialData } from '../../../lib/mysql/credentials';
import { getMySqlCredential } from '../../shared/mysql';
import { type RunFacts, writeRunLog } from '../../shared/runLog';

const LOGGED_OPERATIONS = new Set(['sync', 'applyPlan']);
const CREATES = new Set(['dept.create', 'user.create']);
const DELETES = new Set(['dept.delete', 'user.delete', 'user.disable']);

/** Done operations by what they did to the directory (created / deleted or disabled / changed otherwise). */
export function runCounts(counts: unknown): { created: number; updated: number; deleted: number; failed: number } {
	const out = { created: 0, updated: 0, deleted: 0, failed: 0 };
	for (const [kind, byStatus] of Object.entries((counts ?? {}) as Record<string, Record<string, number>>)) {
		const done = Number(byStatus?.done ?? 0);
		out.failed += Number(byStatus?.failed ?? 0);
		if (CREATES.has(kind)) out.created += done;
		else if (DELETES.has(kind)) out.deleted += done;
		else out.updated += done;
	}
	return out;
}

export async function writeWpsRunLog(
	ctx: IExecuteFunctions,
	operation: string,
	startedAt: Date,
	outputs: INodeExecutionData[][] | undefined,
	error: unknown,
): Promise<void> {
	const table = String((ctx.getNodeParameter('options', 0, {}) as IDataObject).runLogTable ?? '').trim();
	if (!table || !LOGGED_OPERATIONS.has(operation)) return;
	const summary = outputs?.[0]?.[0]?.json;
	if (outputs && !summary) return; // nothing to apply: no run took place
	let cred: MySqlCredentialData;
	try {
		cred = await getMySqlCredential(ctx);
	} catch {
		return; // no MySQL credential: the run itself already said so
	}
	const facts: RunFacts = {
		job: 'wps_contacts',
		target: typeof summary?.targetKey === 'string' ? summary.targetKey : undefined,
		startedAt,
		status: error || summary?.status === 'failed' ? 'failed' : 'success',
		...runCounts(summary?.counts),
		apiCalls: typeof summary?.calls === 'number' ? summary.calls + Number(summary.previewCalls ?? 0) : 0,
	};
	await writeRunLog(ctx, { cred, table, nodeLabel: 'WPS Contacts' }, facts, error, summary);
}
