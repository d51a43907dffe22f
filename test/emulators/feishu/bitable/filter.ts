/**
 * Search filters: `{conjunction, conditions:[{field_name, operator, value:string[]}], children?}`, at most 50
 * conditions. Date fields compare whole days in the base's time zone (value ["ExactDate","<ms>"], ["Today"], ...).
 */
import { E } from '../errors';
import { fieldByName, FieldType as T, zoneOffsetAt, type Field, type Rec, type Table } from './model';
import { plainForm } from './values';

export const MAX_CONDITIONS = 50;
/** The filter guide: a condition's value holds at most 10 items; the whole filter at most 2,000 characters (1254107). */
export const MAX_VALUES = 10;
export const MAX_FILTER_CHARS = 2000;
/** Every operator, with whether date fields (and created / modified time) accept it: elsewhere they answer 1254018. */
const ON_DATES = {
	is: true,
	isNot: false,
	contains: false,
	doesNotContain: false,
	isEmpty: true,
	isNotEmpty: true,
	isGreater: true,
	isGreaterEqual: false,
	isLess: true,
	isLessEqual: false,
} as const;
type Operator = keyof typeof ON_DATES;
type Predicate = (rec: Rec) => boolean;
type Kind = 'text' | 'number' | 'date' | 'select' | 'multi' | 'checkbox' | 'ids';

const DAY_MS = 86_400_000;
/** The day (days since the epoch, on the wall clock of `zone`, the base's time zone) holding `ms`. */
export const dayOf = (ms: number, zone?: string): number => Math.floor((ms + zoneOffsetAt(zone, ms)) / DAY_MS);

export function kindOf(field: Field): Kind {
	switch (field.type) {
		case T.Number:
			return 'number';
		case T.DateTime:
		case T.CreatedTime:
		case T.ModifiedTime:
			return 'date';
		case T.SingleSelect:
			return 'select';
		case T.MultiSelect:
			return 'multi';
		case T.Checkbox:
			return 'checkbox';
		case T.User:
		case T.CreatedUser:
		case T.ModifiedUser:
		case T.SingleLink:
		case T.DuplexLink:
		case T.Attachment:
			return 'ids';
		default:
			return 'text';
	}
}

/** The value a filter or sort looks at. */
export function cellOf(field: Field, rec: Rec): unknown {
	const v = plainForm(field, rec);
	if (v === undefined) return undefined;
	switch (kindOf(field)) {
		case 'ids':
			return Array.isArray(v) ? v : [v];
		case 'text':
			if (field.type === T.Url) return (v as { text: string }).text;
			return typeof v === 'string' ? v : JSON.stringify(v);
		default:
			return v;
	}
}

/**
 * The filter's length as this emulator counts it against the 2,000-character limit: the characters of its field
 * names, operators and values (no page says how Feishu counts; lib/feishu/filter.ts filterChars counts the same way).
 */
export function filterChars(filter: unknown): number {
	let n = 0;
	const group = (g: unknown): void => {
		const { conditions = [], children = [] } = (g ?? {}) as { conditions?: unknown[]; children?: unknown[] };
		for (const c of Array.isArray(conditions) ? conditions : []) {
			const { field_name, operator, value } = (c ?? {}) as {
				field_name?: unknown;
				operator?: unknown;
				value?: unknown;
			};
			n += String(field_name ?? '').length + String(operator ?? '').length;
			if (Array.isArray(value)) for (const v of value) n += String(v).length;
		}
		for (const child of Array.isArray(children) ? children : []) group(child);
	};
	group(filter);
	return n;
}

export function compileFilter(table: Table, filter: unknown, now: number, zone?: string): Predicate {
	if (filter === undefined || filter === null) return () => true;
	if (filterChars(filter) > MAX_FILTER_CHARS) throw E.filterTooLong();
	let count = 0;
	const group = (g: unknown, depth: number): Predicate => {
		if (!g || typeof g !== 'object') throw E.invalidFilter('filter must be an object');
		const { conjunction = 'and', conditions = [], children = [] } = g as Record<string, unknown>;
		if (conjunction !== 'and' && conjunction !== 'or') throw E.invalidFilter('conjunction must be "and" or "or"');
		if (!Array.isArray(conditions) || !Array.isArray(children)) throw E.invalidFilter('conditions must be an array');
		if (children.length && depth > 0) throw E.invalidFilter('children nest one level only');
		count += conditions.length;
		if (count > MAX_CONDITIONS) throw E.invalidFilter(`at most ${MAX_CONDITIONS} conditions`);
		const parts = [
			...conditions.map((c) => condition(table, c, now, zone)),
			...children.map((c) => group(c, depth + 1)),
		];
		if (!parts.length) return () => true;
		return conjunction === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
	};
	return group(filter, 0);
}

