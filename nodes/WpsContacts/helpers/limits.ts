/** The node's numeric options, checked before the run reads or writes anything (see nodes/shared/parameters). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { checkedNumber, type NumberRule } from '../../shared/parameters';

const OPTION_RULES: Record<string, NumberRule> = {
	concurrency: { label: 'Concurrency', min: 1, max: 32, integer: true },
	maxDeletionPercent: { label: 'Deletion Threshold (%)', min: 0, max: 100, hint: '0 = off' },
	maxDeletions: { label: 'Deletion Threshold (Count)', min: 0, integer: true },
	maxChangePercent: { label: 'Change Threshold (%)', min: 0, max: 100 },
	maxChanges: { label: 'Change Threshold (Count)', min: 0, integer: true },
	maxOperationItems: { label: 'Operation Items Limit', min: 0, integer: true },
	graceDays: { label: 'Grace Period (Days)', min: 0 },
	lockWaitSec: { label: 'Lock Wait (Seconds)', min: 0 },
	ratePerSecond: { label: 'Requests Per Second', min: 0, hint: '0 = no limit' },
};

/** Throws a NodeOperationError naming the option and the value to set when one is out of range. */
export function checkNumericParameters(ctx: IExecuteFunctions): void {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	for (const [name, rule] of Object.entries(OPTION_RULES)) checkedNumber(node, options[name], 0, rule);
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (operation !== 'applyPlan' && ctx.getNodeParameter('mode', 0, 'incremental') === 'incremental') {
		checkedNumber(node, ctx.getNodeParameter('fullEvery', 0, 7), 0, {
			label: 'Full Read Every N Runs',
			min: 1,
			integer: true,
		});
	}
}
