import { runInDependencyOrder } from '../scheduling/dependencyOrder';
import { chunk } from '../resilience';
import { type DirectoryClient, errorCode } from './directoryClient';
import { type DeptRef, type DeptValues, type Operation, ROOT_EX, type UserValues } from './types';

export type OperationStatus = 'done' | 'failed' | 'skipped';

export interface OperationResult {
	id: string;
	kind: Operation['kind'];
	exId: string;
	label: string;
	status: OperationStatus;
	/** The object's WPS id (a create's new id). */
	wpsId?: string;
	/** WPS code and reason of a failure, e.g. `400000003 dept_name_exists`. */
	code?: string;
	message?: string;
	durationMs: number;
}

/** Where finished operations are recorded as they finish, and read back by a resumed run. */
export interface Checkpoint {
	finished: Map<string, { status: OperationStatus; wpsId?: string }>;
	record(results: OperationResult[]): Promise<void>;
}

export interface ApplyOptions {
	client: DirectoryClient;
	rootId: string;
	/** Operations in flight at once (they only run once their dependencies are done). */
	concurrency?: number;
	checkpoint?: Checkpoint;
	/** Another process may have applied some of these operations (look creates up before sending them). */
	resumed?: boolean;
	now?: () => number;
	onFinish?: (result: OperationResult) => void;
	/**
	 * Called before every write (batch); a throw stops the run: no further write starts, the ones in
	 * flight finish and are checkpointed, and the throw is passed on (the run stays resumable).
	 * The state store's lock check: a run that lost its lock must not write next to another one.
	 */
	beforeWrite?: () => Promise<void>;
}

export interface ApplyOutcome {
	results: OperationResult[];
	/** `<object>:<ex>` -> WPS id of every object this plan created (this run or an earlier attempt). */
	createdIds: Map<string, string>;
}

const BATCHED = new Set(['user.enable', 'user.disable']);
const ENABLE_BATCH = 100;

/**
 * Runs ordered operations against WPS through the generic dependency scheduler (lib/scheduling): each starts
 * once its dependencies are done, up to `concurrency` at a time; enables and disables go in batches of 100.
 * A failure never stops the run: everything that depends on the failed operation is skipped and reported (a
 * failed department skips its subtree and members). Each finished operation is checkpointed before its
 * dependents start, so a killed run resumes.
 */
