import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findStuck, type StatusContext } from '../../../lib/status';

/**
 * Runs once per execution (for the first input item): a reconciliation schedule wants one list,
 * oldest first, not one query per incoming item.
 */
export async function executeFindStuck(ctx: IExecuteFunctions, status: StatusContext): Promise<INodeExecutionData[]> {
	const rules = (ctx.getNodeParameter('rules.rule', 0, []) as Array<{ status: string; olderThanMinutes: number }>) ?? [];
	if (!rules.length) throw new NodeOperationError(ctx.getNode(), 'Add at least one "Stuck When" rule');
	const limit = Number(ctx.getNodeParameter('limit', 0, 50));
	const now = Date.now();
	const found = await findStuck(status, {
		rules: rules.map((r) => ({ status: String(r.status).trim(), olderThanMs: Number(r.olderThanMinutes) * 60_000 })),
		now,
		limit,
	});
	return found.map((rec) => ({
		json: {
			recordId: rec.id,
			key: rec.key ?? null,
			status: rec.status,
			version: rec.version ?? null,
			statusTime: rec.statusTime !== undefined ? new Date(rec.statusTime).toISOString() : null,
			stuckMinutes: rec.statusTime !== undefined ? Math.floor((now - rec.statusTime) / 60_000) : null,
			fields: rec.fields as IDataObject,
		},
		pairedItem: { item: 0 },
	}));
}
