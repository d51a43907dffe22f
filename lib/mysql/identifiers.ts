/** Raised for a table or column name that cannot be a MySQL identifier. */
import { ServiceError } from '../errors';
export class InvalidIdentifierError extends ServiceError {
	constructor(
		readonly input: string,
		reason: string,
	) {
		super(`"${input}" is not a valid MySQL name: ${reason}`, { service: 'package', kind: 'input' });
	}
}

/**
 * Splits `db.table` / `` `my.db`.`t` `` into its parts. A part that starts with a backtick is quoted
 * (dots inside belong to the name, a doubled backtick is a literal one); any other part runs to the
 * next dot and is taken literally, backticks included (they are doubled when quoted again).
 */
export function splitQualifiedName(input: string): string[] {
	const parts: string[] = [];
	const text = input.trim();
	let i = 0;
	for (;;) {
		while (text[i] === ' ') i++;
		let part = '';
		if (text[i] === '`') {
			i++;
			for (;;) {
				if (i >= text.length) throw new InvalidIdentifierError(input, 'a backtick is not closed');
				if (text[i] === '`') {
					if (text[i + 1] !== '`') break;
					i++;
				}
				part += text[i++];
			}
			i++;
			while (text[i] === ' ') i++;
			if (i < text.length && text[i] !== '.') throw new InvalidIdentifierError(input, 'text follows a quoted name');
		} else {
			const dot = text.indexOf('.', i);
			part = text.slice(i, dot === -1 ? text.length : dot).trim();
			i = dot === -1 ? text.length : dot;
		}
		parts.push(part);
		if (i >= text.length) return parts;
		i++; // the dot
	}
}

/** One identifier part, backtick-quoted (a backtick inside is doubled). */
export function quoteIdentifier(name: string): string {
	if (name === '') throw new InvalidIdentifierError(name, 'it is empty');
	if (name.includes('\u0000')) throw new InvalidIdentifierError(name, 'it contains a NUL character');
	if (name.length > 64) throw new InvalidIdentifierError(name, 'it is longer than 64 characters');
	return '`' + name.replace(/`/g, '``') + '`';
}

/** A possibly qualified name (`table`, `db.table`, `table.column`) quoted part by part. */
export function escapeIdentifier(input: string): string {
	const parts = splitQualifiedName(input);
	if (parts.length > 3) throw new InvalidIdentifierError(input, 'it has more than three dotted parts');
	return parts.map(quoteIdentifier).join('.');
}

/** A comma-separated column list (`*` allowed) quoted name by name. */
export function escapeColumnList(input: string): string {
	const text = input.trim();
	if (text === '' || text === '*') return '*';
	const names: string[] = [];
	let current = '';
	let quoted = false;
	for (const ch of text) {
		if (ch === '`') quoted = !quoted;
		if (ch === ',' && !quoted) {
			names.push(current);
			current = '';
		} else current += ch;
	}
	names.push(current);
	return names.map((name) => escapeIdentifier(name)).join(', ');
}
