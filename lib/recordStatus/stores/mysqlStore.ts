import { parseTimeZone, toIsoDateTime, toMySqlDateTime, type TimeZone } from '../../mysql/timeZone';
import { StatusStoreConfigError } from './errors';
import type { RecordLocator, StatusSnapshot, StatusStore, StatusWrite, StuckRule, WriteGuard } from '../types';

/** The slice of a mysql2 promise pool the store needs (a Pool or a Connection both fit). */
export interface SqlRunner {
	query(sql: string, params?: unknown[]): Promise<[unknown, unknown]>;
}

export interface MySqlStatusTable {
	table: string;
	/** Primary key column (the record id in outputs). */
	idColumn: string;
	/** Business key column, e.g. task_id (unique: create-if-missing relies on it). */
	keyColumn?: string;
	statusColumn: string;
	versionColumn?: string;
	sourceColumn?: string;
	/** DATETIME/TIMESTAMP column written with the status time; find stuck and priority read it. */
	statusTimeColumn?: string;
}

/** Backtick-quotes an identifier (`db.table` allowed for the table). */
export function quoteId(name: string, allowDot = false): string {
	if (!name || /[\u0000]/.test(name)) throw new StatusStoreConfigError(`"${name}" is not a valid column or table name`);
	const parts = allowDot ? name.split('.') : [name];
	return parts.map((p) => '`' + p.replace(/`/g, '``') + '`').join('.');
}

interface ResultHeader {
	affectedRows: number;
	insertId?: number;
}

function toPlain(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString();
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	if (typeof value === 'bigint') return value.toString();
	return value;
}

function toSqlValue(value: unknown): unknown {
	if (value === undefined) return null;
	if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
		return JSON.stringify(value);
	}
	return value;
}

/** DATETIME values arrive as wall-clock text in the session's zone (lib/mysql reads dates as strings). */
function toMs(value: unknown, zone: TimeZone): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	const iso = toIsoDateTime(String(value), zone);
	const parsed = iso === null ? NaN : Date.parse(iso);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Status in a MySQL table. The write is one statement: `UPDATE ... WHERE id = ? AND status IN (...)
 * [AND version = ?] [AND NOT (a higher-priority source set it later)]`, and the affected-row count
 * says whether the guard held, so concurrent executions cannot both win.
 */
export class MySqlStatusStore implements StatusStore {
	readonly hasVersion: boolean;
	readonly hasSource: boolean;

	/** `zone`: the sessions' time zone (lib/mysql `poolTimeZone(pool)`), for DATETIME values. */
	constructor(
		private readonly db: SqlRunner,
		private readonly t: MySqlStatusTable,
		private readonly zone: TimeZone = parseTimeZone(undefined),
	) {
		this.hasVersion = !!t.versionColumn;
		this.hasSource = !!t.sourceColumn;
	}

	private snapshot(row: Record<string, unknown>): StatusSnapshot {
		const t = this.t;
		const fields: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(row)) fields[k] = toPlain(v);
		const version = t.versionColumn ? row[t.versionColumn] : undefined;
		return {
			id: String(row[t.idColumn]),
			key: t.keyColumn && row[t.keyColumn] != null ? String(row[t.keyColumn]) : undefined,
			status: row[t.statusColumn] == null ? '' : String(row[t.statusColumn]),
			version: t.versionColumn ? Number(version ?? 0) : undefined,
			source: t.sourceColumn && row[t.sourceColumn] != null ? String(row[t.sourceColumn]) : undefined,
			statusTime: t.statusTimeColumn ? toMs(row[t.statusTimeColumn], this.zone) : undefined,
			fields,
		};
	}

	private dateValue(ms: number): string {
		return toMySqlDateTime(new Date(ms), this.zone);
	}

	private locatorColumn(locator: RecordLocator): string {
		if (locator.by === 'id') return this.t.idColumn;
		if (!this.t.keyColumn) throw new StatusStoreConfigError('Set the key column to find records by key');
		return this.t.keyColumn;
	}

	async read(locator: RecordLocator): Promise<StatusSnapshot | undefined> {
		const [rows] = await this.db.query(
			`SELECT * FROM ${quoteId(this.t.table, true)} WHERE ${quoteId(this.locatorColumn(locator))} = ? LIMIT 1`,
			[locator.value],
		);
		const row = (rows as Array<Record<string, unknown>>)[0];
		return row ? this.snapshot(row) : undefined;
	}

	/** Column -> value for the SET / INSERT part: the fields first, then the status columns win. */
	private assignments(write: StatusWrite): Array<[string, unknown]> {
		const t = this.t;
		const values = new Map<string, unknown>();
		for (const [k, v] of Object.entries(write.fields)) values.set(k, toSqlValue(v));
		values.set(t.statusColumn, write.status);
		if (t.versionColumn && write.version !== undefined) values.set(t.versionColumn, write.version);
		if (t.sourceColumn && write.source !== undefined) values.set(t.sourceColumn, write.source);
		if (t.statusTimeColumn) values.set(t.statusTimeColumn, this.dateValue(write.statusTime));
		return [...values];
	}

	async write(record: StatusSnapshot, write: StatusWrite, guard: WriteGuard): Promise<boolean> {
		const t = this.t;
		const sets = this.assignments(write);
		const params: unknown[] = sets.map(([, v]) => v);
		const where: string[] = [`${quoteId(t.idColumn)} = ?`];
		params.push(record.id);
		const status = quoteId(t.statusColumn);
		const known = guard.allowedFrom.filter((s) => s !== '');
		const alts: string[] = [];
		if (known.length) {
			alts.push(`${status} IN (${known.map(() => '?').join(', ')})`);
			params.push(...known);
		}
		if (guard.allowedFrom.includes('')) alts.push(`${status} IS NULL OR ${status} = ''`);
		where.push(alts.length ? `(${alts.join(' OR ')})` : 'FALSE');
		if (guard.expectedVersion !== undefined && t.versionColumn) {
			where.push(`COALESCE(${quoteId(t.versionColumn)}, 0) = ?`);
			params.push(guard.expectedVersion);
		}
		if (guard.outranking && guard.outranking.sources.length && t.sourceColumn && t.statusTimeColumn) {
			const src = quoteId(t.sourceColumn);
			const time = quoteId(t.statusTimeColumn);
			where.push(
				`NOT (${src} IN (${guard.outranking.sources.map(() => '?').join(', ')}) AND ${time} IS NOT NULL AND ${time} > ?)`,
			);
			params.push(...guard.outranking.sources, this.dateValue(guard.outranking.notAfter));
		}
		const sql = `UPDATE ${quoteId(t.table, true)} SET ${sets.map(([c]) => `${quoteId(c)} = ?`).join(', ')} WHERE ${where.join(' AND ')}`;
		const [result] = await this.db.query(sql, params);
		return (result as ResultHeader).affectedRows === 1;
	}

	/** One guarded DELETE: the row goes only while its status (and version) are still what the caller saw. */
	async remove(record: StatusSnapshot, guard: WriteGuard): Promise<boolean> {
		const t = this.t;
		const known = guard.allowedFrom.filter((s) => s !== '');
		if (!known.length) return false;
		const where = [`${quoteId(t.idColumn)} = ?`, `${quoteId(t.statusColumn)} IN (${known.map(() => '?').join(', ')})`];
		const params: unknown[] = [record.id, ...known];
		if (guard.expectedVersion !== undefined && t.versionColumn) {
			where.push(`COALESCE(${quoteId(t.versionColumn)}, 0) = ?`);
			params.push(guard.expectedVersion);
		}
		const [result] = await this.db.query(`DELETE FROM ${quoteId(t.table, true)} WHERE ${where.join(' AND ')}`, params);
		return (result as ResultHeader).affectedRows === 1;
	}

	async create(key: string, write: StatusWrite): Promise<{ record: StatusSnapshot; created: boolean }> {
		const t = this.t;
		if (!t.keyColumn) throw new StatusStoreConfigError('Set the key column to create missing records');
		const cols = this.assignments(write).filter(([c]) => c !== t.keyColumn);
		cols.unshift([t.keyColumn, key]);
		try {
			await this.db.query(
				`INSERT INTO ${quoteId(t.table, true)} (${cols.map(([c]) => quoteId(c)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
				cols.map(([, v]) => v),
			);
		} catch (err) {
			// Another execution inserted the same key first (the unique key on the key column says so).
			if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
			const existing = await this.read({ by: 'key', value: key });
			if (!existing) throw err;
			return { record: existing, created: false };
		}
		const record = await this.read({ by: 'key', value: key });
		if (!record) throw new StatusStoreConfigError(`The row for key "${key}" was inserted but cannot be read back`);
		return { record, created: true };
	}

	async findStuck(rules: StuckRule[], limit: number): Promise<StatusSnapshot[]> {
		const t = this.t;
		if (!t.statusTimeColumn) throw new StatusStoreConfigError('Set the status time column to find stuck records');
		if (!rules.length) return [];
		const time = quoteId(t.statusTimeColumn);
		const status = quoteId(t.statusColumn);
		const params: unknown[] = [];
		const ors = rules.map((r) => {
			params.push(r.status, this.dateValue(r.before));
			return `(${status} = ? AND ${time} < ?)`;
		});
		params.push(Math.max(0, Math.floor(limit)));
		const [rows] = await this.db.query(
			`SELECT * FROM ${quoteId(t.table, true)} WHERE ${ors.join(' OR ')} ORDER BY ${time} ASC, ${quoteId(t.idColumn)} ASC LIMIT ?`,
			params,
		);
		return (rows as Array<Record<string, unknown>>).map((r) => this.snapshot(r));
	}
}
