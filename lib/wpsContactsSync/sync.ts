import { chunk } from '../resilience';
import { type ApplyOutcome, type OperationResult, applyOperations } from './apply';
import type { DirectoryClient } from './directoryClient';
import { planFingerprint } from './fingerprint';
import { makePlan } from './makePlan';
import { findForeign } from './ownership';
import { validatePlan } from './planValidation';
import { type Records, applyToRecords, cloneRecords, emptyRecords, stateFromRecords } from './records';
import { reversePlan } from './reverse';
import { addNeighbours, readKnownTarget } from './targetRead';
import { validateSource } from './source';
import { type LockGuard, type RunRecord, type StateStore, applyRecordChanges, diffRecords } from './state/stateStore';
import { type AdoptionKey, type ConflictStrategy, handMadeCollisions } from './syncRules';
import {
	type DeptValues,
	type Operation,
	type Plan,
	ROOT_EX,
	type Source,
	type SourceError,
	type TargetState,
	type TargetUser,
	type Thresholds,
	type UserField,
	type UserValues,
} from './types';

export interface SyncSettings {
	targetKey: string;
	/** WPS department the sync manages; '' = the tenant's root. */
	scopeDeptId: string;
	/** 'incremental' still reads in full every `fullEvery` runs, after a failure, on drift or without a snapshot. */
	mode: 'full' | 'incremental';
	fullEvery: number;
	graceDays: number;
	conflictStrategy: ConflictStrategy;
	adoptBy: AdoptionKey[];
	/** Fields the user says the app cannot read (added to those detected). */
	unreadable: UserField[];
	thresholds: Thresholds;
	allowEmptySource: boolean;
	/** Fields a blank source value may clear in WPS (default none: a blank keeps the WPS value). */
	clearBlank?: UserField[];
	now: () => number;
}

export interface PreviewResult {
	plan: Plan;
	sourceErrors: SourceError[];
	/** Why the run read WPS in full or not. */
	modeReason: string;
	calls: number;
}

/**
 * Preview under the target's lock when it writes state (a stage, a snapshot): a Preview next to a
 * running Apply would otherwise stage records the Apply is about to change.
 */
export async function previewWithLock(
	source: Source,
	buildErrors: SourceError[],
	client: DirectoryClient,
	store: StateStore | undefined,
	settings: SyncSettings,
	lockWaitSec: number,
): Promise<PreviewResult> {
	if (!store) return previewSync(source, buildErrors, client, undefined, settings);
	return store.withLock(lockWaitSec, (lock) => previewSync(source, buildErrors, client, store, settings, lock));
}

