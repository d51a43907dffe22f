/**
 * The type of a field the table lacks, inferred from the values that will go into it:
 * raw = always text; base = text, number, date or checkbox; auto = also single / multi select, URL,
 * phone and email. Inference only ever picks a type every value can be coerced to.
 */
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

export function inferField(name: string, values: unknown[], strategy: FieldStrategy, timeZone = 'Asia/Shanghai'): NewFieldSpec {
	const text: NewFieldSpec = { field_name: name, type: T.Text };
	if (strategy === 'raw') return text;
	const present = values.filter((v) => !isEmpty(v));
	if (present.length === 0) return text;
	if (all(present, (v) => typeof v === 'boolean')) return { field_name: name, type: T.Checkbox };
	if (all(present, (v) => typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && NUMBER_RE.test(v)))) {
		// strings of digits with a leading + or that look like mobiles are phones under auto, not numbers
		if (!(strategy === 'auto' && all(present, (v) => typeof v === 'string' && PHONE_RE.test(v)))) {
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
