import { type MySqlPool, lockName } from '../../mysql';
import { chunk } from '../../resilience';
import type { Checkpoint, OperationResult } from '../applyOperations';
import { type DeptRecord, type Records, type UserRecord, emptyRecords } from '../records';
import type { Operation } from '../types';
import {
	LockBusyError,
	type LockGuard,
	LockLostError,
	type RecordChanges,
	type RunRecord,
	type StateStore,
	type TargetMeta,
} from './stateStore';

/** Table names share a prefix the user may change (letters, digits, underscore). */
export function stateTables(prefix = 'wps_sync_') {
	if (!/^[A-Za-z0-9_]{1,40}$/.test(prefix))
		throw new Error(`state table prefix "${prefix}" may only hold letters, digits and _`);
	return {
		target: `${prefix}target`,
		object: `${prefix}object`,
		blob: `${prefix}blob`,
		run: `${prefix}run`,
		progress: `${prefix}progress`,
	};
}

const created = new WeakMap<MySqlPool, Set<string>>();

/** Tables are created on first use (idempotent DDL, once per pool and prefix). */
export async function ensureStateTables(pool: MySqlPool, prefix?: string): Promise<void> {
	const t = stateTables(prefix);
	let done = created.get(pool);
	if (!done) created.set(pool, (done = new Set()));
	if (done.has(t.target)) return;
	const ddl = [
		`CREATE TABLE IF NOT EXISTS \`${t.target}\` (target_key VARCHAR(64) NOT NULL PRIMARY KEY, meta LONGTEXT NOT NULL, updated_at BIGINT NOT NULL) DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS \`${t.object}\` (target_key VARCHAR(64) NOT NULL, kind VARCHAR(8) NOT NULL, ex_id VARCHAR(191) NOT NULL, wps_id VARCHAR(64) NOT NULL, data LONGTEXT NOT NULL, written_at BIGINT NOT NULL, disabled_at BIGINT NULL, PRIMARY KEY (target_key, kind, ex_id)) DEFAULT CHARSET=utf8mb4`,
		// Large JSON (staged snapshots, a run's operations, reverse plans) in pieces: a plan for 50,000 users is
		// larger than MySQL's default 16 MB packet.
		`CREATE TABLE IF NOT EXISTS \`${t.blob}\` (target_key VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, ref VARCHAR(64) NOT NULL, seq INT NOT NULL, data MEDIUMTEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (target_key, kind, ref, seq)) DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS \`${t.run}\` (target_key VARCHAR(64) NOT NULL, run_id VARCHAR(64) NOT NULL, plan_id VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL, summary LONGTEXT NULL, started_at BIGINT NOT NULL, finished_at BIGINT NULL, PRIMARY KEY (target_key, run_id), KEY by_status (target_key, status)) DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS \`${t.progress}\` (target_key VARCHAR(64) NOT NULL, run_id VARCHAR(64) NOT NULL, op_id VARCHAR(191) NOT NULL, status VARCHAR(16) NOT NULL, wps_id VARCHAR(64) NULL, code VARCHAR(128) NULL, message TEXT NULL, finished_at BIGINT NOT NULL, PRIMARY KEY (target_key, run_id, op_id)) DEFAULT CHARSET=utf8mb4`,
	];
	for (const sql of ddl) await pool.query(sql);
	done.add(t.target);
}

type Row = Record<string, unknown>;

/** State of one target in MySQL; every write is its own statement, so a killed process loses at most the operation in flight. */
export class MySqlStateStore implements StateStore {
	private readonly t: ReturnType<typeof stateTables>;

	/** How often the lock's connection is pinged while held (an idle connection may be cut by a proxy or wait_timeout). */
	keepAliveMs = 60_000;
	/** Runs `fn` every `ms` until the returned stop is called (tests inject their own clock). */
	schedule: (fn: () => void, ms: number) => () => void = (fn, ms) => {
		const timer = setInterval(fn, ms);
		timer.unref?.();
		return () => clearInterval(timer);
	};

