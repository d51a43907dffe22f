import { ServiceError } from '../errors';
import { type ApplyOutcome, type OperationResult, applyOperations } from './applyOperations';
import type { DirectoryClient } from './directoryClient';
import { planFingerprint } from './fingerprint';
import { findForeign } from './ownership';
import { validatePlan } from './planValidation';
import { applyToRecords, cloneRecords } from './records';
import { reversePlan } from './reverse';
import { findStale } from './staleCheck';
import { type LockGuard, type RunRecord, type StateStore, applyRecordChanges, diffRecords } from './state/stateStore';
import { type Operation, type Plan, ROOT_EX } from './types';

/** A plan refused before any write; the hint lists the reasons (the first 20). */
export class PlanRefusedError extends ServiceError {
	constructor(
		message: string,
		readonly reasons: string[],
	) {
		super(
			`${message}: ${reasons.slice(0, 5).join('; ')}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}`,
			{ service: 'package', kind: 'refused', hint: reasons.slice(0, 20).join('\n') },
		);
	}
}

export interface ApplySettings {
	targetKey: string;
	rootId: string;
	/** Fingerprint of the plan as Preview made it (finds the staged records); '' if unknown. */
	planId: string;
	planMode: Plan['mode'];
	concurrency: number;
	lockWaitSec: number;
	/** Refuse when an object the plan touches changed since the plan was made. */
	verifyTarget: boolean;
	now: () => number;
	onFinish?: (result: OperationResult) => void;
	/** The held lock (set by applyWithState, or by a caller that holds it): checked before each write. */
	lock?: LockGuard;
}

export interface RunSummary {
	runId: string;
	status: 'done' | 'failed';
	counts: Record<string, Record<string, number>>;
	failed: number;
	skipped: number;
	errors: { id: string; code?: string; message?: string }[];
	durationMs: number;
	calls: number;
	resumed: boolean;
	/** An unfinished earlier run that was completed first. */
	completedEarlierRun?: string;
}

export interface ApplyReport {
	summary: RunSummary;
	results: OperationResult[];
	operations: Operation[];
	reverse: Operation[];
}

/**
 * Applies a plan under the target's lock: an unfinished earlier run is completed first; the plan
 * is validated (an edited plan must still be consistent) and checked against WPS before any write;
 * every finished operation is checkpointed; at the end the records and the reverse plan are saved.
 */
export async function applyWithState(
	operations: Operation[],
	client: DirectoryClient,
	store: StateStore,
	settings: ApplySettings,
): Promise<ApplyReport> {
	return store.withLock(settings.lockWaitSec, (lock) => applyLocked(operations, client, store, { ...settings, lock }));
}

/** applyWithState for a caller that already holds the target's lock (Sync: preview and apply under one lock). */
export async function applyLocked(
	operations: Operation[],
	client: DirectoryClient,
	store: StateStore,
	settings: ApplySettings,
): Promise<ApplyReport> {
	const started = settings.now();
	const callsAtStart = client.calls();
	const runId = planFingerprint(settings.targetKey, operations);
	const unfinished = await store.unfinishedRun();
	let completedEarlierRun: string | undefined;
	if (unfinished && unfinished.runId !== runId) {
		await executeRun(unfinished, client, store, settings, true);
		completedEarlierRun = unfinished.runId;
	}
	const resuming = unfinished?.runId === runId;
	const ordered = await checkedPlan(operations, client, store, settings, resuming);
	const run: RunRecord = { runId, planId: settings.planId, status: 'running', operations: ordered, startedAt: started };
	const { outcome, reverse } = await executeRun(run, client, store, settings, resuming);
	return {
		summary: {
			...summarize(runId, outcome.results),
			durationMs: settings.now() - started,
			calls: client.calls() - callsAtStart,
			resumed: resuming,
			completedEarlierRun,
		},
		results: outcome.results,
		operations: ordered,
		reverse,
	};
}

/**
 * The refusals before any write: an inconsistent (edited) plan, objects this sync does not manage, and
 * (unless a resumed run, whose objects it changed itself) WPS changed since the preview. Returns the
 * operations in order.
 */
async function checkedPlan(
	operations: Operation[],
	client: DirectoryClient,
	store: StateStore,
	settings: ApplySettings,
	resuming: boolean,
): Promise<Operation[]> {
	const { errors, ordered } = validatePlan(operations);
	if (errors.length) throw new PlanRefusedError('the plan is inconsistent, nothing was written', errors);
	if (resuming) return ordered;
	const foreign = await checkOwnership(ordered, store, settings);
	if (foreign.length)
		throw new PlanRefusedError('the plan names objects this sync does not manage, nothing was written', foreign);
	if (settings.verifyTarget) {
		const stale = await findStale(ordered, client);
		if (stale.length)
			throw new PlanRefusedError('WPS changed since the plan was made, nothing was written (preview again)', stale);
	}
	return ordered;
}

