import { KeyedMutex } from '../../resilience';
import type { Checkpoint, OperationResult } from '../applyOperations';
import { type Records, cloneRecords, emptyRecords } from '../records';
import type { Operation } from '../types';
import { LockBusyError, LockLostError, applyRecordChanges } from './stateStore';
import type { LockGuard, RecordChanges, RunRecord, StateStore, TargetMeta } from './stateStore';

/** In-process state (unit tests and Preview without a database). */
export class MemoryStateStore implements StateStore {
	meta: TargetMeta = { runsSinceFull: 0, needsFull: false };
	records: Records = emptyRecords();
	stages = new Map<string, RecordChanges>();
	runs = new Map<string, RunRecord & { summary?: unknown; reverse?: Operation[] }>();
	progress = new Map<string, Map<string, OperationResult>>();
	private locked = false;
	private lost = false;
	plans = new Map<string, Operation[]>();
	private readonly mutex = new KeyedMutex();

	async loadMeta() {
		return { ...this.meta };
	}
	async saveMeta(meta: TargetMeta) {
		this.meta = { ...meta };
	}
	async loadRecords() {
		return cloneRecords(this.records);
	}
	async saveRecordChanges(changes: RecordChanges) {
		applyRecordChanges(this.records, structuredClone(changes));
	}
	async stage(planId: string, changes: RecordChanges) {
		this.stages.set(planId, structuredClone(changes));
	}
	async loadStage(planId: string) {
		const s = this.stages.get(planId);
		return s && structuredClone(s);
	}
	async unfinishedRun() {
		return [...this.runs.values()].find((r) => r.status === 'running');
	}
	async startRun(run: Omit<RunRecord, 'status'>) {
		if (!this.runs.has(run.runId)) this.runs.set(run.runId, { ...run, status: 'running' });
		else this.runs.get(run.runId)!.status = 'running';
	}
	async checkpoint(runId: string): Promise<Checkpoint> {
		let map = this.progress.get(runId);
		if (!map) this.progress.set(runId, (map = new Map()));
		const finished = new Map([...map].map(([id, r]) => [id, { status: r.status, wpsId: r.wpsId }]));
		return {
			finished,
			record: async (results) => {
				for (const r of results) map!.set(r.id, r);
			},
		};
	}
	async finishRun(runId: string, status: 'done' | 'failed', summary: unknown, reverse: Operation[]) {
		const run = this.runs.get(runId);
		if (run) Object.assign(run, { status, summary, reverse });
	}
	/** Whether a run holds the lock now. */
	get isLocked(): boolean {
		return this.locked;
	}
	/** Test hook: the holder's lock goes away (as when MySQL drops the lock's connection). */
	loseLock(): void {
		if (this.locked) this.lost = true;
	}
	async withLock<T>(waitSec: number, fn: (lock: LockGuard) => Promise<T>): Promise<T> {
		if (this.locked && waitSec <= 0) throw new LockBusyError(waitSec);
		return this.mutex.run('lock', async () => {
			this.locked = true;
			this.lost = false;
			const guard: LockGuard = {
				assertHeld: async () => {
					if (this.lost) throw new LockLostError('test: lock lost');
				},
			};
			try {
				return await fn(guard);
			} finally {
				this.locked = false;
				this.lost = false;
			}
		});
	}
	async savePlan(planId: string, operations: Operation[]) {
		this.plans.set(planId, structuredClone(operations));
	}
	async loadReverse(runId: string) {
		const reverse = this.runs.get(runId)?.reverse;
		return reverse && structuredClone(reverse);
	}
	async loadPlan(planId: string) {
		const ops = this.plans.get(planId);
		return ops && structuredClone(ops);
	}
}
