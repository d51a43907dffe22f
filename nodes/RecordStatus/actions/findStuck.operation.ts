import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findStuck } from '../../../lib/recordStatus';
import { checkedNumber } from '../../shared/parameters';
import type { StatusRun } from './router';
import { limitProperty } from '../../shared/descriptions';

export const description: INodeProperties[] = [
	{
		displayName: 'Stuck When',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {
			rule: [
				{ status: 'Pending', olderThanMinutes: 10 },
				{ status: 'Processing', olderThanMinutes: 30 },
			],
		},
		displayOptions: { show: { operation: ['findStuck'] } },
		options: [
			{
				name: 'rule',
				displayName: 'Rule',
				values: [
					{ displayName: 'Status', name: 'status', type: 'string', default: 'Pending' },
					{
						displayName: 'Older Than (Minutes)',
						name: 'olderThanMinutes',
						type: 'number',
						default: 10,
						typeOptions: { minValue: 0 },
					},
				],
			},
		],
		description:
			'Records in a status whose status time is older than the age. Needs the status time field/column. Runs once per execution (for the first input item).',
	},
	limitProperty({ show: { operation: ['findStuck'] } }),
];

/**
 * Runs once per execution (for the first input item): a reconciliation schedule wants one list,
 * oldest first, not one query per incoming item.
 */
export async function execute(this: IExecuteFunctions, { status }: StatusRun): Promise<INodeExecutionData[]> {
	const rules =
		(this.getNodeParameter('rules.rule', 0, []) as Array<{ status: string; olderThanMinutes: number }>) ?? [];
	if (!rules.length) throw new NodeOperationError(this.getNode(), 'Add at least one "Stuck When" rule');
	const node = this.getNode();
	const limit = checkedNumber(
		node,
		this.getNodeParameter('limit', 0, 50),
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
