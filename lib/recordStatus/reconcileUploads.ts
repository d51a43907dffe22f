/**
 * Stuck uploads: records that stayed in a status (e.g. Processing) longer than a minimum age. For each, the produced
 * artefact is looked for (an injected check: HTTP HEAD on its URL, or a row in a table). Found: the task is requeued
 * (set to the requeue status under the record's version). Missing: it is cleaned up, marked Failed with the reason or
 * deleted, by option. Unknown (the check failed, e.g. HTTP 500 or a timeout): left alone, counted as an error, so an
 * outage never cleans up good tasks. Records already queued are skipped. Batches of `batchSize`, checks in parallel.
 */
import { setStatus, type StatusContext } from './setStatus';
import type { StatusSnapshot } from './types';

/** What the artefact check says: there, not there, or not known (never cleaned up). */
export type ArtefactState = 'exists' | 'missing' | 'unknown';

export interface ArtefactCheck {
	state: ArtefactState;
	/** Why (status code, the missing row, the error), for the output and the Failed reason. */
	detail: string;
}

export interface ReconcileOptions {
	stuckStatus: string;
	minAgeMs: number;
	now: number;
	/** Most records handled in one run. */
	limit: number;
	batchSize: number;
	requeueStatus: string;
	cleanup: 'markFailed' | 'delete';
	failedStatus: string;
	/** Field written with the reason when a task is marked Failed. */
	reasonField?: string;
	/** A field whose non-empty value means the task is already queued (skipped). */
	queuedField?: string;
	source: string;
	check(record: StatusSnapshot): Promise<ArtefactCheck>;
}

export type ReconcileAction = 'requeued' | 'cleaned' | 'skipped' | 'error';

export interface ReconciledRecord {
	recordId: string;
	key?: string;
	action: ReconcileAction;
	artefact?: ArtefactState;
	detail: string;
}

export interface ReconcileResult {
	found: number;
	requeued: number;
	cleaned: number;
	skipped: number;
	errors: number;
	batches: number;
	records: ReconciledRecord[];
}

const isSet = (v: unknown) =>
	v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && v !== false;

async function one(ctx: StatusContext, o: ReconcileOptions, rec: StatusSnapshot): Promise<ReconciledRecord> {
	const base = { recordId: rec.id, key: rec.key };
	if (o.queuedField && isSet(rec.fields[o.queuedField]))
		return { ...base, action: 'skipped', detail: `already queued (${o.queuedField} is set)` };
	let check: ArtefactCheck;
	try {
		check = await o.check(rec);
	} catch (error) {
		check = { state: 'unknown', detail: (error as Error)?.message ?? String(error) };
	}
	if (check.state === 'unknown')
		return {
			...base,
			action: 'error',
			artefact: 'unknown',
			detail: `artefact not checked, left as it is: ${check.detail}`,
		};
	const locator = { by: 'id' as const, value: rec.id };
	if (check.state === 'missing' && o.cleanup === 'delete') {
		if (!ctx.store.remove)
			return { ...base, action: 'error', artefact: 'missing', detail: 'this store cannot delete records' };
		const removed = await ctx.store.remove(rec, { allowedFrom: [o.stuckStatus], expectedVersion: rec.version });
		return removed
			? { ...base, action: 'cleaned', artefact: 'missing', detail: `deleted: ${check.detail}` }
			: { ...base, action: 'skipped', artefact: 'missing', detail: 'changed since it was found stuck: not deleted' };
	}
	const target = check.state === 'exists' ? o.requeueStatus : o.failedStatus;
	const fields = check.state === 'missing' && o.reasonField ? { [o.reasonField]: `stuck upload: ${check.detail}` } : {};
	const outcome = await setStatus(ctx, {
		locator,
		target,
		expectedVersion: rec.version,
		source: o.source,
		at: o.now,
		fields,
	});
	if (!outcome.applied)
		return {
			...base,
			action: 'skipped',
			artefact: check.state,
			detail: `${outcome.reason}${outcome.message ? `: ${outcome.message}` : ''}`,
		};
	return {
		...base,
		action: check.state === 'exists' ? 'requeued' : 'cleaned',
		artefact: check.state,
		detail: check.detail,
	};
}

export async function reconcileStuckUploads(ctx: StatusContext, o: ReconcileOptions): Promise<ReconcileResult> {
	const stuck = await ctx.store.findStuck([{ status: o.stuckStatus, before: o.now - o.minAgeMs }], o.limit);
	const result: ReconcileResult = {
		found: stuck.length,
		requeued: 0,
		cleaned: 0,
		skipped: 0,
		errors: 0,
		batches: 0,
		records: [],
	};
	const size = Math.max(1, Math.floor(o.batchSize));
	for (let start = 0; start < stuck.length; start += size) {
		result.batches++;
		const done = await Promise.all(
			stuck.slice(start, start + size).map((rec) =>
				one(ctx, o, rec).catch(
					(error): ReconciledRecord => ({
						recordId: rec.id,
						key: rec.key,
						action: 'error',
						detail: (error as Error)?.message ?? String(error),
					}),
				),
			),
		);
		for (const r of done) {
			result.records.push(r);
			if (r.action === 'requeued') result.requeued++;
			else if (r.action === 'cleaned') result.cleaned++;
			else if (r.action === 'skipped') result.skipped++;
			else result.errors++;
		}
	}
	return result;
}
