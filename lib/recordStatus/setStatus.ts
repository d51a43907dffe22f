import { ServiceError } from '../errors';
import { decide, type SkipReason } from './decide';
import type { StatusMachine } from './machine';
import type { SourcePriority } from './priority';
import type { RecordLocator, StatusSnapshot, StatusStore, StatusWrite, StuckRule } from './types';

export interface SetStatusRequest {
	locator: RecordLocator;
	target: string;
	/** A version given by the caller (e.g. from a callback); undefined = use the version read. */
	expectedVersion?: number;
	source?: string;
	/** The update's time (ms epoch): written as the status time, compared for source priority. */
	at: number;
	fields: Record<string, unknown>;
	createIfMissing?: boolean;
	/**
	 * Written only when this request creates the record (create if missing), never by an update: data
	 * the record starts with but others may edit later (e.g. a prompt a person can change in Feishu).
	 * A name also in `fields` takes the `fields` value.
	 */
	createOnlyFields?: Record<string, unknown>;
	/** On a version conflict with the version read: report it, or re-read and try again. */
	onConflict?: 'report' | 'retry';
	/** When the record already has the target status, write the fields and status time anyway. */
	refreshWhenUnchanged?: boolean;
	maxAttempts?: number;
}

export type OutcomeReason = SkipReason | 'unchanged' | 'not_found' | 'created' | 'refreshed';

export interface StatusOutcome {
	recordId?: string;
	key?: string;
	previousStatus?: string;
	status?: string;
	version?: number;
	applied: boolean;
	reason?: OutcomeReason;
	message?: string;
	/** Reads and writes it took (a conflict retried re-reads). */
	attempts: number;
}

export class UnknownStatusError extends ServiceError {
	constructor(
		readonly status: string,
		readonly known: string[],
	) {
		super(`"${status}" is not a status of the transition rules (${known.join(', ')})`, {
			service: 'package',
			kind: 'input',
		});
	}
}

/**
 * Internal switches for tests only (not reachable from a workflow): `ignoreVersionCondition` drops
 * the version check and the version condition of the write, so the race test can prove it notices;
 * `versionOnlyInWrite` skips the early check so the test can show the write's guard alone holds.
 */
export const internalSwitches = {
	ignoreVersionCondition: false,
	/** Leave the version to the store's write guard alone (no early check on the version read). */
	versionOnlyInWrite: false,
};

export interface StatusContext {
	store: StatusStore;
	machine: StatusMachine;
	priority?: SourcePriority;
	/** Test-only: drop the version condition, to prove the race test notices. */
	ignoreVersions?: boolean;
}

function outcomeOf(record: StatusSnapshot, applied: boolean, extra: Partial<StatusOutcome>): StatusOutcome {
	return {
		recordId: record.id,
		key: record.key,
		previousStatus: record.status,
		status: record.status,
		version: record.version,
		applied,
		attempts: 1,
		...extra,
	};
}

/**
 * One guarded status update: read, decide with the machine, write under a guard the store checks
 * at write time, and on a lost race re-read and decide again (a concurrent writer may have made
 * this update illegal, a no-op, or a version conflict).
 */
export async function setStatus(ctx: StatusContext, req: SetStatusRequest): Promise<StatusOutcome> {
	const { store, machine, priority } = ctx;
	if (!machine.isKnown(req.target)) throw new UnknownStatusError(req.target, machine.statuses);
	const useVersion = store.hasVersion && !(ctx.ignoreVersions ?? internalSwitches.ignoreVersionCondition);
	const maxAttempts = Math.max(1, req.maxAttempts ?? 5);
	const source = store.hasSource ? req.source : undefined;
	let lostRace = false;
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const record = await store.read(req.locator);
		if (!record) {
			if (!req.createIfMissing || req.locator.by !== 'key') {
				return { applied: false, reason: 'not_found', message: 'No record matches', attempts: attempt };
			}
			const { record: created, created: isNew } = await store.create(req.locator.value, {
				status: req.target,
				version: store.hasVersion ? 0 : undefined,
				source,
				statusTime: req.at,
				fields: { ...req.createOnlyFields, ...req.fields },
			});
			// Created by another writer first: the next read updates it like any record (fields only).
			if (!isNew) continue;
			return {
				recordId: created.id,
				key: created.key,
				previousStatus: undefined,
				status: created.status,
				version: created.version,
				applied: true,
				reason: 'created',
				attempts: attempt,
			};
		}
		const expectedVersion = useVersion ? (req.expectedVersion ?? record.version ?? 0) : undefined;
		const decision = decide(
			machine,
			record,
			{
				target: req.target,
				expectedVersion: internalSwitches.versionOnlyInWrite ? undefined : expectedVersion,
				source,
				at: req.at,
			},
			priority,
		);
		const refresh = decision.kind === 'noop' && req.refreshWhenUnchanged;
		if (decision.kind !== 'apply' && !refresh) {
			return outcomeOf(record, false, { reason: decision.reason, message: decision.message, attempts: attempt });
		}
		// We lost a race on the version we had read and the record would still take the update: that is
		// the conflict to report, unless the caller asked to retry on the fresh version.
		if (lostRace && useVersion && req.expectedVersion === undefined && req.onConflict !== 'retry') {
			return outcomeOf(record, false, {
				reason: 'version_conflict',
				message: `Another update changed the record (now ${record.status}, version ${record.version ?? 'none'}) between our read and our write`,
				attempts: attempt,
			});
		}
		const version = store.hasVersion ? (record.version ?? 0) + 1 : undefined;
		const write: StatusWrite = { status: req.target, version, source, statusTime: req.at, fields: req.fields };
		const ok = await store.write(record, write, {
			allowedFrom: refresh ? [req.target] : machine.allowedFrom(req.target).concat(record.status === '' ? [''] : []),
			expectedVersion: useVersion ? expectedVersion : undefined,
			outranking: priority && source ? { sources: priority.outranking(source), notAfter: req.at } : undefined,
		});
		if (ok) {
			return outcomeOf(record, true, {
				status: req.target,
				version,
				reason: refresh ? 'refreshed' : undefined,
				attempts: attempt,
			});
		}
		// Lost the race: the next read decides afresh (the winner may have made this update a no-op,
		// illegal, or a conflict).
		lostRace = true;
	}
	return {
		applied: false,
		reason: 'version_conflict',
		message: `Gave up after ${maxAttempts} attempts${lostRace ? ': other updates kept winning' : ''}`,
		attempts: maxAttempts,
	};
}

export interface FindStuckRequest {
	rules: Array<{ status: string; olderThanMs: number }>;
	now: number;
	limit: number;
}

export async function findStuck(ctx: StatusContext, req: FindStuckRequest): Promise<StatusSnapshot[]> {
	for (const rule of req.rules) {
		if (!ctx.machine.isKnown(rule.status)) throw new UnknownStatusError(rule.status, ctx.machine.statuses);
	}
	const rules: StuckRule[] = req.rules.map((r) => ({ status: r.status, before: req.now - r.olderThanMs }));
	return ctx.store.findStuck(rules, req.limit);
}
