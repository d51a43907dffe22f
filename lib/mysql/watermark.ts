import type { BindValue, BoundStatement } from './binding';
import { bindStatements } from './binding';
import { escapeColumnList, escapeIdentifier, splitQualifiedName } from './identifiers';
import type { TimeZone } from './timeZone';
import type { Row } from './session';
import type { ColumnInfo } from './types';
import { ColumnType, normaliseDateTimeText } from './types';

/** How the watermark column's values move back by the overlap window. */
export type WatermarkKind = 'temporal' | 'number' | 'text';

/** Where a read stopped: the last row's watermark value and tie-breaker, as the server sent them. */
export interface WatermarkPosition {
	value: string | number;
	tie: string | number | null;
	kind: WatermarkKind;
	/** Kind of the tie-breaker column (positions saved before it was recorded have none). */
	tieKind?: WatermarkKind;
	/** The read that ended here returned fewer rows than its cap (no backlog behind it). */
	caughtUp: boolean;
}

export interface PageSpec {
	/** `table` or `db.table` (a view works too). */
	table: string;
	/** Comma-separated column names, or `*`. */
	columns: string;
	watermarkColumn: string;
	/** A unique column (usually the primary key) that orders rows sharing a watermark value. */
	tieBreaker: string;
	/** Extra SQL condition written by the workflow author, with `?` placeholders for `conditionValues`. */
	condition?: string;
	conditionValues?: unknown[];
	/** Where to begin when nothing is committed (inclusive); empty: from the smallest value. */
	startValue?: string;
	/** Seconds (or units, for a numeric column) to re-read behind a caught-up position. */
	overlap: number;
	/** Rows per read (the cap). */
	limit: number;
}

/** Aliases of the watermark value and tie-breaker in the page query, removed from output rows. */
export const WATERMARK_ALIAS = '__n8n_watermark';
export const TIE_ALIAS = '__n8n_tie';

/** True when the tie-breaker is the watermark column itself (e.g. an auto-increment id). */
function singleColumn(spec: PageSpec): boolean {
	return !spec.tieBreaker.trim() || escapeIdentifier(spec.tieBreaker) === escapeIdentifier(spec.watermarkColumn);
}

/** Identifies a watermark's setup: a change to any of these starts the watermark over. */
export function watermarkConfigKey(spec: PageSpec): string {
	return JSON.stringify([
		escapeIdentifier(spec.table),
		escapeIdentifier(spec.watermarkColumn),
		singleColumn(spec) ? '' : escapeIdentifier(spec.tieBreaker),
		spec.startValue ?? '',
	]);
}

/**
 * The keyset query for the next page after `after` (or from the start value): ordered by
 * (watermark, tie-breaker) and cut by LIMIT on the server, so it reads at most `limit` index entries
 * past the position, whatever the table's size.
 */
export function buildPageQuery(spec: PageSpec, after: WatermarkPosition | undefined, zone: TimeZone): BoundStatement {
	if (!Number.isSafeInteger(spec.limit) || spec.limit < 1)
		throw new Error('Max rows per run must be a whole number of at least 1');
	const wm = escapeIdentifier(spec.watermarkColumn);
	const single = singleColumn(spec);
	const tie = single ? wm : escapeIdentifier(spec.tieBreaker);
	const conditions: string[] = [];
	const values: BindValue[] = [];
	if (spec.condition?.trim()) {
		const [bound] = bindStatements(spec.condition, spec.conditionValues ?? [], {
			allowMultipleStatements: false,
			zone,
		});
		conditions.push(`(${bound.sql})`);
		values.push(...bound.values);
	}
	// A BIGINT or DECIMAL position is kept as exact text; bound as a plain string, MySQL would compare it with the
	// column as a double, and keys above 2^53 would be skipped or read twice. As DECIMAL the comparison is exact.
	const at = (kind: WatermarkKind | undefined, value: unknown) =>
		kind === 'number' && typeof value === 'string' ? 'CAST(? AS DECIMAL(65,30))' : '?';
	if (after && after.caughtUp && spec.overlap > 0 && after.kind !== 'text') {
		// Re-read the overlap window behind a caught-up position (late commits land there).
		conditions.push(
			after.kind === 'temporal' ? `${wm} >= ? - INTERVAL ? SECOND` : `${wm} >= ${at(after.kind, after.value)} - ?`,
		);
		values.push(after.value, spec.overlap);
	} else if (after && (single || after.tie === null)) {
		conditions.push(`${wm} > ${at(after.kind, after.value)}`);
		values.push(after.value);
	} else if (after) {
		const v = at(after.kind, after.value);
		conditions.push(`(${wm} > ${v} OR (${wm} = ${v} AND ${tie} > ${at(after.tieKind, after.tie)}))`);
		values.push(after.value, after.value, after.tie);
	} else if (spec.startValue !== undefined && spec.startValue.trim() !== '') {
		conditions.push(`${wm} >= ?`);
		values.push(spec.startValue.trim());
	} else {
		// NULLs sort first and cannot be a position: rows without a watermark value are never read.
		conditions.push(`${wm} IS NOT NULL`);
	}
	const select = `${escapeColumnList(spec.columns)}, ${wm} AS ${escapeIdentifier(WATERMARK_ALIAS)}${
		single ? '' : `, ${tie} AS ${escapeIdentifier(TIE_ALIAS)}`
	}`;
	const order = single ? wm : `${wm}, ${tie}`;
	return {
		sql: `SELECT ${select} FROM ${escapeIdentifier(spec.table)} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${spec.limit}`,
		values,
	};
}

