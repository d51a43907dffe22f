import { runInDependencyOrder, type ScheduledTask } from '../../../lib/scheduling/dependencyOrder';

type Task = ScheduledTask & { kind?: string; fails?: boolean };
type Result = { id: string; status: 'done' | 'failed' | 'skipped'; by?: string };

/** A scheduler run that records the order of starts, the most in flight, and what was settled. */
async function schedule(
	tasks: Task[],
	over: { concurrency?: number; prior?: Result[]; beforeRun?: () => Promise<void> } = {},
) {
	const started: string[][] = [];
	const settled: string[] = [];
	let inFlight = 0;
	let most = 0;
	const results = await runInDependencyOrder<Task, Result>(tasks, {
		concurrency: over.concurrency ?? 2,
		prior: over.prior,
		beforeRun: over.beforeRun,
		batchOf: (t) => (t.kind ? { kind: t.kind, max: 2 } : undefined),
		ok: (r) => r.status === 'done',
		skipped: (t, blocker) => ({ id: t.id, status: 'skipped', by: blocker.id }),
		async run(batch) {
			started.push(batch.map((t) => t.id));
			most = Math.max(most, ++inFlight);
			await new Promise((r) => setImmediate(r));
			inFlight--;
			return batch.map((t) => ({ id: t.id, status: t.fails ? 'failed' : 'done' }));
		},
		async settle(batch) {
			settled.push(...batch.map((r) => r.id));
		},
	});
	return { results, started, settled, most };
}

const t = (id: string, dependsOn: string[] = [], extra: Partial<Task> = {}): Task => ({ id, dependsOn, ...extra });

describe('running tasks in dependency order', () => {
	test('a task starts only after what it depends on has finished, with at most N in flight', async () => {
		const { started, most, results } = await schedule(
			[t('child', ['parent']), t('parent'), t('grandchild', ['child']), t('other')],
			{ concurrency: 2 },
		);
		const order = started.flat();
		expect(order.indexOf('parent')).toBeLessThan(order.indexOf('child'));
		expect(order.indexOf('child')).toBeLessThan(order.indexOf('grandchild'));
		expect(most).toBeLessThanOrEqual(2);
		expect([...results.values()].every((r) => r.status === 'done')).toBe(true);
	});

	test('a failure skips its dependents and theirs, and nothing else', async () => {
		const { results, started } = await schedule([t('a', [], { fails: true }), t('b', ['a']), t('c', ['b']), t('d')]);
		expect(results.get('b')).toEqual({ id: 'b', status: 'skipped', by: 'a' });
		expect(results.get('c')).toEqual({ id: 'c', status: 'skipped', by: 'b' });
		expect(results.get('d')?.status).toBe('done');
		expect(started.flat().sort()).toEqual(['a', 'd']);
	});

	test('tasks of one batch kind share runs, up to the batch size', async () => {
		const { started } = await schedule(
			[t('e1', [], { kind: 'enable' }), t('e2', [], { kind: 'enable' }), t('e3', [], { kind: 'enable' })],
			{ concurrency: 1 },
		);
		expect(started).toEqual([['e1', 'e2'], ['e3']]);
	});

	test('earlier results count as finished: never run or settled again, and they release their dependents', async () => {
		const { started, settled, results } = await schedule([t('a'), t('b', ['a'])], {
			prior: [{ id: 'a', status: 'done' }],
		});
		expect(started).toEqual([['b']]);
		expect(settled).toEqual(['b']);
		expect(results.get('a')?.status).toBe('done');
	});

	test('a refusal before a run stops new runs and is passed on', async () => {
		let calls = 0;
		const beforeRun = async () => {
			if (++calls > 1) throw new Error('lock lost');
		};
		await expect(schedule([t('a'), t('b', ['a']), t('c', ['b'])], { concurrency: 1, beforeRun })).rejects.toThrow(
			'lock lost',
		);
	});

	test('tasks that wait on each other are reported, never left hanging', async () => {
		await expect(schedule([t('x', ['y']), t('y', ['x'])])).rejects.toThrow(/wait on each other/);
	});
});