export async function applyOperations(ordered: Operation[], opts: ApplyOptions): Promise<ApplyOutcome> {
	const { client } = opts;
	const now = opts.now ?? Date.now;
	const concurrency = Math.max(1, opts.concurrency ?? 4);
	const createdIds = new Map<string, string>();
	const exToId = new Map<string, string>();
	const byId = new Map(ordered.map((op) => [op.id, op]));
	const finishedBefore = opts.checkpoint?.finished ?? new Map();

	for (const op of ordered) {
		const prior = finishedBefore.get(op.id);
		if (prior?.status === 'done' && prior.wpsId && (op.kind === 'dept.create' || op.kind === 'user.create')) {
			createdIds.set(`${op.object}:${op.exId}`, prior.wpsId);
		}
	}
	await preResolve(ordered, client, exToId);

	const deptId = (ref: DeptRef | undefined): string => {
		if (!ref) throw new Error('missing department reference');
		if (ref.ex === ROOT_EX) return opts.rootId;
		const id = createdIds.get(`dept:${ref.ex}`) ?? ref.id ?? exToId.get(ref.ex);
		if (!id) throw new Error(`department ${ref.ex} has no WPS id (its create did not run)`);
		return id;
	};
	const userId = (ex: string, id?: string): string => {
		const found = id ?? createdIds.get(`user:${ex}`);
		if (!found) throw new Error(`user ${ex} has no WPS id (its create did not run)`);
		return found;
	};

	// A resumed run's create may have reached WPS before the process stopped: the object with its external id is it.
	const createdBefore = async (op: Operation): Promise<string | undefined> => {
		if (!opts.resumed) return undefined;
		const found = op.object === 'dept' ? client.findDeptsByEx([op.exId]) : client.findUsersByEx([op.exId]);
		return (await found)[0]?.id;
	};

	const execute = async (op: Operation): Promise<string | undefined> => {
		if (op.object === 'dept') {
			const after = (op.after ?? {}) as DeptValues;
			switch (op.kind) {
				case 'dept.create':
					return (
						(await createdBefore(op)) ??
						client.createDept({
							name: after.name!,
							parentId: deptId(after.parent),
							exId: op.exId,
							order: after.order,
						})
					);
				case 'dept.delete':
					await client.deleteDept(op.wpsId ?? deptId({ ex: op.exId }));
					return op.wpsId;
				default: {
					const id = op.wpsId ?? deptId({ ex: op.exId });
					const patch: { name?: string; parentId?: string; order?: number } = {};
					const before = (op.before ?? {}) as DeptValues;
					if (after.name !== undefined && after.name !== before.name) patch.name = after.name;
					if (after.parent) patch.parentId = deptId(after.parent);
					if (after.order !== undefined) patch.order = after.order;
					await client.updateDept(id, patch);
					return id;
				}
			}
		}
		const after = (op.after ?? {}) as UserValues;
		switch (op.kind) {
			case 'user.create': {
				const found = await createdBefore(op);
				if (found !== undefined) return found;
				const fields = Object.fromEntries(Object.entries(after.fields ?? {}).filter(([, v]) => v));
				return client.createUser({
					exId: op.exId,
					fields,
					deptIds: (after.depts ?? []).map(deptId),
					mainDeptId: deptId(after.mainDept ?? after.depts?.[0]),
					leaderId: after.leader ? userId(after.leader.ex, after.leader.id) : undefined,
				});
			}
			case 'user.delete':
				await client.deleteUser(userId(op.exId, op.wpsId));
				return op.wpsId;
			case 'user.update': {
				const id = userId(op.exId, op.wpsId);
				const patch: Parameters<DirectoryClient['updateUser']>[1] = {};
				if (after.exId) patch.exId = after.exId;
				if (after.fields) patch.fields = after.fields;
				if (after.leader !== undefined) patch.leaderId = after.leader ? userId(after.leader.ex, after.leader.id) : '';
				await client.updateUser(id, patch);
				return id;
			}
			case 'user.move': {
				const id = userId(op.exId, op.wpsId);
				await client.updateUser(id, { deptIds: (after.depts ?? []).map(deptId), mainDeptId: deptId(after.mainDept) });
				return id;
			}
			default:
				throw new Error(`unexpected operation ${op.kind}`);
		}
	};

	const failedResult = (ops: Operation[], error: unknown, started: number): OperationResult[] =>
		ops.map((op) => ({
			id: op.id,
			kind: op.kind,
			exId: op.exId,
			label: op.label,
			status: 'failed',
			wpsId: op.wpsId,
			code: errorCode(error),
			message: (error as Error)?.message ?? String(error),
			durationMs: now() - started,
		}));

	// Operations already done in an earlier process count as done without a call (and are not recorded again).
	const prior: OperationResult[] = [];
	for (const op of ordered) {
		const done = finishedBefore.get(op.id);
		if (done?.status === 'done')
			prior.push({
				id: op.id,
				kind: op.kind,
				exId: op.exId,
				label: op.label,
				status: 'done',
				wpsId: done.wpsId ?? op.wpsId,
				durationMs: 0,
			});
	}
	const results = await runInDependencyOrder<Operation, OperationResult>(ordered, {
		concurrency,
		prior,
		batchOf: (op) => (BATCHED.has(op.kind) ? { kind: op.kind, max: ENABLE_BATCH } : undefined),
		beforeRun: opts.beforeWrite,
		ok: (r) => r.status === 'done',
		skipped: (op, blocker) => ({
			id: op.id,
			kind: op.kind,
			exId: op.exId,
			label: op.label,
			status: 'skipped',
			wpsId: op.wpsId,
			message: `skipped: ${blocker.id} ${blocker.status === 'failed' ? 'failed' : 'was skipped'}`,
			durationMs: 0,
		}),
		async run(ops) {
			const started = now();
			try {
				let ids: (string | undefined)[];
				if (BATCHED.has(ops[0].kind)) {
					const userIds = ops.map((op) => userId(op.exId, op.wpsId));
					await client.setEnabled(userIds, ops[0].kind === 'user.enable');
					ids = userIds;
				} else ids = [await execute(ops[0])];
				return ops.map((op, i) => ({
					id: op.id,
					kind: op.kind,
					exId: op.exId,
					label: op.label,
					status: 'done' as const,
					wpsId: ids[i],
					durationMs: now() - started,
				}));
			} catch (error) {
				return failedResult(ops, error, started);
			}
		},
		async settle(batch) {
			const fresh = batch.filter((r) => finishedBefore.get(r.id)?.status !== 'done');
			if (fresh.length) await opts.checkpoint?.record(fresh);
			for (const result of batch) {
				if (result.status === 'done' && result.wpsId) {
					const op = byId.get(result.id)!;
					if (op.kind === 'dept.create' || op.kind === 'user.create')
						createdIds.set(`${op.object}:${op.exId}`, result.wpsId);
				}
				opts.onFinish?.(result);
			}
		},
	});
	return { results: ordered.map((op) => results.get(op.id)!), createdIds };
}

/** Departments named only by external id (made outside this plan) are looked up once, 100 per call. */
async function preResolve(ordered: Operation[], client: DirectoryClient, exToId: Map<string, string>): Promise<void> {
	const created = new Set(ordered.filter((op) => op.kind === 'dept.create').map((op) => op.exId));
	const wanted = new Set<string>();
	const want = (ref: DeptRef | undefined) => {
		if (ref && !ref.id && ref.ex !== ROOT_EX && !created.has(ref.ex)) wanted.add(ref.ex);
	};
	for (const op of ordered) {
		if (op.object === 'dept') want((op.after as DeptValues | null)?.parent);
		else {
			const after = (op.after ?? {}) as UserValues;
			after.depts?.forEach(want);
			want(after.mainDept);
		}
	}
	for (const exIds of chunk([...wanted], 100)) {
		for (const d of await client.findDeptsByEx(exIds)) exToId.set(d.exId, d.id);
	}
}