/** One row of uniqueIndexQuery(): the table's type and one column of one of its unique indexes. */
export interface UniqueIndexRow {
	tableType: string;
	indexName: string | null;
	columnName: string | null;
}

/** The table's type and the columns of its unique indexes (PRIMARY included), from information_schema. */
export function uniqueIndexQuery(table: string): BoundStatement {
	const parts = splitQualifiedName(table);
	return {
		sql:
			'SELECT t.TABLE_TYPE AS tableType, s.INDEX_NAME AS indexName, s.COLUMN_NAME AS columnName ' +
			'FROM information_schema.TABLES t LEFT JOIN information_schema.STATISTICS s ' +
			'ON s.TABLE_SCHEMA = t.TABLE_SCHEMA AND s.TABLE_NAME = t.TABLE_NAME AND s.NON_UNIQUE = 0 ' +
			'WHERE t.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND t.TABLE_NAME = ?',
		values: [parts.length > 1 ? parts[parts.length - 2] : null, parts[parts.length - 1]],
	};
}

const columnName = (name: string): string => {
	const parts = splitQualifiedName(name);
	return parts[parts.length - 1].toLowerCase();
};

/**
 * Why (watermark, tie-breaker) may not identify a row, or undefined when a unique index proves it
 * does. Keyset paging resumes after the last row's pair: two rows sharing it would be skipped or read
 * twice at a page boundary. A view has no indexes to check, so it must at least name a tie-breaker;
 * a table unknown to information_schema is left to the page query to report.
 */
export function tieBreakerProblem(spec: PageSpec, rows: UniqueIndexRow[]): string | undefined {
	if (!rows.length) return undefined;
	const single = singleColumn(spec);
	const named = single ? `"${spec.watermarkColumn.trim()}"` : `"${spec.tieBreaker.trim()}"`;
	if (!/BASE TABLE/i.test(rows[0].tableType)) {
		return single
			? `${spec.table.trim()} is a view, whose columns cannot be checked for uniqueness, and no tie-breaker other than the watermark column is set`
			: undefined;
	}
	const covered = new Set([columnName(spec.watermarkColumn), ...(single ? [] : [columnName(spec.tieBreaker)])]);
	const indexes = new Map<string, string[]>();
	for (const row of rows) {
		if (row.indexName === null || row.columnName === null) continue;
		const list = indexes.get(row.indexName) ?? [];
		list.push(row.columnName.toLowerCase());
		indexes.set(row.indexName, list);
	}
	for (const columns of indexes.values()) if (columns.every((c) => covered.has(c))) return undefined;
	return `No unique index of ${spec.table.trim()} covers ${named}${single ? '' : ` (with the watermark column "${spec.watermarkColumn.trim()}")`}, so rows sharing a watermark value could be skipped or read twice between runs`;
}

/** The kind of a watermark column, from its result-set metadata. */
export function watermarkKind(field: ColumnInfo | undefined): WatermarkKind {
	switch (field?.columnType) {
		case ColumnType.DATETIME:
		case ColumnType.DATETIME2:
		case ColumnType.TIMESTAMP:
		case ColumnType.TIMESTAMP2:
		case ColumnType.DATE:
		case ColumnType.NEWDATE:
			return 'temporal';
		case ColumnType.DECIMAL:
		case ColumnType.NEWDECIMAL:
		case ColumnType.LONGLONG:
		case 1: // TINY
		case 2: // SHORT
		case 3: // LONG
		case 4: // FLOAT
		case 5: // DOUBLE
		case 9: // INT24
		case 13: // YEAR
			return 'number';
		default:
			return 'text';
	}
}

/**
 * Takes the watermark aliases off the page's rows and returns where the page ended (undefined for
 * an empty page: the position stays where it was).
 */
export function endOfPage(rows: Row[], fields: ColumnInfo[], limit: number): WatermarkPosition | undefined {
	let last: WatermarkPosition | undefined;
	const hasTie = fields.some((f) => f.name === TIE_ALIAS);
	if (rows.length) {
		const row = rows[rows.length - 1];
		const field = fields.find((f) => f.name === WATERMARK_ALIAS);
		const kind = watermarkKind(field);
		const raw = row[WATERMARK_ALIAS] as string | number;
		last = {
			// Temporal text as the text protocol shows it (the binary one drops zero fractions).
			value:
				kind === 'temporal' && field?.columnType !== ColumnType.DATE && field?.columnType !== ColumnType.NEWDATE
					? (normaliseDateTimeText(raw, field?.decimals) ?? raw)
					: raw,
			tie: hasTie ? ((row[TIE_ALIAS] as string | number | null) ?? null) : null,
			kind,
			...(hasTie ? { tieKind: watermarkKind(fields.find((f) => f.name === TIE_ALIAS)) } : {}),
			caughtUp: rows.length < limit,
		};
	}
	// Delete the last-added keys first: V8 keeps such objects in their fast shape.
	for (const row of rows) {
		if (hasTie) delete row[TIE_ALIAS];
		delete row[WATERMARK_ALIAS];
	}
	return last;
}
