/** Equality of plain values per field type (lists whose order Feishu does not mean compare as sets). */
import type { PlainValue } from './read';
import { FieldType as T, type FieldMeta } from './types';

const SET_TYPES: ReadonlySet<number> = new Set([T.MultiSelect, T.User, T.SingleLink, T.DuplexLink, T.CreatedUser, T.ModifiedUser]);

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
	if (a.length !== b.length) return false;
	if (a.length === 1) return a[0] === b[0];
	const seen = new Set(a);
	return b.every((v) => seen.has(v)) && new Set(b).size === seen.size;
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
	if (a && b && typeof a === 'object' && typeof b === 'object') {
		const ka = Object.keys(a);
		const kb = Object.keys(b);
		return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
	}
	return false;
}

export function valuesEqual(field: FieldMeta, a: PlainValue | undefined, b: PlainValue | undefined): boolean {
	const x = a === undefined ? null : a;
	const y = b === undefined ? null : b;
	if (x === y) return true;
	if (x === null || y === null) return false;
	if (SET_TYPES.has(field.type) && Array.isArray(x) && Array.isArray(y)) return sameSet(x, y);
	return deepEqual(x, y);
}
