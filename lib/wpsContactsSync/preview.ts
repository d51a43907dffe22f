import type { DirectoryClient } from './directoryClient';
import { findDrift } from './drift';
import { planFingerprint } from './fingerprint';
import { makePlan } from './makePlan';
import { type Records, emptyRecords, stateFromRecords } from './records';
import { validateSource } from './source';
import { type LockGuard, type StateStore, type TargetMeta, diffRecords } from './state/stateStore';
import { type AdoptionKey, type ConflictStrategy, handMadeCollisions } from './syncRules';
import { addNeighbours, readKnownTarget } from './targetRead';
import type { Plan, Source, SourceError, TargetState, Thresholds, UserField } from './types';

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

/** What one planning pass starts from. */
interface PlanInput {
	source: Source;
	client: DirectoryClient;
	settings: SyncSettings;
	meta: TargetMeta;
	records: Records;
	rootId: string;
}

/** A plan, the records it starts from, and what the app cannot read; `collision` when the source would take over hand-made objects. */
interface PlanPass {
	plan: Plan;
	base: Records;
	unreadable: UserField[];
	collision?: SourceError;
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
	const input: PlanInput = { source, client, settings, meta, records, rootId };

	let reason = fullReadReason(input, !!store);
	const sourceErrors = checkSource(input, buildErrors);
	let result: PlanPass;
	if (sourceErrors.length) {
		result = {
			plan: emptyPlan(settings, rootId, `the source has ${sourceErrors.length} error(s): nothing is planned`),
			base: records,
			unreadable: [],
		};
	} else if (reason) {
		result = await planPass(input, true);
	} else {
		result = await planPass(input, false);
		// A department delete must see what else is inside (hand-made objects block it): read in full.
		const deletesDepts = result.plan.operations.some((op) => op.kind === 'dept.delete');
		const drifted = deletesDepts ? [] : await findDrift(result.plan.operations, records, client, result.unreadable);
		if (deletesDepts) {
			reason = 'the plan deletes departments (a full read sees what else they hold)';
			result = await planPass(input, true);
		} else if (drifted.length) {
			reason = `drift: ${drifted.slice(0, 5).join(', ')}${drifted.length > 5 ? ` and ${drifted.length - 5} more` : ''} changed in WPS since the last run`;
			result = await planPass(input, true);
		} else reason = 'incremental';
	}
	if (result.collision) sourceErrors.push(result.collision);
	if (store && !sourceErrors.length) {
		await lock?.assertHeld();
		await saveStage(store, input, result);
	}
	return { plan: result.plan, sourceErrors, modeReason: reason, calls: client.calls() - callsAtStart };
}

/** Why this run must read WPS in full ('' when the snapshot may stand for WPS). */
function fullReadReason({ settings, meta, records, rootId }: PlanInput, hasStore: boolean): string {
	if (settings.mode === 'full') return 'full mode';
	if (!hasStore) return 'no state database';
	if (records.depts.size + records.users.size === 0) return 'no snapshot yet';
	if (meta.needsFull) return 'the previous run failed or could not be verified';
	if (meta.runsSinceFull + 1 >= settings.fullEvery) return `every ${settings.fullEvery} runs`;
	if (meta.rootId && meta.rootId !== rootId) return 'the scope changed';
	return '';
}

/** The source's errors: the builder's, a department id equal to the scope's own external id, and validateSource's. */
function checkSource({ source, settings, records, rootId }: PlanInput, buildErrors: SourceError[]): SourceError[] {
	const clashes = source.depts.filter((d) => d.id === rootId).map((d) => d.id);
	return [
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
}

/** One planning pass: against WPS read in full (`full`), or against the snapshot. */
async function planPass(input: PlanInput, full: boolean): Promise<PlanPass> {
	const { source, client, settings, meta, records, rootId } = input;
	let current: TargetState;
	let unreadable: UserField[];
	if (full) {
		const [known, blank] = await Promise.all([
			readKnownTarget(client, rootId, [...source.depts.map((d) => d.id), ...records.depts.keys()]),
			client.unreadableFields(),
		]);
		current = known;
		unreadable = [...new Set([...blank, ...settings.unreadable])];
		const collision = collisionWithHandMade(source, current, records);
		if (collision) {
			return {
				plan: emptyPlan(settings, rootId, 'source ids collide with hand-made WPS objects'),
				base: records,
				unreadable,
				collision,
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
}

/** Source ids equal to the WPS ids of hand-made objects, as a source error (see handMadeCollisions). */
function collisionWithHandMade(source: Source, current: TargetState, records: Records): SourceError | undefined {
	const clash = handMadeCollisions(source, current, records);
	if (!clash.depts.length && !clash.users.length) return undefined;
	const what = [
		clash.depts.length ? `department id(s) ${listOf(clash.depts)}` : '',
		clash.users.length ? `user id(s) ${listOf(clash.users)}` : '',
	]
		.filter(Boolean)
		.join(' and ');
	return {
		kind: 'idCollision',
		message: `source ${what} equal the WPS id of objects this sync did not create (WPS reports an object's own id as its external id when none was set), so the sync would take them over: set an External ID Prefix (e.g. "hr-")`,
		ids: [...clash.depts, ...clash.users],
	};
}

/**
 * With a plan: the records it starts from are staged (the apply folds them in) and the plan kept for
 * Apply Plan. Without one (a workflow may never call Apply), what was read becomes the snapshot now.
 */
async function saveStage(store: StateStore, { settings, meta, records, rootId }: PlanInput, result: PlanPass) {
	const changes = diffRecords(records, result.base);
	const full = result.plan.mode === 'full';
	if (result.plan.operations.length === 0) {
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
