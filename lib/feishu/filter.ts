import { FeishuInputError } from './errors';
import type { FieldMeta } from './values/types';
import { compactDate, parseDateString, wallClockToUtc, zoneOffsetMs } from './values/time';
import type { SearchBody } from './types';

/** One row of a filter builder, as a person fills it in. */
export interface ConditionInput {
	field: string;
	operator: string;
	value?: unknown;
}

export type FilterCondition = NonNullable<SearchBody['filter']>['conditions'][number];

const NO_VALUE = new Set(['isEmpty', 'isNotEmpty']);
const DAY_MS = 86_400_000;
/** Days Feishu names itself (counted on its clock, in the base's zone). */
const RELATIVE_DAYS = ['Today', 'Tomorrow', 'Yesterday'];

/** Date, created time and modified time: they filter by day (docs/feishu-api.md, "Filters"). */
export const DATE_FILTER_TYPES: ReadonlySet<number> = new Set([5, 1001, 1002]);
/** The only operators Feishu accepts on those fields; others answer 1254018. */
export const DATE_FILTER_OPERATORS: readonly string[] = ['is', 'isGreater', 'isLess', 'isEmpty', 'isNotEmpty'];
export const ALL_FILTER_OPERATORS: readonly string[] = [
	'is',
	'isNot',
	'contains',
	'doesNotContain',
	'isEmpty',
	'isNotEmpty',
	'isGreater',
	'isGreaterEqual',
	'isLess',
	'isLessEqual',
];
/** Inclusive comparisons on a day, said with the operators Feishu accepts: ">= D" is "> D-1", "<= D" is "< D+1". */
const DAY_SHIFT: Record<string, { operator: string; days: number }> = {
	isGreaterEqual: { operator: 'isGreater', days: -1 },
	isLessEqual: { operator: 'isLess', days: 1 },
};

/** The operators a filter on a field of this type may use (the editor offers only these). */
export function filterOperatorsFor(type: number | undefined): readonly string[] {
	return type !== undefined && DATE_FILTER_TYPES.has(type)
		? [...DATE_FILTER_OPERATORS, ...Object.keys(DAY_SHIFT)]
		: ALL_FILTER_OPERATORS;
}

/** "a, b" (also "a，b" or one per line) -> ["a", "b"]: several values, e.g. for a multi select. */
export function splitValues(value: unknown): string[] {
	return String(value ?? '')
		.split(/[,，\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

/**
 * Midnight, in the base's time zone, of the calendar day that holds `ms` on the user's clock (`timeZone`):
 * Feishu counts filter days in the base's zone, which may differ from the credential's.
 */
export function dayStartInZone(ms: number, timeZone: string, baseTimeZone: string): number {
	const wall = new Date(ms + zoneOffsetMs(timeZone, ms));
	const day = Math.floor(wall.getTime() / DAY_MS) * DAY_MS;
	const d = new Date(day);
	return wallClockToUtc([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0], baseTimeZone);
}

/**
 * Filter-builder rows -> Feishu search conditions. Date fields (and created/modified time) take a day
 * (`["ExactDate", ms]`, midnight in the base's time zone), which is all Feishu's filter understands, and only
 * the operators Feishu accepts on them; ">=" and "<=" are said with ">" and "<" on the neighbouring day.
 */
export function buildConditions(
	rows: ConditionInput[],
	fields: ReadonlyMap<string, FieldMeta>,
	timeZone: string,
	baseTimeZone: string = timeZone,
): FilterCondition[] {
	return rows.map(({ field, operator, value }) => {
		if (NO_VALUE.has(operator)) return { field_name: field, operator, value: [] };
		const type = fields.get(field)?.type;
		if (type !== undefined && DATE_FILTER_TYPES.has(type)) {
			const shift = DAY_SHIFT[operator];
			if (!shift && !DATE_FILTER_OPERATORS.includes(operator)) {
				throw new FeishuInputError(
					`The filter on date field "${field}" uses the operator "${operator}", which Feishu refuses on dates`,
					'Use "Is", "Is Greater", "Is Greater or Equal", "Is Less", "Is Less or Equal", "Is Empty" or "Is Not Empty" with a day (2024-05-01).',
				);
			}
			const text = String(value ?? '').trim();
			const word = RELATIVE_DAYS.find((w) => w.toLowerCase() === text.toLowerCase());
			if (word && !shift) return { field_name: field, operator, value: [word] };
			const compact = compactDate(text, timeZone);
			const ms =
				compact !== undefined
					? Number.isNaN(compact)
						? undefined
						: compact
					: /^-?\d+$/.test(text)
						? Number(text)
						: parseDateString(text, timeZone);
			if (ms === undefined) {
				throw new FeishuInputError(
					`The filter on date field "${field}" needs a day, got "${text}"`,
					'Give a day such as 2024-05-01 (or a time in ms).',
				);
			}
			const day = dayStartInZone(ms, timeZone, baseTimeZone);
			const shifted = shift ? dayStartInZone(day + shift.days * DAY_MS + DAY_MS / 2, baseTimeZone, baseTimeZone) : day;
			return { field_name: field, operator: shift?.operator ?? operator, value: ['ExactDate', String(shifted)] };
		}
		return { field_name: field, operator, value: splitValues(value) };
	});
}

/** Feishu refuses a filter over 2,000 characters (1254107); counted over field names, operators and values. */
export const MAX_FILTER_CHARS = 2000;

export function conditionChars(c: FilterCondition): number {
	return c.field_name.length + c.operator.length + (c.value ?? []).reduce((n, v) => n + v.length, 0);
}

/**
 * Splits conditions (ORed key lookups) into groups of at most `maxConditions` whose length stays under Feishu's
 * filter limit with room to spare, so a lookup never answers 1254107.
 */
export function batchConditions(
	conditions: FilterCondition[],
	maxConditions = 50,
	maxChars = MAX_FILTER_CHARS - 100,
): FilterCondition[][] {
	const groups: FilterCondition[][] = [];
	let current: FilterCondition[] = [];
	let chars = 0;
	for (const c of conditions) {
		const n = conditionChars(c);
		if (current.length && (current.length >= maxConditions || chars + n > maxChars)) {
			groups.push(current);
			current = [];
			chars = 0;
		}
		current.push(c);
		chars += n;
	}
	if (current.length) groups.push(current);
	return groups;
}
