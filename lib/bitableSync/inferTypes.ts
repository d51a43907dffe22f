/**
 * The type of a field the table lacks, inferred from the values that will go into it (the whole column):
 * raw = always text; base = text, number, date or checkbox; auto = also single / multi select, URL,
 * phone and email; intelligence = also checkboxes from 0/1 and yes/no words, dates from epoch numbers,
 * multi selects from delimited text. Inference only ever picks a type every value can be coerced to
 * (lib/feishu/values/write.ts). The README's table "Field types for new fields" says what comes from what.
 */
import { DEFAULT_TIME_ZONE } from '../defaults';
import { FieldType as T, isEmailLike, parseDateString } from '../feishu/fieldValues';
import type { FieldStrategy, NewFieldSpec } from './types';

const NUMBER_RE = /^[+-]?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/;
const URL_RE = /^https?:\/\/\S+$/i;
const PHONE_RE = /^(?:\+\d[\d\s-]{5,20}|1[3-9]\d{9})$/;
/** A select only when values repeat: few distinct, short values over enough rows. */
const SELECT_MAX_OPTIONS = 20;
const SELECT_MAX_LENGTH = 40;
const SELECT_MIN_ROWS = 4;

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '';

function all(values: unknown[], test: (v: unknown) => boolean): boolean {
	return values.length > 0 && values.every(test);
}

/** Words the checkbox coercion reads (write.ts TRUE_WORDS / FALSE_WORDS), without the empty string. */
const FLAG_WORDS = new Set([
	'true',
	'false',
	'yes',
	'no',
	'y',
	'n',
	'on',
	'off',
	't',
	'f',
	'是',
	'否',
	'对',
	'不',
	'√',
	'✓',
	'1',
	'0',
]);
const FLAG_DIGITS = new Set(['1', '0']);
/** Epoch milliseconds of 2000-01-01 and 2100-01-01: a 13-digit integer between them is a time. */
const MS_FROM = 946_684_800_000;
const MS_TO = 4_102_444_800_000;
/** Epoch seconds are dates only when the column's name says so (a 10-digit id would pass the range too). */
const TIME_NAME_RE = /(?:^|_|\b)(?:at|time|date|timestamp|ts)$|时间$|日期$/i;
const LIST_SEPARATOR_RE = /[,，;；]/;

/**
 * Intelligence's extra rules, tried before the base rules: each looks at the whole column and asks for more than one
 * row where one row could mislead (a single 1 is a number, a single "a, b" is text).
 */
function intelligent(name: string, present: unknown[]): NewFieldSpec | undefined {
	const flag = (v: unknown) => v === 0 || v === 1 || (typeof v === 'string' && FLAG_WORDS.has(v.trim().toLowerCase()));
	if (all(present, flag)) {
		// 0/1 only: a flag when both occur over a few rows (a quantity column of ones is a number)
		const digits = present.every((v) => typeof v === 'number' || FLAG_DIGITS.has(String(v).trim()));
		const both = new Set(present.map((v) => String(v).trim())).size >= 2;
		if (!digits || (both && present.length >= SELECT_MIN_ROWS)) return { field_name: name, type: T.Checkbox };
	}
	const integer = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
	if (all(present, (v) => integer(v) && (v as number) >= MS_FROM && (v as number) < MS_TO)) {
		return { field_name: name, type: T.DateTime, property: { date_formatter: 'yyyy/MM/dd HH:mm', auto_fill: false } };
	}
	if (
		TIME_NAME_RE.test(name) &&
		all(present, (v) => integer(v) && (v as number) >= MS_FROM / 1000 && (v as number) < MS_TO / 1000)
	) {
		return { field_name: name, type: T.DateTime, property: { date_formatter: 'yyyy/MM/dd HH:mm', auto_fill: false } };
	}
	if (all(present, (v) => typeof v === 'string') && present.length >= 2) {
		const strings = present as string[];
		const lists = strings.filter((s) => LIST_SEPARATOR_RE.test(s));
		const tokens = strings.flatMap((s) =>
			s
				.split(LIST_SEPARATOR_RE)
				.map((t) => t.trim())
				.filter(Boolean),
		);
		const distinct = new Set(tokens);
		if (
			lists.length * 2 >= strings.length &&
			distinct.size < tokens.length &&
			distinct.size <= 100 &&
			tokens.every((t) => t.length <= SELECT_MAX_LENGTH && !t.includes('\n') && !URL_RE.test(t))
		) {
			return { field_name: name, type: T.MultiSelect, property: { options: [...distinct].map((o) => ({ name: o })) } };
		}
	}
	return undefined;
}

export function inferField(
	name: string,
	values: unknown[],
	strategy: FieldStrategy,
	timeZone = DEFAULT_TIME_ZONE,
): NewFieldSpec {
	const text: NewFieldSpec = { field_name: name, type: T.Text };
	if (strategy === 'raw') return text;
	const present = values.filter((v) => !isEmpty(v));
	if (present.length === 0) return text;
	if (all(present, (v) => typeof v === 'boolean')) return { field_name: name, type: T.Checkbox };
	if (strategy === 'intelligence') {
		const found = intelligent(name, present);
		if (found) return found;
	}
	if (
		all(present, (v) => typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && NUMBER_RE.test(v)))
	) {
		// strings of digits with a leading + or that look like mobiles are phones under auto, not numbers
		if (!(strategy !== 'base' && all(present, (v) => typeof v === 'string' && PHONE_RE.test(v)))) {
			return { field_name: name, type: T.Number };
		}
	}
	if (all(present, (v) => v instanceof Date || (typeof v === 'string' && parseDateString(v, timeZone) !== undefined))) {
		return { field_name: name, type: T.DateTime, property: { date_formatter: 'yyyy/MM/dd HH:mm', auto_fill: false } };
	}
	if (strategy === 'base') return text;
	if (all(present, (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
		const options = [...new Set(present.flat() as string[])].slice(0, 100);
		return { field_name: name, type: T.MultiSelect, property: { options: options.map((o) => ({ name: o })) } };
	}
	if (!all(present, (v) => typeof v === 'string')) return text;
	const strings = present as string[];
	if (all(strings, (v) => URL_RE.test(v as string))) return { field_name: name, type: T.Url };
	if (all(strings, (v) => PHONE_RE.test(v as string))) return { field_name: name, type: T.Phone };
	if (all(strings, (v) => isEmailLike(v as string))) return { field_name: name, type: T.Text, ui_type: 'Email' };
	const distinct = new Set(strings);
	if (
		strings.length >= SELECT_MIN_ROWS &&
		distinct.size <= SELECT_MAX_OPTIONS &&
		distinct.size <= strings.length / 2 &&
		strings.every((s) => s.length <= SELECT_MAX_LENGTH && !s.includes('\n'))
	) {
		return { field_name: name, type: T.SingleSelect, property: { options: [...distinct].map((o) => ({ name: o })) } };
	}
	return text;
}