function condition(table: Table, c: unknown, now: number, zone?: string): Predicate {
	const { field_name, operator, value } = (c ?? {}) as { field_name?: unknown; operator?: unknown; value?: unknown };
	if (typeof field_name !== 'string') throw E.invalidFilter('condition without field_name');
	const field = fieldByName(table, field_name);
	if (!field) throw E.fieldNameNotFound(field_name);
	if (typeof operator !== 'string' || !Object.prototype.hasOwnProperty.call(ON_DATES, operator))
		throw E.invalidFilter(`unknown operator ${String(operator)}`);
	const op = operator as Operator;
	if (kindOf(field) === 'date' && !ON_DATES[op]) {
		throw E.invalidFilter(`operator ${op} is not supported on date field "${field_name}"`);
	}
	if (Array.isArray(value) && value.length > MAX_VALUES)
		throw E.invalidFilter(`at most ${MAX_VALUES} values per condition`);
	if (op === 'isEmpty' || op === 'isNotEmpty') {
		const empty = (r: Rec) => isEmpty(cellOf(field, r));
		return op === 'isEmpty' ? empty : (r) => !empty(r);
	}
	if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
		throw E.invalidFilter(`operator ${op} on "${field_name}" needs value: string[]`);
	}
	const values = value as string[];
	const kind = kindOf(field);
	const get = (r: Rec) => cellOf(field, r);
	const negate =
		(p: Predicate): Predicate =>
		(r) =>
			!p(r);
	switch (op) {
		case 'is':
			return isPredicate(kind, field, values, get, now, zone);
		case 'isNot':
			return negate(isPredicate(kind, field, values, get, now, zone));
		case 'contains':
			return containsPredicate(kind, field, values, get);
		case 'doesNotContain':
			return negate(containsPredicate(kind, field, values, get));
		default:
			return comparePredicate(kind, field, op, values, get, now, zone);
	}
}

const isEmpty = (v: unknown): boolean => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function isPredicate(
	kind: Kind,
	field: Field,
	values: string[],
	get: (r: Rec) => unknown,
	now: number,
	zone?: string,
): Predicate {
	switch (kind) {
		case 'number': {
			const n = toNumber(values[0], field);
			return (r) => get(r) === n;
		}
		case 'date': {
			const day = targetDay(values, field, now, zone);
			return (r) => {
				const v = get(r);
				return typeof v === 'number' && dayOf(v, zone) === day;
			};
		}
		case 'checkbox': {
			const want = values[0] === 'true';
			return (r) => (get(r) === true) === want;
		}
		case 'multi':
		case 'ids': {
			const want = new Set(values);
			return (r) => {
				const v = (get(r) as string[] | undefined) ?? [];
				return v.length === want.size && v.every((x) => want.has(x));
			};
		}
		default:
			return (r) => get(r) === values[0];
	}
}

function containsPredicate(kind: Kind, field: Field, values: string[], get: (r: Rec) => unknown): Predicate {
	switch (kind) {
		case 'text': {
			const needles = values.map((v) => v.toLowerCase());
			return (r) => {
				const v = get(r);
				return typeof v === 'string' && needles.some((n) => v.toLowerCase().includes(n));
			};
		}
		case 'select':
			return (r) => values.includes(get(r) as string);
		case 'multi':
		case 'ids':
			return (r) => ((get(r) as string[] | undefined) ?? []).some((x) => values.includes(x));
		default:
			throw E.invalidFilter(`operator contains does not apply to field "${field.field_name}"`);
	}
}

function comparePredicate(
	kind: Kind,
	field: Field,
	op: Operator,
	values: string[],
	get: (r: Rec) => unknown,
	now: number,
	zone?: string,
): Predicate {
	let key: (r: Rec) => number | undefined;
	let target: number;
	if (kind === 'number') {
		target = toNumber(values[0], field);
		key = (r) => get(r) as number | undefined;
	} else if (kind === 'date') {
		target = targetDay(values, field, now, zone);
		key = (r) => {
			const v = get(r);
			return typeof v === 'number' ? dayOf(v, zone) : undefined;
		};
	} else {
		throw E.invalidFilter(`operator ${op} does not apply to field "${field.field_name}"`);
	}
	const test: Record<string, (a: number) => boolean> = {
		isGreater: (a) => a > target,
		isGreaterEqual: (a) => a >= target,
		isLess: (a) => a < target,
		isLessEqual: (a) => a <= target,
	};
	const cmp = test[op];
	return (r) => {
		const v = key(r);
		return v !== undefined && cmp(v);
	};
}

function toNumber(s: string, field: Field): number {
	const n = Number(s);
	if (s.trim() === '' || !Number.isFinite(n))
		throw E.invalidFilter(`"${s}" is not a number for field "${field.field_name}"`);
	return n;
}

/** Date conditions name a day, never an instant (Feishu rejects a bare timestamp). */
function targetDay(values: string[], field: Field, now: number, zone?: string): number {
	const [word, arg] = values;
	switch (word) {
		case 'ExactDate': {
			const ms = Number(arg);
			if (arg === undefined || !Number.isFinite(ms))
				throw E.invalidFilter(`ExactDate needs a ms timestamp for "${field.field_name}"`);
			return dayOf(ms, zone);
		}
		case 'Today':
			return dayOf(now, zone);
		case 'Tomorrow':
			return dayOf(now, zone) + 1;
		case 'Yesterday':
			return dayOf(now, zone) - 1;
		default:
			throw E.invalidFilter(
				`date field "${field.field_name}" takes ["ExactDate","<ms>"], ["Today"], ["Tomorrow"] or ["Yesterday"]`,
			);
	}
}
