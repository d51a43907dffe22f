import { ServiceError } from '../errors';
import { isPrototypeName, ownValue } from '../objectKeys';
import type { SessionCounters } from './counters';
import { escapeIdentifier, quoteIdentifier } from './identifiers';
import type { MySqlConnection } from './pool';
import type { WatermarkPosition } from './watermark';

/** A position that the Commit step made final. */
export interface CommittedWatermark {
	position: WatermarkPosition;
	/** watermarkConfigKey() of the setup it belongs to. */
	config: string;
	committedAt: string;
	/** The execution whose Commit step made it final. */
	executionId: string;
}

/** Where a read ended; becomes committed only when the same execution reaches Commit. */
export interface PendingWatermark {
	executionId: string;
	position: WatermarkPosition;
	config: string;
	rows: number;
	readAt: string;
}

/** What the last read did (shown for diagnosis; `serverCounters` only with the debug option). */
export interface ReadStats {
	executionId: string;
	rows: number;
	/** The read hit its cap: more rows wait for the next run. */
	full: boolean;
	at: string;
	serverCounters?: SessionCounters;
}

export interface WatermarkState {
	committed?: CommittedWatermark;
	pending?: PendingWatermark;
	lastRead?: ReadStats;
}

export interface CommitResult {
	committed: boolean;
	position?: WatermarkPosition;
}

/** Where named watermarks live: n8n workflow static data, or a state table in MySQL. */
export interface WatermarkStore {
	load(name: string): Promise<WatermarkState>;
	/** Records a read: its candidate position (if it read rows) and its stats. */
	recordRead(name: string, pending: PendingWatermark | undefined, stats: ReadStats): Promise<void>;
	/** Makes the pending position of `executionId` the committed one; anything else commits nothing. */
	commit(name: string, executionId: string, at: string): Promise<CommitResult>;
	/** Forgets the watermark: the next read starts from the start value. */
	reset(name: string): Promise<void>;
}

/** Raised for a watermark name that would reach an object's prototype ("__proto__", "constructor"). */
export class InvalidWatermarkNameError extends ServiceError {
	constructor(readonly watermarkName: string) {
		super(`The watermark name "${watermarkName}" is reserved: pick another name (e.g. "orders")`, {
			service: 'package',
			kind: 'input',
		});
	}
}

/** Throws InvalidWatermarkNameError for a name that cannot be a key of the static data. */
export function checkWatermarkName(name: string): void {
	if (isPrototypeName(name)) throw new InvalidWatermarkNameError(name);
}

/** The key under the workflow's global static data. */
export const STATIC_DATA_KEY = 'mySqlQueryWatermarks';

/**
 * Watermarks in n8n's workflow static data (`getWorkflowStaticData('global')`), which n8n saves
 * after every non-manual execution, failed ones included: hence the pending/commit split.
 */
export class StaticDataWatermarkStore implements WatermarkStore {
	constructor(private readonly staticData: Record<string, unknown>) {}

	private all(): Record<string, WatermarkState> {
		const existing = this.staticData[STATIC_DATA_KEY];
		if (existing && typeof existing === 'object') return existing as Record<string, WatermarkState>;
		const created: Record<string, WatermarkState> = {};
		this.staticData[STATIC_DATA_KEY] = created;
		return created;
	}

	/** The state of `name` (own properties only: see lib/objectKeys). */
	private state(name: string): WatermarkState | undefined {
		checkWatermarkName(name);
		return ownValue(this.all(), name);
	}

	async load(name: string): Promise<WatermarkState> {
		// A JSON copy: n8n wraps static data in proxies that structuredClone refuses.
		return JSON.parse(JSON.stringify(this.state(name) ?? {})) as WatermarkState;
	}

	async recordRead(name: string, pending: PendingWatermark | undefined, stats: ReadStats): Promise<void> {
		let state = this.state(name);
		if (!state) {
			state = {};
			this.all()[name] = state;
		}
		if (pending) state.pending = pending;
		state.lastRead = stats;
	}

