/**
 * Runs tasks in dependency order with bounded concurrency: a task starts once every task it depends on has
 * finished well; a task whose dependency failed (or was itself skipped) is never run and gets a "skipped" result
 * instead, and so do its own dependents. Tasks of one batch kind (e.g. enabling users) may share one run, up to a
 * size. Each batch of results is settled (e.g. checkpointed) before its dependents start, so a run killed at any
 * point can resume from what was settled. Plain TypeScript: the WPS apply engine is one user (lib/wpsContactsSync/applyOperations.ts).
 */

export interface ScheduledTask {
	id: string;
	/** Ids of tasks that must finish well first; ids not among the tasks are ignored. */
	dependsOn: readonly string[];
}

export interface DependencyOrderOptions<T extends ScheduledTask, R extends { id: string }> {
	/** Runs in flight at once (at least 1). */
	concurrency: number;
	/** Tasks that may run together: their batch kind and the most per run. Undefined: the task runs alone. */
	batchOf?: (task: T) => { kind: string; max: number } | undefined;
	/** Results of tasks finished earlier (a resumed run): counted as finished, never run or settled again. */
	prior?: readonly R[];
	/** Runs one task, or one batch of a batch kind; answers one result per task. A throw aborts the whole run. */
	run(tasks: T[]): Promise<R[]>;
	/** Whether a result lets its dependents run. */
	ok(result: R): boolean;
	/** The result of a task that will not run because `blocker` did not finish well. */
	skipped(task: T, blocker: R): R;
	/** Called with each batch of new results (run or skipped) before their dependents start. */
	settle(results: R[]): Promise<void>;
	/** Called before each run; a throw stops new runs, lets those in flight finish, and is passed on. */
	beforeRun?: () => Promise<void>;
}

/** Results by task id, for every task (the run resolves once all are finished). */
export async function runInDependencyOrder<T extends ScheduledTask, R extends { id: string }>(
	tasks: readonly T[],
	opts: DependencyOrderOptions<T, R>,
): Promise<Map<string, R>> {
	const concurrency = Math.max(1, opts.concurrency);
	const byId = new Map(tasks.map((t) => [t.id, t]));
	const results = new Map<string, R>();
	const dependents = new Map<string, string[]>();
	const waiting = new Map<string, number>();
	for (const task of tasks) {
		const deps = task.dependsOn.filter((d) => byId.has(d));
		waiting.set(task.id, deps.length);
		for (const d of deps) {
			const list = dependents.get(d);
			if (list) list.push(task.id);
			else dependents.set(d, [task.id]);
		}
	}

	const single: T[] = [];
	const batches = new Map<string, { max: number; tasks: T[] }>();
	const enqueue = (task: T) => {
		const batch = opts.batchOf?.(task);
		if (!batch) return void single.push(task);
		const queue = batches.get(batch.kind);
		if (queue) queue.tasks.push(task);
		else batches.set(batch.kind, { max: batch.max, tasks: [task] });
	};

	/** Records results and releases their dependents: ready ones are queued, blocked ones skipped (and settled). */
	const finish = async (batch: R[]): Promise<void> => {
		await opts.settle(batch);
		const cascade: R[] = [];
		for (const result of batch) {
			results.set(result.id, result);
			for (const depId of dependents.get(result.id) ?? []) {
				const left = waiting.get(depId)! - 1;
				waiting.set(depId, left);
				if (left > 0) continue;
				const dep = byId.get(depId)!;
				const blocker = dep.dependsOn.map((d) => results.get(d)).find((r) => r && !opts.ok(r));
				if (blocker) cascade.push(opts.skipped(dep, blocker));
				else enqueue(dep);
			}
		}
		if (cascade.length) await finish(cascade);
	};

	// Earlier results count as finished; what they release is queued, none of them is settled again.
	const priorIds = new Set((opts.prior ?? []).filter((r) => byId.has(r.id)).map((r) => r.id));
	for (const task of tasks) if (!priorIds.has(task.id) && waiting.get(task.id) === 0) enqueue(task);
	for (const r of opts.prior ?? []) if (priorIds.has(r.id)) results.set(r.id, r);
	for (const id of priorIds) {
		for (const depId of dependents.get(id) ?? []) {
			const left = waiting.get(depId)! - 1;
			waiting.set(depId, left);
			if (left === 0 && !priorIds.has(depId)) enqueue(byId.get(depId)!);
		}
	}
	if (results.size >= tasks.length) return results;

	let aborted: { error: unknown } | undefined;
	let running = 0;
	return new Promise<Map<string, R>>((resolve, reject) => {
		const next = (): T[] | undefined => {
			for (const queue of batches.values()) if (queue.tasks.length) return queue.tasks.splice(0, queue.max);
			return single.length ? [single.shift()!] : undefined;
		};
		const runOne = async (batch: T[]): Promise<void> => {
			if (opts.beforeRun) {
				try {
					await opts.beforeRun();
				} catch (error) {
					aborted ??= { error };
					return;
				}
			}
			if (aborted) return;
			await finish(await opts.run(batch));
		};
		const pump = () => {
			if (aborted) {
				if (running === 0) reject(aborted.error);
				return;
			}
			for (
				let batch = running < concurrency ? next() : undefined;
				batch;
				batch = running < concurrency ? next() : undefined
			) {
				running++;
				runOne(batch)
					.then(() => {
						running--;
						if (!aborted && results.size >= tasks.length) resolve(results);
						else pump();
					})
					.catch(reject);
			}
			if (running === 0 && results.size >= tasks.length) resolve(results);
			else if (running === 0 && !aborted)
				reject(new Error(`${tasks.length - results.size} task(s) wait on each other or on a task that never finishes`));
		};
		pump();
	});
}