/** Counts per kind and status, and the failures. */
function summarize(
	runId: string,
	results: OperationResult[],
): Pick<RunSummary, 'runId' | 'status' | 'counts' | 'failed' | 'skipped' | 'errors'> {
	const failed = results.filter((r) => r.status === 'failed').length;
	const skipped = results.filter((r) => r.status === 'skipped').length;
	const counts: RunSummary['counts'] = {};
	for (const r of results) (counts[r.kind] ??= {})[r.status] = ((counts[r.kind] ??= {})[r.status] ?? 0) + 1;
	return {
		runId,
		status: failed + skipped ? 'failed' : 'done',
		counts,
		failed,
		skipped,
		errors: results.filter((r) => r.status !== 'done').map((r) => ({ id: r.id, code: r.code, message: r.message })),
	};
}

/** Completes a run an earlier (killed) process left unfinished; call under the lock. Returns its id. */
export async function completeUnfinishedRun(
	client: DirectoryClient,
	store: StateStore,
	settings: ApplySettings,
): Promise<string | undefined> {
	const unfinished = await store.unfinishedRun();
	if (!unfinished) return undefined;
	await executeRun(unfinished, client, store, settings, true);
	return unfinished.runId;
}

/** Runs (or resumes) a recorded run against WPS, then saves what it wrote: records, meta, the run's end and reverse plan. */
async function executeRun(
	run: RunRecord,
	client: DirectoryClient,
	store: StateStore,
	settings: ApplySettings,
	resuming: boolean,
): Promise<{ outcome: ApplyOutcome; reverse: Operation[] }> {
	await store.startRun({ runId: run.runId, planId: run.planId, operations: run.operations, startedAt: run.startedAt });
	const checkpoint = await store.checkpoint(run.runId);
	const outcome = await applyOperations(run.operations, {
		client,
		rootId: settings.rootId,
		concurrency: settings.concurrency,
		checkpoint,
		resumed: resuming || checkpoint.finished.size > 0,
		now: settings.now,
		onFinish: settings.onFinish,
		beforeWrite: settings.lock ? () => settings.lock!.assertHeld() : undefined,
	});
	const byId = new Map(run.operations.map((op) => [op.id, op]));
	const done = outcome.results.filter((r) => r.status === 'done').map((r) => byId.get(r.id)!);
	// The records and the run's end are state writes too: a run that lost its lock leaves them to the
	// run that holds it now (it completes this one from the checkpoints).
	await settings.lock?.assertHeld();

	const stage = await saveRecordsAfter(run, done, outcome, store, settings);
	const reverse = reversePlan(done, outcome.createdIds);
	const failed = outcome.results.some((r) => r.status !== 'done');
	const meta = await store.loadMeta();
	if (run.operations.length) {
		// Without the preview's staged snapshot the records know only what this run wrote: read in full next time.
		await store.saveMeta({
			...meta,
			rootId: settings.rootId,
			needsFull: failed || !stage,
			runsSinceFull:
				stage && !failed ? (settings.planMode === 'full' ? 0 : meta.runsSinceFull + 1) : meta.runsSinceFull,
			lastRunAt: settings.now(),
		});
	}
	await store.finishRun(run.runId, failed ? 'failed' : 'done', { results: outcome.results.length, failed }, reverse);
	return { outcome, reverse };
}

/** The stored records, with the preview's staged snapshot and the done operations folded in. Returns the stage. */
async function saveRecordsAfter(
	run: RunRecord,
	done: Operation[],
	outcome: ApplyOutcome,
	store: StateStore,
	settings: ApplySettings,
) {
	const loaded = await store.loadRecords();
	const records = cloneRecords(loaded);
	const stage = run.planId ? await store.loadStage(run.planId) : undefined;
	if (stage) applyRecordChanges(records, stage);
	const resolve = (ref: { ex: string; id?: string }) =>
		ref.ex === ROOT_EX
			? settings.rootId
			: (outcome.createdIds.get(`dept:${ref.ex}`) ?? ref.id ?? records.depts.get(ref.ex)?.data.id);
	applyToRecords(records, done, resolve, outcome.createdIds, settings.now());
	await store.saveRecordChanges(diffRecords(loaded, records));
	return stage;
}

/** The stored records (with the plan's staged ones) against every operation: see findForeign. */
async function checkOwnership(ordered: Operation[], store: StateStore, settings: ApplySettings): Promise<string[]> {
	if (ordered.length === 0) return [];
	const records = await store.loadRecords();
	const stage = settings.planId ? await store.loadStage(settings.planId) : undefined;
	if (stage) applyRecordChanges(records, stage);
	const meta = await store.loadMeta();
	return findForeign(ordered, records, settings.rootId, meta.rootId);
}
