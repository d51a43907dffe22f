import type { BoundStatement } from './binding';
import type { MySqlCredentialData } from './credentials';
import { toConnectionError, toQueryError } from './errors';
import type { MySqlConnection, MySqlPool } from './pool';
import { getConnection, poolTimeZone } from './pool';
import type { TextRowParser } from './rowParser';
import { textRowParser } from './rowParser';
import type { BinaryOutput, ColumnInfo, NumberOutput, ValueOptions } from './types';
import { columnKey, jsonCandidates, parseJson, rowConverter } from './types';

export type Row = Record<string, unknown>;

/** A statement's result set (its rows already converted, see types.ts). */
export interface RowsResult {
	kind: 'rows';
	fields: ColumnInfo[];
	rows: Row[];
	/** The statement had more rows than `maxRows`; reading stopped there. */
	truncated: boolean;
}

/** A statement without a result set (INSERT, UPDATE, DDL, ...). */
export interface OkResult {
	kind: 'ok';
	affectedRows: number;
	insertId: number | string;
	changedRows?: number;
	warningStatus: number;
	info?: string;
}

export type StatementResult = RowsResult | OkResult;

export interface RunOptions {
	/** Stop reading after this many rows (the connection is then dropped so the server stops sending). */
	maxRows?: number;
	/** Columns returned exactly as the driver gives them (used for the watermark's own values). */
	rawColumns?: ReadonlySet<string>;
}

interface ResultHeader {
	affectedRows: number;
	insertId: number | string;
	changedRows?: number;
	warningStatus: number;
	info?: string;
	constructor: { name: string };
}

interface StreamingCommand {
	on(event: 'fields', listener: (fields: ColumnInfo[] | undefined) => void): StreamingCommand;
	on(event: 'result', listener: (row: Row | ResultHeader) => void): StreamingCommand;
	on(event: 'error', listener: (err: unknown) => void): StreamingCommand;
	on(event: 'end', listener: () => void): StreamingCommand;
}

/**
 * Makes mysql2's Query command read rows with `parser` instead of the parser it compiles: the
 * 'fields' event comes just before the command stores its parser in `_rowParser` (mysql2
 * lib/commands/query.js, pinned in package.json), so that store is caught and ours served in its
 * place. Returns a function telling whether the store happened; if a mysql2 version stores it
 * elsewhere, rows come in mysql2's shapes and the caller converts them instead.
 */
export function useRowParser(command: StreamingCommand, parser: TextRowParser): () => boolean {
	let stored = false;
	Object.defineProperty(command, '_rowParser', {
		configurable: true,
		get: () => parser,
		set: () => {
			stored = true;
		},
	});
	return () => stored;
}

interface CoreConnection {
	query(sql: string): StreamingCommand;
	execute(sql: string, values: unknown[]): StreamingCommand;
}

function okResult(header: ResultHeader): OkResult {
	return {
		kind: 'ok',
		affectedRows: header.affectedRows,
		insertId: header.insertId,
		changedRows: header.changedRows,
		warningStatus: header.warningStatus,
		info: header.info || undefined,
	};
}

export interface SessionOptions {
	numbers?: NumberOutput;
	binary?: BinaryOutput;
}

/**
 * One MySQL session for a node run: statements run one after another on the same connection, rows
 * are received as a stream (so a row cap stops reading early) and converted as they arrive.
 */
export class MySqlSession {
	private connection: MySqlConnection | undefined;
	private readonly jsonColumns = new Map<string, Set<string>>();
	/** Row parsers by result shape: a query run once per item compiles its parser once. */
	private readonly parsers = new Map<string, TextRowParser>();
	readonly values: ValueOptions;

	constructor(
		readonly pool: MySqlPool,
		readonly cred: MySqlCredentialData,
		options: SessionOptions = {},
	) {
		this.values = { numbers: options.numbers ?? 'text', binary: options.binary ?? 'base64', zone: poolTimeZone(pool) };
	}

	/** The session's connection (opened on first use; a new one after a capped read dropped the old). */
	async connect(): Promise<MySqlConnection> {
		this.connection ??= await getConnection(this.pool, this.cred);
		return this.connection;
	}

	release(): void {
		this.connection?.release();
		this.connection = undefined;
	}

	/** Runs one statement; values go to the server apart from the SQL (a prepared statement). */
	async run(statement: BoundStatement, options: RunOptions = {}): Promise<StatementResult[]> {
		const connection = await this.connect();
		const results = await this.stream(connection, statement, options);
		for (const result of results) {
			if (result.kind === 'rows' && result.rows.length) await this.parseJsonColumns(result, options.rawColumns);
		}
		return results;
	}

	private fail(err: unknown): Error {
		// Fatal errors are the connection's (lost, reset); others are the statement's.
		return (err as { fatal?: boolean }).fatal
			? toConnectionError(err, this.cred)
			: toQueryError(err, this.cred.password);
	}

