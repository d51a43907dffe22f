/**
 * Numeric parameters checked before anything is read or written. n8n's minValue/maxValue only bind
 * the editor's number box: an expression ("{{ $json.limit }}") or an imported workflow can still hand
 * a node -5, NaN or "abc", and a limit that silently becomes "no limit" is how a table gets emptied.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface NumberRule {
	/** The parameter's display name, as the user sees it in the node. */
	label: string;
	min?: number;
	max?: number;
	/** Whole numbers only. */
	integer?: boolean;
	/** Values allowed besides the range, e.g. -1 for "no limit". */
	also?: number[];
	/** What the value means, e.g. "-1 = no limit". */
	hint?: string;
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function expectation(rule: NumberRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	const range =
		rule.min !== undefined && rule.max !== undefined
			? ` from ${rule.min} to ${rule.max}`
			: rule.min !== undefined
				? ` of at least ${rule.min}`
				: rule.max !== undefined
					? ` of at most ${rule.max}`
					: '';
	const also = rule.also?.length ? ` (or ${rule.also.join(', ')})` : '';
	return `${kind}${range}${also}`;
}

const shown = (value: unknown): string => {
	if (typeof value === 'number') return String(value);
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** Why `value` breaks `rule`, or undefined when it is fine (`undefined`/'' are the caller's default). */
export function numberProblem(value: number, rule: NumberRule): string | undefined {
	if (!Number.isFinite(value)) return 'is not a finite number';
	if (rule.also?.includes(value)) return undefined;
	if (rule.integer && !Number.isInteger(value)) return 'is not a whole number';
	if (rule.min !== undefined && value < rule.min) return `is below ${rule.min}`;
	if (rule.max !== undefined && value > rule.max) return `is above ${rule.max}`;
	return undefined;
}

/**
 * A parameter value as a number under `rule`, or `fallback` when it is not set (undefined, null, '').
 * Anything else that is not such a number fails naming the item, the parameter and what to set.
 */
export function checkedNumber<Fallback extends number | undefined = undefined>(
	node: INode,
	value: unknown,
	itemIndex: number,
	rule: NumberRule,
	fallback?: Fallback,
): number | Fallback {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return fallback as Fallback;
	}
	let n = Number.NaN;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) n = Number(value.trim());
	const problem = typeof value === 'number' || typeof value === 'string' ? numberProblem(n, rule) : 'is not a number';
	if (problem === undefined) return n;
	throw new NodeOperationError(
		node,
		`Item ${itemIndex}: "${rule.label}" must be ${expectation(rule)}; ${shown(value)} ${problem === 'is not a finite number' && typeof value === 'string' ? 'is not a number' : problem}`,
		{
			itemIndex,
			description: `Nothing was read or written. Set "${rule.label}" to ${expectation(rule)}${rule.hint ? ` (${rule.hint})` : ''}; if it is an expression, check what it gives for item ${itemIndex}.`,
		},
	);
}

/** A top-level number parameter of the node, checked (see checkedNumber). */
export function numberParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	rule: NumberRule,
	fallback: number,
): number {
	return checkedNumber(ctx.getNode(), ctx.getNodeParameter(name, itemIndex, fallback), itemIndex, rule, fallback);
}
