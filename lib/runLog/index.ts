/**
 * Run log and status event log in MySQL: one row per sync run (`sync_logs`), one row per status transition attempt
 * (`status_events`). Each table is created on first use (CREATE TABLE IF NOT EXISTS), so a user only names it.
 * Writing a log row never changes the outcome of the run it describes: callers report a log failure beside it.
 */
import { escapeIdentifier } from '../mysql/identifiers';

/** The little of a mysql2 pool / connection this needs (a test may pass a connection). */
export interface Executor {
	query(sql: string, values?: unknown[]): Promise<unknown>;
}

export const DEFAULT_RUN_LOG_TABLE = 'sync_logs';
export const DEFAULT_STATUS_EVENT_TABLE = 'status_events';

export type RunStatus = 'success' | 'failed' | 'dry_run';

export interface RunLogEntry {
	/** What ran: "bitable_sync" or "wps_contacts". */
	job: string;
	/** The target (base/table, or the WPS tenant), for filtering. */
	target?: string;
	workflowId?: string;
	executionId?: string;
	nodeName?: string;
	startedAt: Date;
	endedAt: Date;
	status: RunStatus;
	created?: number;
	updated?: number;
	deleted?: number;
	unchanged?: number;
	failed?: number;
	apiCalls?: number;
	/** The error message of a failed run (trimmed to 4,000 characters). */
	error?: string;
}

const RUN_LOG_COLUMNS = `(
	id BIGINT AUTO_INCREMENT PRIMARY KEY,
	job VARCHAR(64) NOT NULL,
	target VARCHAR(255) NULL,
	workflow_id VARCHAR(64) NULL,
	execution_id VARCHAR(64) NULL,
	node_name VARCHAR(255) NULL,
	started_at DATETIME(3) NOT NULL,
	ended_at DATETIME(3) NOT NULL,
	status VARCHAR(16) NOT NULL,
	created_count INT NOT NULL DEFAULT 0,
	updated_count INT NOT NULL DEFAULT 0,
	deleted_count INT NOT NULL DEFAULT 0,
	unchanged_count INT NOT NULL DEFAULT 0,
	failed_count INT NOT NULL DEFAULT 0,
	api_calls INT NOT NULL DEFAULT 0,
	error_text TEXT NULL,
	KEY ix_started (started_at),
	KEY ix_job_started (job, started_at)
) DEFAULT CHARSET = utf8mb4`;

const ERROR_LIMIT = 4000;
const count = (n: number | undefined) => (Number.isFinite(n) ? Math.max(0, Math.trunc(n as number)) : 0);

/** Appends one run's row, creating the table when it does not exist yet. Times are stored in UTC. */
export async function appendRunLog(db: Executor, table: string, entry: RunLogEntry): Promise<void> {
	const name = escapeIdentifier(table || DEFAULT_RUN_LOG_TABLE);
	await db.query(`CREATE TABLE IF NOT EXISTS ${name} ${RUN_LOG_COLUMNS}`);
	await db.query(
		`INSERT INTO ${name} (job, target, workflow_id, execution_id, node_name, started_at, ended_at, status, created_count, updated_count, deleted_count, unchanged_count, failed_count, api_calls, error_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		[
			entry.job,
			entry.target ?? null,
			entry.workflowId ?? null,
			entry.executionId ?? null,
			entry.nodeName ?? null,
			utc(entry.startedAt),
			utc(entry.endedAt),
			entry.status,
			count(entry.created),
			count(entry.updated),
			count(entry.deleted),
			count(entry.unchanged),
			count(entry.failed),
			count(entry.apiCalls),
			entry.error ? entry.error.slice(0, ERROR_LIMIT) : null,
		],
	);
}

export interface StatusEvent {
	/** The record's business key (e.g. the task id) and, when known, its Bitable record id / MySQL row id. */
	recordKey: string;
	recordId?: string;
	fromStatus?: string | null;
	toStatus: string;
	source?: string;
	/** The version the caller expected, and the version after an applied transition. */
	expectedVersion?: number | null;
	version?: number | null;
	outcome: 'applied' | 'skipped' | 'failed';
	/** Why it was skipped or failed (the transition rule, a stale version, a newer state, the error). */
	reason?: string;
	executionId?: string;
	at: Date;
}

const STATUS_EVENT_COLUMNS = `(
	id BIGINT AUTO_INCREMENT PRIMARY KEY,
	record_key VARCHAR(255) NOT NULL,
	record_id VARCHAR(64) NULL,
	from_status VARCHAR(64) NULL,
	to_status VARCHAR(64) NOT NULL,
	source VARCHAR(64) NULL,
	expected_version BIGINT NULL,
	version BIGINT NULL,
	outcome VARCHAR(16) NOT NULL,
	reason VARCHAR(1000) NULL,
	execution_id VARCHAR(64) NULL,
	at DATETIME(3) NOT NULL,
	KEY ix_record (record_key, at)
) DEFAULT CHARSET = utf8mb4`;

/** Appends transition attempts (one INSERT for all), creating the table when it does not exist yet. */
export async function appendStatusEvents(db: Executor, table: string, events: StatusEvent[]): Promise<void> {
	if (!events.length) return;
	const name = escapeIdentifier(table || DEFAULT_STATUS_EVENT_TABLE);
	await db.query(`CREATE TABLE IF NOT EXISTS ${name} ${STATUS_EVENT_COLUMNS}`);
	const rows = events.map((e) => [
		e.recordKey,
		e.recordId ?? null,
		e.fromStatus ?? null,
		e.toStatus,
		e.source ?? null,
		e.expectedVersion ?? null,
		e.version ?? null,
		e.outcome,
		e.reason ? e.reason.slice(0, 1000) : null,
		e.executionId ?? null,
		utc(e.at),
	]);
	await db.query(
		`INSERT INTO ${name} (record_key, record_id, from_status, to_status, source, expected_version, version, outcome, reason, execution_id, at) VALUES ?`,
		[rows],
	);
}

/** "YYYY-MM-DD hh:mm:ss.mmm" in UTC: the stored time does not depend on the connection's time zone. */
function utc(d: Date): string {
	return d.toISOString().replace('T', ' ').replace('Z', '');
}
