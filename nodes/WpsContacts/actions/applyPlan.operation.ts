import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Operation } from '../../../lib/wpsContactsSync/types';
import { applyOperationsOf, applyOutputs } from '../helpers/applyRun';
import type { RunContext } from '../helpers/context';
import { type ParsedPlan, parsePlanItems } from '../helpers/items';

/** Apply Plan's own parameters (Scope, Options and Shared State are common.descriptions.ts's). */
export const description: INodeProperties[] = [
	{
		displayName:
			'Connect the Operations output of a WPS Contacts Preview (through any approval or edit nodes) to the input, or its Summary item to apply the whole plan that Preview stored in the state database.',
		name: 'planNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['applyPlan'] } },
	},
];

/** Applies the plan items of an earlier Preview (or the plan or reverse plan they stand for) under the target's lock. */
export async function execute(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const items = this.getInputData(0);
	const parsed = parsePlanItems(items);
	if (parsed.errors.length) {
		throw new NodeOperationError(this.getNode(), 'The input is not a WPS Contacts plan; nothing was written', {
			description: parsed.errors.slice(0, 10).join('\n'),
		});
	}
	if (parsed.operations.length && parsed.header.targetKey !== run.targetKey) throw otherTarget(this);
	if (parsed.reverseOfRun !== undefined) parsed.operations = await storedReverse(this, run, parsed);
	if (parsed.fromSummary) {
		const operations = await storedPlan(this, run, parsed, items[0].json);
		if (!operations) return [[], [], []];
		parsed.operations = operations;
	}
	const rootId = parsed.header.rootId || (await run.client.readRoot(run.scopeDeptId)).id;
	const plan = { planId: parsed.header.planId, rootId, mode: parsed.header.mode, operations: parsed.operations };
	const report = await applyOperationsOf(run, plan);
	return applyOutputs(
		run,
		report,
		plan,
		{ operation: 'applyPlan', targetKey: run.targetKey, edited: report.summary.runId !== parsed.header.planId },
		(op) => ({
			item: parsed.itemOf.get(op.id) ?? 0,
		}),
	);
}

function otherTarget(ctx: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'This plan was made for another WPS app or scope; nothing was written', {
		description: 'Apply a plan with the same WPS credential and Scope Department ID as the Preview that made it.',
	});
}

/** A run's stored-reverse item: the reverse plan that run kept in the state database. */
async function storedReverse(ctx: IExecuteFunctions, run: RunContext, parsed: ParsedPlan): Promise<Operation[]> {
	if (parsed.header.targetKey !== run.targetKey) {
		throw new NodeOperationError(
			ctx.getNode(),
			'This reverse plan belongs to another WPS app or scope; nothing was written',
			{
				description: 'Apply it with the same WPS credential and Scope Department ID as the run that stored it.',
			},
		);
	}
	const stored = await run.store!.loadReverse?.(parsed.reverseOfRun!);
	if (!stored) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No stored reverse plan for run ${parsed.reverseOfRun}; nothing was written`,
			{
				description:
					"The state database keeps the reverse plan of every finished run; this run is unknown to the state database of this node's MySQL credential.",
			},
		);
	}
	return stored;
}

/** A Preview's summary item: the whole plan that Preview stored (undefined: the Preview planned nothing). */
async function storedPlan(
	ctx: IExecuteFunctions,
	run: RunContext,
	parsed: ParsedPlan,
	summary: INodeExecutionData['json'],
): Promise<Operation[] | undefined> {
	if (Array.isArray(summary.sourceErrors) && summary.sourceErrors.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The Preview found errors in the source and planned nothing; nothing was written',
			{
				description: (summary.sourceErrors as { kind?: string; message?: string }[])
					.map((e) => `${e.kind}: ${e.message}`)
					.join('\n'),
			},
		);
	}
	if (summary.totalOperations === 0) return undefined;
	if (parsed.header.targetKey !== run.targetKey) throw otherTarget(ctx);
	const stored = await run.store!.loadPlan?.(parsed.header.planId);
	if (!stored) {
		throw new NodeOperationError(ctx.getNode(), `No stored plan ${parsed.header.planId}; nothing was written`, {
			description:
				'Apply Plan applies a Preview summary only from the plan that Preview stored in the state database (kept 7 days; none for an empty plan or a Preview without the state database). Preview again, or connect the Operations output instead.',
		});
	}
	return stored;
}
