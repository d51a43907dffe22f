/**
 * A small SQL scanner that knows where strings, quoted names and comments are, so `;` and `?`
 * inside them are not mistaken for statement ends or placeholders.
 */
import { ServiceError } from '../errors';

export interface ScannedStatement {
	sql: string;
	/** Offsets of the `?` placeholders in `sql`. */
	placeholders: number[];
}

/** Splits a script into statements (empty ones dropped), noting each statement's placeholders. */
export function scanStatements(script: string): ScannedStatement[] {
	const statements: ScannedStatement[] = [];
	let start = 0;
	let placeholders: number[] = [];
	let hasCode = false;
	const push = (end: number) => {
		const raw = script.slice(start, end);
		const lead = raw.length - raw.trimStart().length;
		const sql = raw.trim();
		if (hasCode && sql !== '') {
			statements.push({ sql, placeholders: placeholders.map((p) => p - start - lead) });
		}
		placeholders = [];
		hasCode = false;
	};
	let i = 0;
	while (i < script.length) {
		const ch = script[i];
		const next = script[i + 1];
		if (ch === "'" || ch === '"' || ch === '`') {
			hasCode = true;
			i = skipQuoted(script, i, ch);
		} else if ((ch === '-' && next === '-' && /[\s]/.test(script[i + 2] ?? ' ')) || ch === '#') {
			const end = script.indexOf('\n', i);
			i = end === -1 ? script.length : end + 1;
		} else if (ch === '/' && next === '*') {
			// `/*! ... */` and `/*M! ... */` are executable comments: MySQL runs their content.
			if (script[i + 2] === '!' || (script[i + 2] === 'M' && script[i + 3] === '!')) hasCode = true;
			const end = script.indexOf('*/', i + 2);
			i = end === -1 ? script.length : end + 2;
		} else if (ch === ';') {
			push(i);
			start = i + 1;
			i++;
		} else {
			if (ch === '?') placeholders.push(i);
			if (!/\s/.test(ch)) hasCode = true;
			i++;
		}
	}
	push(script.length);
	return statements;
}

function skipQuoted(text: string, from: number, quote: string): number {
	let i = from + 1;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '\\' && quote !== '`') {
			i += 2;
		} else if (ch === quote) {
			if (text[i + 1] === quote) i += 2;
			else return i + 1;
		} else i++;
	}
	return text.length;
}

/** Raised when a query holds several statements and the node's option does not allow it. */
export class MultipleStatementsError extends ServiceError {
	constructor(readonly count: number) {
		super(
			`The query holds ${count} statements; only one is allowed. Turn on "Allow Multiple Statements" to run them one after another.`,
			{ service: 'package', kind: 'input', field: 'Query', hint: 'Nothing was run.' },
		);
	}
}

/** Raised when the number of values differs from the number of `?` placeholders. */
export class PlaceholderCountError extends ServiceError {
	constructor(
		readonly placeholders: number,
		readonly values: number,
	) {
		super(`The query has ${placeholders} "?" placeholder(s) but ${values} value(s) were given`, {
			service: 'package',
			kind: 'input',
			field: 'Query Parameters',
			hint: 'Nothing was run. Give one Query Parameter per "?" in the query, in the same order (a list for IN (?)).',
		});
	}
}