/** Computes the plan; writes nothing to WPS (with a store, it stages the records the apply will start from). Call under the lock with a store. */
export async function previewSync(
	source: Source,
	buildErrors: SourceError[],
	client: DirectoryClient,
	store: StateStore | undefined,
	settings: SyncSettings,
	lock?: LockGuard,
): Promise<PreviewResult> {
	const callsAtStart = client.calls();
	const meta = store ? await store.loadMeta() : { runsSinceFull: 0, needsFull: true };
	const records = store ? await store.loadRecords() : emptyRecords();
	const rootId = settings.scopeDeptId || meta.rootId || (await client.readRoot('')).id;

	let reason = '';
	if (settings.mode === 'full') reason = 'full mode';
	else if (!store) reason = 'no state database';
	else if (records.depts.size + records.users.size === 0) reason = 'no snapshot yet';
	else if (meta.needsFull) reason = 'the previous run failed or could not be verified';
	else if (meta.runsSinceFull + 1 >= settings.fullEvery) reason = `every ${settings.fullEvery} runs`;
	else if (meta.rootId && meta.rootId !== rootId) reason = 'the scope changed';

	const clashes = source.depts.filter((d) => d.id === rootId).map((d) => d.id);
	const sourceErrors: SourceError[] = [
		...(clashes.length
			? [
					{
						kind: 'duplicateDeptId' as const,
						message: `department id ${clashes[0]} is the external id of the WPS scope department itself (WPS uses a department's own id when no external id was set): set an External ID Prefix`,
						ids: clashes,
					},
				]
			: []),
		...buildErrors,
		...validateSource(source, {
			managedDepts: records.depts.size,
			managedUsers: records.users.size,
			allowEmptySource: settings.allowEmptySource,
		}),
	];

	const run = async (
		full: boolean,
	): Promise<{ plan: Plan; base: Records; unreadable: UserField[]; collision?: SourceError }> => {
		let current: TargetState;
		let unreadable: UserField[];
		if (full) {
			const [known, blank] = await Promise.all([
				readKnownTarget(client, rootId, [...source.depts.map((d) => d.id), ...records.depts.keys()]),
				client.unreadableFields(),
			]);
			current = known;
			unreadable = [...new Set([...blank, ...settings.unreadable])];
			const clash = handMadeCollisions(source, current, records);
			if (clash.depts.length || clash.users.length) {
				const what = [
					clash.depts.length ? `department id(s) ${listOf(clash.depts)}` : '',
					clash.users.length ? `user id(s) ${listOf(clash.users)}` : '',
				]
					.filter(Boolean)
					.join(' and ');
				return {
					plan: emptyPlan(settings, rootId, 'source ids collide with hand-made WPS objects'),
					base: records,
					unreadable,
					collision: {
						kind: 'idCollision',
						message: `source ${what} equal the WPS id of objects this sync did not create (WPS reports an object's own id as its external id when none was set), so the sync would take them over: set an External ID Prefix (e.g. "hr-")`,
						ids: [...clash.depts, ...clash.users],
					},
				};
			}
		} else {
			current = stateFromRecords(rootId, records);
			unreadable = [...new Set([...(meta.unreadable ?? []), ...settings.unreadable])];
		}
		const plan = () =>
			makePlan({
				source,
				current,
				records,
				rules: {
					now: settings.now(),
					graceDays: settings.graceDays,
					conflictStrategy: settings.conflictStrategy,
					adoptBy: settings.adoptBy,
					unreadable,
					fullRead: full,
					clearBlank: settings.clearBlank,
				},
				thresholds: settings.thresholds,
				targetKey: settings.targetKey,
				mode: full ? 'full' : 'incremental',
				now: settings.now(),
			});
		let made = plan();
		// What surrounds the departments the plan places or deletes (hand-made siblings, contents), then plan again.
		if (full && (await addNeighbours(client, current, made.plan.operations))) made = plan();
		return { ...made, unreadable };
	};

	let result: Awaited<ReturnType<typeof run>>;
	if (sourceErrors.length) {
		result = {
			plan: emptyPlan(settings, rootId, `the source has ${sourceErrors.length} error(s): nothing is planned`),
			base: records,
			unreadable: [],
		};
	} else if (reason) {
		result = await run(true);
	} else {
		result = await run(false);
		// A department delete must see what else is inside (hand-made objects block it): read in full.
		const deletesDepts = result.plan.operations.some((op) => op.kind === 'dept.delete');
		const drifted = deletesDepts ? [] : await findDrift(result.plan.operations, records, client, result.unreadable);
		if (deletesDepts) {
			reason = 'the plan deletes departments (a full read sees what else they hold)';
			result = await run(true);
		} else if (drifted.length) {
			reason = `drift: ${drifted.slice(0, 5).join(', ')}${drifted.length > 5 ? ` and ${drifted.length - 5} more` : ''} changed in WPS since the last run`;
			result = await run(true);
		} else reason = 'incremental';
	}
	if (result.collision) sourceErrors.push(result.collision);
	if (store && !sourceErrors.length) {
		await lock?.assertHeld();
		const changes = diffRecords(records, result.base);
		const full = result.plan.mode === 'full';
		if (result.plan.operations.length === 0) {
			// Nothing to apply (and a workflow may never call Apply): what was read becomes the snapshot now.
			await store.saveRecordChanges(changes);
			await store.saveMeta({
				...meta,
				rootId,
				unreadable: result.unreadable,
				needsFull: false,
				runsSinceFull: full ? 0 : meta.runsSinceFull + 1,
				lastRunAt: settings.now(),
			});
		} else {
			await store.stage(result.plan.fingerprint, changes);
			await store.savePlan?.(result.plan.fingerprint, result.plan.operations);
			await store.saveMeta({ ...meta, rootId, unreadable: result.unreadable, ...(full ? { needsFull: false } : {}) });
		}
	}
	return { plan: result.plan, sourceErrors, modeReason: reason, calls: client.calls() - callsAtStart };
}