	async commit(name: string, executionId: string, at: string): Promise<CommitResult> {
		const state = this.state(name);
		const pending = state?.pending;
		if (state?.committed?.executionId === executionId) return { committed: true, position: state.committed.position };
		if (!state || !pending || pending.executionId !== executionId) return { committed: false };
		state.committed = { position: pending.position, config: pending.config, committedAt: at, executionId };
		delete state.pending;
		return { committed: true, position: pending.position };
	}

	async reset(name: string): Promise<void> {
		if (this.state(name)) delete this.all()[name];
	}
}

/**
 * Watermarks in a small table of a MySQL database the user names: shared by every n8n worker
 * (queue mode) and kept by manual runs too. Names are unique in the table.
 */
export class MySqlTableWatermarkStore implements WatermarkStore {
	private readonly table: string;
	private ready = false;

	constructor(
		private readonly connection: () => Promise<MySqlConnection>,
		database: string,
		table: string,
	) {
		this.table = database.trim()
			? `${quoteIdentifier(database.trim())}.${quoteIdentifier(table.trim())}`
			: escapeIdentifier(table);
	}

	private async db(): Promise<MySqlConnection> {
		const connection = await this.connection();
		if (!this.ready) {
			await connection.query(
				`CREATE TABLE IF NOT EXISTS ${this.table} (
					name VARCHAR(191) NOT NULL PRIMARY KEY,
					committed_position TEXT NULL,
					pending_position TEXT NULL,
					pending_execution VARCHAR(64) NULL,
					last_read TEXT NULL,
					updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
				) DEFAULT CHARSET = utf8mb4`,
			);
			this.ready = true;
		}
		return connection;
	}

	async load(name: string): Promise<WatermarkState> {
		const [rows] = await (
			await this.db()
		).execute(`SELECT committed_position, pending_position, last_read FROM ${this.table} WHERE name = ?`, [name]);
		const row = (rows as Array<Record<string, string | null>>)[0];
		if (!row) return {};
		const parse = <T>(text: string | null): T | undefined => (text ? (JSON.parse(text) as T) : undefined);
		return {
			committed: parse<CommittedWatermark>(row.committed_position),
			pending: parse<PendingWatermark>(row.pending_position),
			lastRead: parse<ReadStats>(row.last_read),
		};
	}

	async recordRead(name: string, pending: PendingWatermark | undefined, stats: ReadStats): Promise<void> {
		const db = await this.db();
		if (pending) {
			await db.execute(
				`INSERT INTO ${this.table} (name, pending_position, pending_execution, last_read) VALUES (?, ?, ?, ?)
				 ON DUPLICATE KEY UPDATE pending_position = VALUES(pending_position),
				   pending_execution = VALUES(pending_execution), last_read = VALUES(last_read)`,
				[name, JSON.stringify(pending), pending.executionId, JSON.stringify(stats)],
			);
		} else {
			await db.execute(
				`INSERT INTO ${this.table} (name, last_read) VALUES (?, ?) ON DUPLICATE KEY UPDATE last_read = VALUES(last_read)`,
				[name, JSON.stringify(stats)],
			);
		}
	}

	async commit(name: string, executionId: string, at: string): Promise<CommitResult> {
		const db = await this.db();
		const state = await this.load(name);
		const pending = state.pending;
		if (state.committed?.executionId === executionId) return { committed: true, position: state.committed.position };
		if (!pending || pending.executionId !== executionId) return { committed: false };
		const committed: CommittedWatermark = {
			position: pending.position,
			config: pending.config,
			committedAt: at,
			executionId,
		};
		// Conditional on the execution id: a newer read (another worker) in between wins, nothing is lost.
		const [result] = await db.execute(
			`UPDATE ${this.table} SET committed_position = ?, pending_position = NULL, pending_execution = NULL
			 WHERE name = ? AND pending_execution = ?`,
			[JSON.stringify(committed), name, executionId],
		);
		const done = (result as { affectedRows: number }).affectedRows === 1;
		return done ? { committed: true, position: pending.position } : { committed: false };
	}

	async reset(name: string): Promise<void> {
		await (await this.db()).execute(`DELETE FROM ${this.table} WHERE name = ?`, [name]);
	}
}