	constructor(
		private readonly pool: MySqlPool,
		private readonly targetKey: string,
		prefix?: string,
		private readonly now: () => number = Date.now,
	) {
		this.t = stateTables(prefix);
	}

	static async open(pool: MySqlPool, targetKey: string, prefix?: string, now?: () => number): Promise<MySqlStateStore> {
		await ensureStateTables(pool, prefix);
		return new MySqlStateStore(pool, targetKey, prefix, now);
	}

	private async rows(sql: string, params: unknown[]): Promise<Row[]> {
		const [rows] = await this.pool.query(sql, params);
		return rows as Row[];
	}

	async loadMeta(): Promise<TargetMeta> {
		const rows = await this.rows(`SELECT meta FROM \`${this.t.target}\` WHERE target_key = ?`, [this.targetKey]);
		return rows.length ? (JSON.parse(String(rows[0].meta)) as TargetMeta) : { runsSinceFull: 0, needsFull: false };
	}

	async saveMeta(meta: TargetMeta): Promise<void> {
		await this.pool.query(
			`INSERT INTO \`${this.t.target}\` (target_key, meta, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE meta = VALUES(meta), updated_at = VALUES(updated_at)`,
			[this.targetKey, JSON.stringify(meta), this.now()],
		);
	}

	async loadRecords(): Promise<Records> {
		const records = emptyRecords();
		const rows = await this.rows(
			`SELECT kind, ex_id, data, written_at, disabled_at FROM \`${this.t.object}\` WHERE target_key = ?`,
			[this.targetKey],
		);
		for (const row of rows) {
			const ex = String(row.ex_id);
			const writtenAt = Number(row.written_at);
			if (row.kind === 'dept') {
				records.depts.set(ex, { kind: 'dept', ex, data: JSON.parse(String(row.data)), writtenAt });
			} else {
				const disabledAt = row.disabled_at === null ? null : Number(row.disabled_at);
				records.users.set(ex, { kind: 'user', ex, data: JSON.parse(String(row.data)), writtenAt, disabledAt });
			}
		}
		return records;
	}

	async saveRecordChanges(changes: RecordChanges): Promise<void> {
		for (const part of chunk(changes.upserts, 500)) {
			const values = part.map((r) => [
				this.targetKey,
				r.kind,
				r.ex,
				r.data.id,
				JSON.stringify(r.data),
				r.writtenAt,
				r.kind === 'user' ? ((r as UserRecord).disabledAt ?? null) : null,
			]);
			await this.pool.query(
				`INSERT INTO \`${this.t.object}\` (target_key, kind, ex_id, wps_id, data, written_at, disabled_at) VALUES ? ON DUPLICATE KEY UPDATE wps_id = VALUES(wps_id), data = VALUES(data), written_at = VALUES(written_at), disabled_at = VALUES(disabled_at)`,
				[values],
			);
		}
		for (const kind of ['dept', 'user'] as const) {
			const exs = changes.deletes.filter((d) => d.kind === kind).map((d) => d.ex);
			for (const part of chunk(exs, 500)) {
				await this.pool.query(`DELETE FROM \`${this.t.object}\` WHERE target_key = ? AND kind = ? AND ex_id IN (?)`, [
					this.targetKey,
					kind,
					part,
				]);
			}
		}
	}

