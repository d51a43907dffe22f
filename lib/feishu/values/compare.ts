/** Equality of plain values per field type (lists whose order Feishu does not mean compare as sets). */
import isEqual from 'lodash/isEqual';
import type { PlainValue } from './read';
import { FieldType as T, type FieldMeta } from './types';

const SET_TYPES: ReadonlySet<number> = new Set([
	T.MultiSelect,
	T.User,
	T.SingleLink,
	T.DuplexLink,
	T.CreatedUser,
	T.ModifiedUser,
]);

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
	if (a.length !== b.length) return false;
	if (a.length === 1) return a[0] === b[0];
	const seen = new Set(a);
	return b.every((v) => seen.has(v)) && new Set(b).size === seen.size;
}

export function valuesEqual(field: FieldMeta, a: PlainValue | undefined, b: PlainValue | undefined): boolean {
	const x = a === undefined ? null : a;
	const y = b === undefined ? null : b;
	if (x === y) return true;
	if (x === null || y === null) return false;
	if (SET_TYPES.has(field.type) && Array.isArray(x) && Array.isArray(y)) return sameSet(x, y);
	return isEqual(x, y);
}