function emptyPlan(settings: SyncSettings, rootId: string, reason: string): Plan {
	return {
		formatVersion: 1,
		targetKey: settings.targetKey,
		rootId,
		mode: settings.mode,
		createdAt: settings.now(),
		operations: [],
		conflicts: [],
		blocked: [],
		unreadableFields: [],
		verdict: { withinLimits: false, deletions: 0, managed: 0, percent: 0, reason },
		fingerprint: planFingerprint(settings.targetKey, []),
	};
}

function listOf(ids: string[]): string {
	return ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` and ${ids.length - 10} more` : '');
}

/** Reads only the objects the plan touches and compares them with the snapshot. */
async function findDrift(
	ops: Operation[],
	records: Records,
	client: DirectoryClient,
	unreadable: UserField[],
): Promise<string[]> {
	const deptIds = new Set<string>();
	const userIds = new Set<string>();
	for (const op of ops) {
		if (!op.wpsId) continue;
		(op.object === 'dept' ? deptIds : userIds).add(op.wpsId);
	}
	if (deptIds.size + userIds.size === 0) return [];
	const drifted: string[] = [];
	const deptRecByEx = records.depts;
	const depts = new Map((await readInChunks([...deptIds], (ids) => client.readDepts(ids))).map((d) => [d.id, d]));
	for (const id of deptIds) {
		const read = depts.get(id);
		const rec = [...(read ? [deptRecByEx.get(read.exId)] : [])][0];
		if (
			!read ||
			!rec ||
			rec.data.id !== id ||
			rec.data.name !== read.name ||
			rec.data.parentId !== read.parentId ||
			rec.data.order !== read.order
		) {
			drifted.push(rec?.ex ?? `dept ${id}`);
		}
	}
	const users = new Map((await readInChunks([...userIds], (ids) => client.readUsers(ids))).map((u) => [u.id, u]));
	for (const id of userIds) {
		const read = users.get(id);
		const rec = read ? records.users.get(read.exId) : undefined;
		if (!read || !rec || !sameUser(rec.data, read, unreadable)) drifted.push(rec?.ex ?? `user ${id}`);
	}
	return drifted;
}

function sameUser(a: TargetUser, b: TargetUser, unreadable: UserField[]): boolean {
	for (const [field, value] of Object.entries(a.fields) as [UserField, string][]) {
		if (!unreadable.includes(field) && (b.fields[field] ?? '') !== (value ?? '')) return false;
	}
	return (
		a.status === b.status &&
		a.mainDeptId === b.mainDeptId &&
		a.leaderId === b.leaderId &&
		a.deptIds.length === b.deptIds.length &&
		a.deptIds.every((d) => b.deptIds.includes(d))
	);
}

async function readInChunks<T>(ids: string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
	const out: T[] = [];
	for (const part of chunk(ids, 100)) out.push(...(await read(part)));
	return out;
}

// ---- apply ----------------------------------------------------------------------------------

