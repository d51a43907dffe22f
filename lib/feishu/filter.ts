import type { FieldMeta } from './values/types';
import { parseDateString } from './values/time';
import type { SearchBody } from './types';

/** One row of a filter builder, as a person fills it in. */
export interface ConditionInput {
	field: string;
	operator: string;
	value?: unknown;
}

export type FilterCondition = NonNullable<SearchBody['filter']>['conditions'][number];

const NO_VALUE = new Set(['isEmpty', 'isNotEmpty']);
const DATE_TIME = 5;

/** "a, b" (also "a，b" or one per line) -> ["a", "b"]: several values, e.g. for a multi select. */
export function splitValues(value: unknown): string[] {
	return String(value ?? '')
		.split(/[,，\n]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

/**
 * Filter-builder rows -> Feishu search conditions. Date fields take a day (`["ExactDate", ms]` in the
 * table's time zone), which is all Feishu's filter understands.
 */
export function buildConditions(
	rows: ConditionInput[],
	fields: ReadonlyMap<string, FieldMeta>,
	timeZone: string,
): FilterCondition[] {
	return rows.map(({ field, operator, value }) => {
		if (NO_VALUE.has(operator)) return { field_name: field, operator, value: [] };
		if (fields.get(field)?.type === DATE_TIME) {
			const text = String(value ?? '').trim();
			const ms = /^\d+$/.test(text) ? Number(text) : parseDateString(text, timeZone);
			return { field_name: field, operator, value: ms === undefined ? [text] : ['ExactDate', String(ms)] };
		}
		return { field_name: field, operator, value: splitValues(value) };
	});
}
