import { ServiceError } from '../../errors';
import type { Checkpoint, OperationResult } from '../applyOperations';
import type { DeptRecord, Records, UserRecord } from '../records';
import type { Operation, UserField } from '../types';

/** Per target: when to force a full run, the scope root, what the app cannot read. */
export interface TargetMeta {
	rootId?: string;
	runsSinceFull: number;
	/** Set after a failed or unverifiable run: the next run reads WPS in full. */
	needsFull: boolean;
	unreadable?: UserField[];
	lastRunAt?: number;
}

/** Records that differ from the stored ones (written after a run, staged by a preview). */
export interface RecordChanges {
	upserts: (DeptRecord | UserRecord)[];
	deletes: { kind: 'dept' | 'user'; ex: string }[];
}

export interface RunRecord {
	runId: string;
	planId: string;
	status: 'running' | 'done' | 'failed';
	operations: Operation[];
	startedAt: number;
}

/**
 * The sync's state for one target (WPS app + scope), in a database every worker shares: workflow
 * static data cannot serve (a killed process saves nothing; queue-mode workers do not share it).
 */
export interface StateStore {
	loadMeta(): Promise<TargetMeta>;
	saveMeta(meta: TargetMeta): Promise<void>;
	loadRecords(): Promise<Records>;
	saveRecordChanges(changes: RecordChanges): Promise<void>;
	stage(planId: string, changes: RecordChanges): Promise<void>;
	loadStage(planId: string): Promise<RecordChanges | undefined>;
	unfinishedRun(): Promise<RunRecord | undefined>;
	startRun(run: Omit<RunRecord, 'status'>): Promise<void>;
	checkpoint(runId: string): Promise<Checkpoint>;
	finishRun(runId: string, status: 'done' | 'failed', summary: unknown, reverse: Operation[]): Promise<void>;
	/**
	 * One run per target at a time; waits up to `waitSec`, then throws LockBusyError. The lock may
	 * be held for hours: `fn` gets a guard to check before each write (LockLostError once it is gone).
	 */
	withLock<T>(waitSec: number, fn: (lock: LockGuard) => Promise<T>): Promise<T>;
	/** A plan Preview made, kept so that Apply Plan can apply it from its summary item alone. */
	savePlan?(planId: string, operations: Operation[]): Promise<void>;
	loadPlan?(planId: string): Promise<Operation[] | undefined>;
	/** The reverse plan a finished run stored (Apply Plan applies it from the run's stored-reverse item). */
	loadReverse?(runId: string): Promise<Operation[] | undefined>;
}

/** The held lock, as a run sees it. */
export interface LockGuard {
	/** Throws LockLostError when the lock is no longer held (checked on the lock's own connection). */
	assertHeld(): Promise<void>;
}

/** Differences between two record sets (what to write). */
export function diffRecords(from: Records, to: Records): RecordChanges {
	const changes: RecordChanges = { upserts: [], deletes: [] };
	for (const kind of ['depts', 'users'] as const) {
		const a = from[kind] as Map<string, DeptRecord | UserRecord>;
		const b = to[kind] as Map<string, DeptRecord | UserRecord>;
		for (const [ex, rec] of b) {
			const old = a.get(ex);
			if (!old || JSON.stringify(old) !== JSON.stringify(rec)) changes.upserts.push(rec);
		}
		for (const ex of a.keys()) if (!b.has(ex)) changes.deletes.push({ kind: kind === 'depts' ? 'dept' : 'user', ex });
	}
	return changes;
}

export function applyRecordChanges(records: Records, changes: RecordChanges): void {
	for (const d of changes.deletes) (d.kind === 'dept' ? records.depts : records.users).delete(d.ex);
	for (const r of changes.upserts) {
		if (r.kind === 'dept') records.depts.set(r.ex, r);
		else records.users.set(r.ex, r);
	}
}

export class LockBusyError extends ServiceError {
	constructor(waitSec: number) {
		super(`another WPS Contacts run for this target holds the lock (waited ${waitSec} s)`, {
			service: 'package',
			kind: 'refused',
			hint: 'Another execution is syncing the same WPS target; try again later or raise "Lock Wait".',
		});
	}
}

export class LockLostError extends ServiceError {
	constructor(detail: string) {
		super(
			`the lock on this WPS target was lost during the run (${detail}); the run stopped before its next write and the next run completes it`,
			{
				service: 'package',
				kind: 'refused',
				hint: 'Nothing more was written after the lock was lost. Run the workflow again: the next run completes the unfinished one before anything else.',
			},
		);
	}
}

export type { OperationResult };
