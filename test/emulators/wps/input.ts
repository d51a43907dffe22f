import { fail } from './errors';
import { FILTER_STATUSES, type UserStatus } from './model';

/** Field readers for request bodies: a wrong type is 400000002, as the public table says. */
export type Body = Record<string, unknown>;

export const MAX_TEXT = 128;

export function requiredString(body: Body, field: string): string {
	const value = body[field];
	if (typeof value !== 'string' || value === '')
		throw fail.format(`${field} is required and must be a non-empty string`);
	return value;
}

export function optionalString(body: Body, field: string): string | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw fail.format(`${field} must be a string`);
	return value;
}

export function optionalInt(body: Body, field: string): number | undefined {
	const value = body[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value)) throw fail.format(`${field} must be an integer`);
	return value;
}

export function stringArray(
	body: Body,
	field: string,
	opts: { required: boolean; max?: number },
): string[] | undefined {
	const value = body[field];
	if (value === undefined || value === null) {
		if (opts.required) throw fail.format(`${field} is required`);
		return undefined;
	}
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
		throw fail.format(`${field} must be an array of non-empty strings`);
	}
	if (opts.required && value.length === 0) throw fail.format(`${field} must not be empty`);
	if (opts.max !== undefined && value.length > opts.max) {
		throw fail.value('batch_size_exceeded', `${field} takes at most ${opts.max} values, got ${value.length}`);
	}
	return [...new Set(value as string[])];
}

/** Ids and external ids are at most 128 characters. */
export function checkIdLength(field: string, value: string | undefined): void {
	if (value !== undefined && value.length > MAX_TEXT) {
		throw fail.value('id_too_long', `${field} is longer than ${MAX_TEXT} characters`);
	}
}

function parseStatuses(values: string[], allowed: readonly UserStatus[]): UserStatus[] {
	if (values.length === 0) throw fail.format('status is required (one or more of ' + allowed.join(', ') + ')');
	for (const v of values) {
		if (!(allowed as readonly string[]).includes(v))
			throw fail.format(`status ${v} is not accepted here (one of ${allowed.join(', ')})`);
	}
	return values as UserStatus[];
}

/** List and batch queries REQUIRE a status filter and return only those statuses. */
export function statusesFromBody(body: Body, allowed: readonly UserStatus[] = FILTER_STATUSES): Set<UserStatus> {
	const raw = body.status;
	const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
	if (values.some((v) => typeof v !== 'string')) throw fail.format('status must be an array of strings');
	return new Set(parseStatuses(values as string[], allowed));
}

/** Query form: `status=active&status=disabled` or `status=active,disabled`. */
export function statusesFromQuery(
	query: URLSearchParams,
	allowed: readonly UserStatus[] = FILTER_STATUSES,
): Set<UserStatus> {
	const values = query
		.getAll('status')
		.flatMap((v) => v.split(','))
		.filter(Boolean);
	return new Set(parseStatuses(values, allowed));
}

/** Department leaders as documented: `[{user_id, order}]`. */
export function leadersFrom(body: Body): string[] | undefined {
	const value = body.leaders;
	if (value === undefined || value === null) return undefined;
	if (
		!Array.isArray(value) ||
		value.some((l) => !l || typeof l !== 'object' || typeof (l as Body).user_id !== 'string')
	) {
		throw fail.format('leaders must be an array of {user_id, order}');
	}
	return (value as Body[])
		.map((l, i) => ({ id: l.user_id as string, order: typeof l.order === 'number' ? l.order : i }))
		.sort((a, b) => a.order - b.order)
		.map((l) => l.id);
}

export function flag(query: URLSearchParams, name: string): boolean {
	return query.get(name) === 'true';
}