export class PlanRefusedError extends Error {
	constructor(
		message: string,
		readonly reasons: string[],
	) {
		super(
			`${message}: ${reasons.slice(0, 5).join('; ')}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}`,
		);
		this.name = 'PlanRefusedError';
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
	{
		const started = settings.now();
		const callsAtStart = client.calls();
		const runId = planFingerprint(settings.targetKey, operations);
		const unfinished = await store.unfinishedRun();
		let completedEarlierRun: string | undefined;
		if (unfinished && unfinished.runId !== runId) {
			await executeRun(unfinished, client, store, settings, true);
			completedEarlierRun = unfinished.runId;
		}
		const { errors, ordered } = validatePlan(operations);
		if (errors.length) throw new PlanRefusedError('the plan is inconsistent, nothing was written', errors);
		const resuming = unfinished?.runId === runId;
		if (!resuming) {
			const foreign = await checkOwnership(ordered, store, settings);
			if (foreign.length)
				throw new PlanRefusedError('the plan names objects this sync does not manage, nothing was written', foreign);
		}
		if (!resuming && settings.verifyTarget) {
			const stale = await findStale(ordered, client);
			if (stale.length)
				throw new PlanRefusedError('WPS changed since the plan was made, nothing was written (preview again)', stale);
		}
		const run: RunRecord = {
			runId,
			planId: settings.planId,
			status: 'running',
			operations: ordered,
			startedAt: started,
		};
		const { outcome, reverse } = await executeRun(run, client, store, settings, resuming);
		const results = outcome.results;
		const failed = results.filter((r) => r.status === 'failed').length;
		const skipped = results.filter((r) => r.status === 'skipped').length;
		const counts: RunSummary['counts'] = {};
		for (const r of results) (counts[r.kind] ??= {})[r.status] = ((counts[r.kind] ??= {})[r.status] ?? 0) + 1;
		return {
			summary: {
				runId,
				status: failed + skipped ? 'failed' : 'done',
				counts,
				failed,
				skipped,
				errors: results.filter((r) => r.status !== 'done').map((r) => ({ id: r.id, code: r.code, message: r.message })),
				durationMs: settings.now() - started,
				calls: client.calls() - callsAtStart,
				resumed: resuming,
				completedEarlierRun,
			},
			results,
			operations: ordered,
			reverse,
		};
	}
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

/** The stored records (with the plan's staged ones) against every operation: see findForeign. */
async function checkOwnership(ordered: Operation[], store: StateStore, settings: ApplySettings): Promise<string[]> {
	if (ordered.length === 0) return [];
	const records = await store.loadRecords();
	const stage = settings.planId ? await store.loadStage(settings.planId) : undefined;
	if (stage) applyRecordChanges(records, stage);
	const meta = await store.loadMeta();
	return findForeign(ordered, records, settings.rootId, meta.rootId);
}

/** For each object, its first operation's "before" must still hold; a create's external id must still be free. */
async function findStale(ordered: Operation[], client: DirectoryClient): Promise<string[]> {
	const firstDept = new Map<string, Operation>();
	const firstUser = new Map<string, Operation>();
	const newDepts: string[] = [];
	const newUsers: string[] = [];
	for (const op of ordered) {
		if (op.kind === 'dept.create') newDepts.push(op.exId);
		else if (op.kind === 'user.create') newUsers.push(op.exId);
		else if (op.wpsId) {
			const map = op.object === 'dept' ? firstDept : firstUser;
			if (!map.has(op.wpsId)) map.set(op.wpsId, op);
		}
	}
	const stale: string[] = [];
	const depts = new Map(
		(await readInChunks([...firstDept.keys()], (ids) => client.readDepts(ids))).map((d) => [d.id, d]),
	);
	for (const [id, op] of firstDept) {
		const cur = depts.get(id);
		const before = (op.before ?? {}) as DeptValues;
		if (!cur) stale.push(`${op.id}: department ${id} no longer exists`);
		else if (
			(before.name !== undefined && before.name !== cur.name) ||
			(before.parent?.id !== undefined && before.parent.id !== cur.parentId) ||
			(before.order !== undefined && before.order !== cur.order)
		) {
			stale.push(`${op.id}: department ${id} is now "${cur.name}" under ${cur.parentId}`);
		}
	}
	const users = new Map(
		(await readInChunks([...firstUser.keys()], (ids) => client.readUsers(ids))).map((u) => [u.id, u]),
	);
	for (const [id, op] of firstUser) {
		const cur = users.get(id);
		const before = (op.before ?? {}) as UserValues;
		if (!cur) {
			stale.push(`${op.id}: user ${id} no longer exists`);
			continue;
		}
		const changed =
			Object.entries(before.fields ?? {}).some(([f, v]) => (cur.fields[f as UserField] ?? '') !== (v ?? '')) ||
			(before.status !== undefined &&
				before.status !== cur.status &&
				!(op.kind === 'user.disable' && cur.status !== 'disabled')) ||
			(before.depts !== undefined &&
				!sameIds(
					before.depts.map((r) => r.id ?? ''),
					cur.deptIds,
				)) ||
			(before.mainDept?.id !== undefined && before.mainDept.id !== cur.mainDeptId);
		if (changed) stale.push(`${op.id}: user ${id} changed since the preview`);
	}
	for (const part of chunk(newDepts, 100)) {
		for (const d of await client.findDeptsByEx(part))
			stale.push(`dept.create:${d.exId}: a department with this external id exists now (${d.id})`);
	}
	for (const part of chunk(newUsers, 100)) {
		for (const u of await client.findUsersByEx(part))
			stale.push(`user.create:${u.exId}: a user with this external id exists now (${u.id})`);
	}
	return stale;
}

function sameIds(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

export { emptyRecords };
