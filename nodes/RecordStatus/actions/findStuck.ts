import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findStuck, type StatusContext } from '../../../lib/status';
import { checkedNumber } from '../../shared/parameters';

/**
 * Runs once per execution (for the first input item): a reconciliation schedule wants one list,
 * oldest first, not one query per incoming item.
 */
export async function executeFindStuck(ctx: IExecuteFunctions, status: StatusContext): Promise<INodeExecutionData[]> {
	const rules =
		(ctx.getNodeParameter('rules.rule', 0, []) as Array<{ status: string; olderThanMinutes: number }>) ?? [];
	if (!rules.length) throw new NodeOperationError(ctx.getNode(), 'Add at least one "Stuck When" rule');
	const node = ctx.getNode();
	const limit = checkedNumber(
		node,
		ctx.getNodeParameter('limit', 0, 50),
		0,
		{ label: 'Limit', min: 1, integer: true },
		50,
	);
	const olderThan = rules.map((r, n) =>
		checkedNumber(
			node,
			r.olderThanMinutes,
			0,
			{ label: 'Older Than (Minutes)', min: 0, hint: `in the Stuck When rule ${n + 1}, status "${String(r.status)}"` },
			0,
		),
	);
	const now = Date.now();
	const found = await findStuck(status, {
		rules: rules.map((r, n) => ({ status: String(r.status).trim(), olderThanMs: olderThan[n] * 60_000 })),
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
