import { MultipleStatementsError, PlaceholderCountError, scanStatements } from './statements';
import type { TimeZone } from './timeZone';
import { toMySqlDateTime } from './timeZone';

/** A statement and the values bound to its `?` placeholders (sent apart from the SQL, never spliced in). */
export interface BoundStatement {
	sql: string;
	values: BindValue[];
}

export type BindValue = string | number | boolean | null | Buffer;

function isDateLike(value: object): value is { toJSDate(): Date } {
	return typeof (value as { toJSDate?: unknown }).toJSDate === 'function';
}

/** One user value as something the MySQL protocol can carry. */
export function toBindValue(value: unknown, zone: TimeZone): BindValue {
	if (value === undefined || value === null) return null;
	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean':
			return value;
		case 'bigint':
			return value.toString();
		case 'object':
			if (Buffer.isBuffer(value)) return value;
			if (value instanceof Date) return toMySqlDateTime(value, zone);
			// n8n expressions such as {{ $now }} give Luxon DateTime objects.
			if (isDateLike(value)) return toMySqlDateTime(value.toJSDate(), zone);
			return JSON.stringify(value);
		default:
			return String(value);
	}
}

/**
 * Splits the query into statements and gives each its share of the values, in order. An array value
 * stands for a list (`IN (?)` with `[1, 2, 3]` becomes `IN (?, ?, ?)`), each element still bound.
 */
export function bindStatements(
	script: string,
	values: unknown[],
	options: { allowMultipleStatements: boolean; zone: TimeZone },
): BoundStatement[] {
	const statements = scanStatements(script);
	if (statements.length > 1 && !options.allowMultipleStatements) {
		throw new MultipleStatementsError(statements.length);
	}
	const total = statements.reduce((sum, s) => sum + s.placeholders.length, 0);
	if (total !== values.length) throw new PlaceholderCountError(total, values.length);
	let next = 0;
	return statements.map(({ sql, placeholders }) => {
		if (placeholders.length === 0) return { sql, values: [] };
		const bound: BindValue[] = [];
		let text = '';
		let from = 0;
		for (const at of placeholders) {
			const value = values[next++];
			text += sql.slice(from, at);
			if (Array.isArray(value)) {
				// An empty list binds one NULL: `IN (NULL)` matches nothing, as an empty list should.
				const list = value.length ? value : [null];
				text += list.map(() => '?').join(', ');
				for (const element of list) bound.push(toBindValue(element, options.zone));
			} else {
				text += '?';
				bound.push(toBindValue(value, options.zone));
			}
			from = at + 1;
		}
		text += sql.slice(from);
		return { sql: text, values: bound };
	});
}