	private async putBlob(kind: string, ref: string, value: unknown): Promise<void> {
		const text = JSON.stringify(value);
		await this.pool.query(`DELETE FROM \`${this.t.blob}\` WHERE target_key = ? AND kind = ? AND ref = ?`, [
			this.targetKey,
			kind,
			ref,
		]);
		const piece = 1_000_000; // characters: at most 4 MB of utf8mb4
		for (let seq = 0, at = 0; at < text.length || seq === 0; seq++, at += piece) {
			await this.pool.query(
				`INSERT INTO \`${this.t.blob}\` (target_key, kind, ref, seq, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				[this.targetKey, kind, ref, seq, text.slice(at, at + piece), this.now()],
			);
		}
	}

	private async getBlob<T>(kind: string, ref: string): Promise<T | undefined> {
		const rows = await this.rows(
			`SELECT data FROM \`${this.t.blob}\` WHERE target_key = ? AND kind = ? AND ref = ? ORDER BY seq`,
			[this.targetKey, kind, ref],
		);
		return rows.length ? (JSON.parse(rows.map((r) => String(r.data)).join('')) as T) : undefined;
	}

	async stage(planId: string, changes: RecordChanges): Promise<void> {
		await this.putBlob('stage', planId, changes);
		// Old previews that were never applied are of no further use.
		await this.pool.query(`DELETE FROM \`${this.t.blob}\` WHERE target_key = ? AND kind = 'stage' AND created_at < ?`, [
			this.targetKey,
			this.now() - 7 * 86_400_000,
		]);
	}

	async loadStage(planId: string): Promise<RecordChanges | undefined> {
		return this.getBlob<RecordChanges>('stage', planId);
	}

	async unfinishedRun(): Promise<RunRecord | undefined> {
		const rows = await this.rows(
			`SELECT run_id, plan_id, started_at FROM \`${this.t.run}\` WHERE target_key = ? AND status = 'running' ORDER BY started_at LIMIT 1`,
			[this.targetKey],
		);
		if (!rows.length) return undefined;
		const r = rows[0];
		const runId = String(r.run_id);
		return {
			runId,
			planId: String(r.plan_id),
			status: 'running',
			operations: (await this.getBlob<Operation[]>('ops', runId)) ?? [],
			startedAt: Number(r.started_at),
		};
	}

	async startRun(run: Omit<RunRecord, 'status'>): Promise<void> {
		// The operations first: a run row marked running always has its operations stored.
		await this.putBlob('ops', run.runId, run.operations);
		await this.pool.query(
			`INSERT INTO \`${this.t.run}\` (target_key, run_id, plan_id, status, started_at) VALUES (?, ?, ?, 'running', ?) ON DUPLICATE KEY UPDATE status = 'running', finished_at = NULL`,
			[this.targetKey, run.runId, run.planId, run.startedAt],
		);
	}

	async checkpoint(runId: string): Promise<Checkpoint> {
		const rows = await this.rows(
			`SELECT op_id, status, wps_id FROM \`${this.t.progress}\` WHERE target_key = ? AND run_id = ?`,
			[this.targetKey, runId],
		);
		const finished = new Map(
			rows.map((r) => [
				String(r.op_id),
				{ status: r.status as OperationResult['status'], wpsId: r.wps_id === null ? undefined : String(r.wps_id) },
			]),
		);
		const write = async (results: OperationResult[]) => {
			for (const part of chunk(results, 500)) {
				const values = part.map((r) => [
					this.targetKey,
					runId,
					r.id,
					r.status,
					r.wpsId ?? null,
					r.code?.slice(0, 128) ?? null,
					r.message?.slice(0, 2000) ?? null,
					this.now(),
				]);
				await this.pool.query(
					`INSERT INTO \`${this.t.progress}\` (target_key, run_id, op_id, status, wps_id, code, message, finished_at) VALUES ? ON DUPLICATE KEY UPDATE status = VALUES(status), wps_id = VALUES(wps_id), code = VALUES(code), message = VALUES(message), finished_at = VALUES(finished_at)`,
					[values],
				);
			}
		};
		// Group commit: results that finish while a write is in flight go together in the next one (one
		// commit, one fsync, for many operations). Each caller still resolves only once its own results
		// are stored, so an operation's dependents start after its checkpoint, as before.
		let queued: { results: OperationResult[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
		let flushing = false;
		const flush = async () => {
			flushing = true;
			while (queued.length) {
				const batch = queued;
				queued = [];
				try {
					await write(batch.flatMap((b) => b.results));
					for (const b of batch) b.resolve();
				} catch (error) {
					for (const b of batch) b.reject(error);
				}
			}
			flushing = false;
		};
		return {
			finished,
			record: (results: OperationResult[]) =>
				new Promise<void>((resolve, reject) => {
					queued.push({ results, resolve, reject });
					if (!flushing) void flush();
				}),
		};
	}

	async finishRun(runId: string, status: 'done' | 'failed', summary: unknown, reverse: Operation[]): Promise<void> {
		await this.putBlob('reverse', runId, reverse);
		await this.pool.query(
			`UPDATE \`${this.t.run}\` SET status = ?, summary = ?, finished_at = ? WHERE target_key = ? AND run_id = ?`,
			[status, JSON.stringify(summary), this.now(), this.targetKey, runId],
		);
	}

	/** The reverse plan a finished run stored (for a rollback later). */
	async reverseOf(runId: string): Promise<Operation[] | undefined> {
		return this.getBlob<Operation[]>('reverse', runId);
	}

	async loadReverse(runId: string): Promise<Operation[] | undefined> {
		return this.reverseOf(runId);
	}

	/** Name of the MySQL named lock of this target (server-wide: every worker sharing the database sees it). */
	get lockKey(): string {
		return lockName(`wps-contacts:${this.targetKey}`);
	}

	/**
	 * GET_LOCK on a connection of its own, held as long as `fn` runs (hours for a large first sync):
	 * the connection is pinged every `keepAliveMs`, and the guard asks the server, before each write,
	 * whether this connection still holds the lock. MySQL releases a named lock when its connection
	 * ends, so a dropped connection means another run may hold it now: the guard then throws.
	 */
	async withLock<T>(waitSec: number, fn: (lock: LockGuard) => Promise<T>): Promise<T> {
		const key = this.lockKey;
		const connection = await this.pool.getConnection();
		let lost: LockLostError | undefined;
		try {
			const [rows] = await connection.query('SELECT GET_LOCK(?, ?) AS got', [key, waitSec]);
			if ((rows as Array<{ got: number | null }>)[0]?.got !== 1) throw new LockBusyError(waitSec);
			let checking: Promise<void> | undefined;
			const check = (): Promise<void> =>
				(checking ??= (async () => {
					try {
						const [held] = await connection.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS held', [key]);
						if (Number((held as Array<{ held: number | null }>)[0]?.held) !== 1)
							lost ??= new LockLostError('another connection holds it now');
					} catch (error) {
						lost ??= new LockLostError(`its MySQL connection failed: ${(error as Error).message}`);
					} finally {
						checking = undefined;
					}
				})());
			const stopKeepAlive = this.schedule(() => void check(), this.keepAliveMs);
			const guard: LockGuard = {
				assertHeld: async () => {
					if (!lost) await check();
					if (lost) throw lost;
				},
			};
			try {
				return await fn(guard);
			} finally {
				stopKeepAlive();
				if (!lost) await connection.query('SELECT RELEASE_LOCK(?)', [key]).catch(() => undefined);
			}
		} finally {
			// A connection that failed is not handed back to the pool.
			if (lost) connection.destroy();
			else connection.release();
		}
	}

	async savePlan(planId: string, operations: Operation[]): Promise<void> {
		await this.putBlob('plan', planId, operations);
		await this.pool.query(`DELETE FROM \`${this.t.blob}\` WHERE target_key = ? AND kind = 'plan' AND created_at < ?`, [
			this.targetKey,
			this.now() - 7 * 86_400_000,
		]);
	}

	async loadPlan(planId: string): Promise<Operation[] | undefined> {
		return this.getBlob<Operation[]>('plan', planId);
	}
}

export type { DeptRecord };
