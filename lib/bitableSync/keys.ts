/** Record keys: one field or several (composite), built from plain values so both sides match. */
import { FieldType as T, type FieldMeta, type PlainValue } from '../feishu/fieldValues';

/** Types whose plain value is one scalar, so it can identify a record. */
export const KEY_TYPES: ReadonlySet<number> = new Set([
	T.Text,
	T.Number,
	T.SingleSelect,
	T.DateTime,
	T.Phone,
	T.Url,
	T.Location,
]);

const SEP = '\u001f';

/** The key of one record or item; undefined when any part is empty, or there are no parts (never ''). */
export function buildKey(parts: readonly PlainValue[]): string | undefined {
	if (parts.length === 0) return undefined;
	if (parts.length === 1) {
		const v = parts[0];
		if (v === null || v === undefined || v === '') return undefined;
		return typeof v === 'string' ? v : String(v);
	}
	let key = '';
	for (let i = 0; i < parts.length; i++) {
		const v = parts[i];
		if (v === null || v === undefined || v === '') return undefined;
		key += (i ? SEP : '') + (typeof v === 'string' ? v : String(v));
	}
	return key;
}

/** A key as people read it ("A-1 + 2024"). */
export const displayKey = (key: string): string => key.split(SEP).join(' + ');

export function checkKeyField(field: FieldMeta): string | undefined {
	if (KEY_TYPES.has(field.type)) return undefined;
	return `The key field "${field.field_name}" has a type whose values cannot identify a record (use a text, number, single select, date, phone or URL field)`;
}