	/**
	 * Receives rows one by one and converts each as it arrives: while a row is new its old values
	 * die young, which costs far less time and memory than a pass over a million rows afterwards.
	 * One row past `maxRows` ends the read and drops the connection, so the server stops sending.
	 */
	private stream(
		connection: MySqlConnection,
		statement: BoundStatement,
		options: RunOptions,
	): Promise<StatementResult[]> {
		const core = (connection as unknown as { connection: CoreConnection }).connection;
		const { maxRows, rawColumns } = options;
		return new Promise((resolve, reject) => {
			const results: StatementResult[] = [];
			let current: RowsResult | undefined;
			let convert: ((row: Row) => void) | undefined;
			let settled = false;
			const finish = (err?: unknown) => {
				if (settled) return;
				settled = true;
				if (err === undefined) resolve(results);
				else reject(this.fail(err));
			};
			// Without values the text protocol, whose rows our own parser converts while reading them;
			// with values the binary protocol (a prepared statement), whose rows are converted after.
			const textProtocol = !statement.values.length;
			const command = textProtocol ? core.query(statement.sql) : core.execute(statement.sql, statement.values);
			let parsedByUs: () => boolean = () => false;
			command.on('fields', (fields) => {
				current = fields ? { kind: 'rows', fields, rows: [], truncated: false } : undefined;
				if (!current) return;
				results.push(current);
				const converted = rawColumns ? fields!.filter((f) => !rawColumns.has(f.name)) : fields!;
				convert = rowConverter(converted, this.values);
				if (textProtocol) parsedByUs = useRowParser(command, this.textParser(fields!, rawColumns));
			});
			command.on('result', (row) => {
				if (settled) return;
				if (!current) {
					results.push(okResult(row as ResultHeader));
					return;
				}
				if (maxRows !== undefined && current.rows.length >= maxRows) {
					current.truncated = true;
					this.connection = undefined;
					connection.destroy();
					finish();
					return;
				}
				if (convert && !parsedByUs()) convert(row as Row);
				current.rows.push(row as Row);
			});
			command.on('error', (err) => finish(err));
			command.on('end', () => finish());
		});
	}

	private textParser(fields: ColumnInfo[], rawColumns?: ReadonlySet<string>): TextRowParser {
		const key = JSON.stringify([
			[...(rawColumns ?? [])],
			fields.map((f) => [
				f.name,
				f.columnType,
				f.characterSet,
				f.columnLength,
				f.decimals,
				f.encoding,
				f.extendedFormat,
			]),
		]);
		let parser = this.parsers.get(key);
		if (!parser) {
			if (this.parsers.size >= 100) this.parsers.clear();
			parser = textRowParser(fields, this.values, rawColumns);
			this.parsers.set(key, parser);
		}
		return parser;
	}

	/** Parses the result's MariaDB JSON columns (text until their json_valid check is looked up). */
	private async parseJsonColumns(result: RowsResult, rawColumns?: ReadonlySet<string>): Promise<void> {
		const candidates = jsonCandidates(
			rawColumns ? result.fields.filter((f) => !rawColumns.has(f.name)) : result.fields,
		);
		if (!candidates.length) return;
		const jsonColumns = await this.findJsonColumns(candidates);
		const names = candidates
			.filter((f) => jsonColumns.has(columnKey(f.schema!, f.orgTable!, f.orgName!)))
			.map((f) => f.name);
		for (const row of result.rows) {
			for (const name of names) {
				const value = row[name];
				if (typeof value === 'string') row[name] = parseJson(value);
			}
		}
	}

	/**
	 * MariaDB sends JSON columns as LONGTEXT; they are known by their `json_valid` check. Looked up
	 * once per table and session (MySQL 8 has a real JSON type and no such table column: nothing to do).
	 */
	private async findJsonColumns(candidates: ColumnInfo[]): Promise<Set<string>> {
		const found = new Set<string>();
		const missing = new Map<string, { schema: string; table: string }>();
		for (const field of candidates) {
			const tableKey = `${field.schema}\u0000${field.orgTable}`;
			if (!this.jsonColumns.has(tableKey)) missing.set(tableKey, { schema: field.schema!, table: field.orgTable! });
		}
		if (missing.size) {
			const connection = await this.connect();
			for (const key of missing.keys()) this.jsonColumns.set(key, new Set());
			try {
				const tables = [...missing.values()];
				const [rows] = await connection.execute(
					`SELECT CONSTRAINT_SCHEMA AS s, TABLE_NAME AS t, CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS
					 WHERE ${tables.map(() => '(CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?)').join(' OR ')}`,
					tables.flatMap((t) => [t.schema, t.table]),
				);
				for (const row of rows as Array<{ s: string; t: string; c: string }>) {
					const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(row.c.trim());
					if (match) this.jsonColumns.get(`${row.s}\u0000${row.t}`)?.add(match[1].replace(/``/g, '`'));
				}
			} catch {
				// Not MariaDB (no TABLE_NAME there): JSON columns have their own type and are parsed already.
			}
		}
		for (const field of candidates) {
			const columns = this.jsonColumns.get(`${field.schema}\u0000${field.orgTable}`);
			if (columns?.has(field.orgName!)) found.add(columnKey(field.schema!, field.orgTable!, field.orgName!));
		}
		return found;
	}
}
