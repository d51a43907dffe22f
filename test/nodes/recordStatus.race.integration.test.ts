/**
 * 50 callbacks for one task, as 50 separate executions released together (50 WorkflowRunner.run()
 * calls started at once, each its own execution and pool), against real MariaDB. The end state must
 * be one a serial order of the same callbacks allows, and every callback says applied or why not.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { createTestDatabase, type TestDatabase, WorkflowRunner, MANUAL_TRIGGER } from '../harness';
import { DEFAULT_TRANSITIONS, internalSwitches } from '../../lib/recordStatus';
import { nodeTypes, RECORD_STATUS, TASKS_DDL } from './recordStatusCases';

interface Callback {
	target: string;
	version: number;
}
interface State {
	status: string;
	version: number;
}
interface Outcome {
	applied: boolean;
	reason: string | null;
	version: number | null;
	message?: string;
	error?: string;
}

const COUNT = Number(process.env.RECORD_STATUS_RACE_CALLBACKS ?? 50);
let db: TestDatabase;

beforeAll(async () => {
	db = await createTestDatabase('race');
	await db.admin.query(TASKS_DDL);
});
afterAll(async () => {
	Object.assign(internalSwitches, { ignoreVersionCondition: false, versionOnlyInWrite: false });
	await db.drop();
});

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const STATUSES = ['Pending', 'Processing', 'Completed', 'Failed'];
/** What a callback at each version plausibly carries (a generation, its retries), plus noise. */
const PLAUSIBLE: string[][] = [
	['Processing'],
	['Completed', 'Failed', 'Failed'],
	['Pending'],
	['Processing'],
	['Completed', 'Failed'],
];

function mixedCallbacks(seed: number, n: number): Callback[] {
	const r = rng(seed);
	return Array.from({ length: n }, (_, i) => {
		if (i % 4 === 3) return { target: STATUSES[Math.floor(r() * 4)], version: Math.floor(r() * 6) };
		const version = Math.floor(r() * PLAUSIBLE.length);
		const options = PLAUSIBLE[version];
		return { target: options[Math.floor(r() * options.length)], version };
	});
}

const legal = (from: string, to: string) => (DEFAULT_TRANSITIONS[from] ?? []).includes(to);

/** The serial model: what one callback does to one state, judged independently of the node's code. */
function serial(state: State, cb: Callback): 'apply' | 'unchanged' | 'illegal_transition' | 'version_conflict' {
	if (state.status === cb.target) return 'unchanged';
	if (!legal(state.status, cb.target)) return 'illegal_transition';
	if (state.version !== cb.version) return 'version_conflict';
	return 'apply';
}

/** Violations of "some serial order of these callbacks explains every answer and the end state". */
export function serialViolations(initial: State, cbs: Callback[], outs: Outcome[], final: State): string[] {
	const problems: string[] = [];
	outs.forEach((o, i) => {
		if (o.error) problems.push(`#${i} failed: ${o.error}`);
		else if (!o.applied && !o.reason) problems.push(`#${i} not applied and no reason`);
	});
	const applied = cbs.map((cb, i) => ({ cb, o: outs[i], i })).filter((x) => x.o.applied);
	applied.sort((a, b) => a.cb.version - b.cb.version);
	const chain: State[] = [initial];
	let state = initial;
	for (const { cb, o, i } of applied) {
		if (o.version !== cb.version + 1)
			problems.push(`#${i} applied with expected version ${cb.version} but produced version ${o.version}`);
		if (serial(state, cb) !== 'apply') {
			problems.push(
				`#${i} (${cb.target}@${cb.version}) applied, but serially at ${state.status}@${state.version} it is ${serial(state, cb)}`,
			);
		}
		state = { status: cb.target, version: state.version + 1 };
		chain.push(state);
	}
	if (final.status !== state.status || final.version !== state.version) {
		problems.push(
			`end state ${final.status}@${final.version}, the applied chain gives ${state.status}@${state.version}`,
		);
	}
	outs.forEach((o, i) => {
		if (o.applied || o.error) return;
		if (!chain.some((s) => serial(s, cbs[i]) === o.reason)) {
			problems.push(
				`#${i} (${cbs[i].target}@${cbs[i].version}) answered ${o.reason}, which no state of the chain gives`,
			);
		}
	});
	return problems;
}

async function race(initial: State, cbs: Callback[]): Promise<{ outs: Outcome[]; final: State }> {
	await db.admin.query('DELETE FROM tasks');
	await db.admin.query('INSERT INTO tasks (taskId, status, version) VALUES (?, ?, ?)', [
		'T-1',
		initial.status,
		initial.version,
	]);
	const runner = new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Callback',
				type: RECORD_STATUS,
				credentials: ['mySqlApi'],
				parameters: {
					store: 'mysql',
					mysqlTable: 'tasks',
					keyField: 'taskId',
					statusField: 'status',
					versionField: 'version',
					operation: 'setStatus',
					findBy: 'key',
					keyValue: '={{ $json.taskId }}',
					targetStatus: '={{ $json.status }}',
					options: { expectedVersion: '={{ $json.version }}' },
				},
			},
		],
		connections: [['Start', 'Callback']],
	});
	// Released together: every run() starts before any finishes.
	const runs = await Promise.all(
		cbs.map((cb) =>
			runner.run({
				credentials: { mySqlApi: db.credentials as unknown as ICredentialDataDecryptedObject },
				pinData: { Start: [{ taskId: 'T-1', status: cb.target, version: cb.version }] },
			}),
		),
	);
	const outs = runs.map((r) =>
		r.error
			? { applied: false, reason: null, version: null, error: r.error.message }
			: (r.json('Callback')[0] as unknown as Outcome),
	);
	const [rows] = await db.admin.query('SELECT status, version FROM tasks WHERE taskId = ?', ['T-1']);
	const row = (rows as Array<{ status: string; version: number }>)[0];
	return { outs, final: { status: row.status, version: Number(row.version) } };
}

describe('Record Status race on MySQL: 50 concurrent callbacks for one task', () => {
	it('the model check itself rejects a lost update (sanity of the checker)', () => {
		const cbs = [
			{ target: 'Processing', version: 0 },
			{ target: 'Processing', version: 0 },
		];
		const outs: Outcome[] = [
			{ applied: true, reason: null, version: 1 },
			{ applied: true, reason: null, version: 1 },
		];
		expect(
			serialViolations({ status: 'Pending', version: 0 }, cbs, outs, { status: 'Processing', version: 1 }),
		).not.toEqual([]);
	});

	it.each([1, 2])(
		'mixed statuses and versions (seed %i): the end state is one a serial order allows; none lost silently',
		async (seed) => {
			const cbs = mixedCallbacks(seed, COUNT);
			const initial = { status: 'Pending', version: 0 };
			const { outs, final } = await race(initial, cbs);
			expect(serialViolations(initial, cbs, outs, final)).toEqual([]);
			if (process.env.RACE_DEBUG)
				console.log(
					final,
					outs.map((o, i) => `${cbs[i].target}@${cbs[i].version}:${o.applied ? 'A' : o.reason}`).join(' '),
				);
			expect(outs.filter((o) => o.applied).length).toBeGreaterThanOrEqual(1);
			expect(final.version).toBe(outs.filter((o) => o.applied).length);
			for (const o of outs)
				expect(o.applied || ['unchanged', 'illegal_transition', 'version_conflict'].includes(o.reason!)).toBe(true);
		},
	);

	it('the UPDATE guard alone holds: with the early version check off, stale callbacks still never apply', async () => {
		internalSwitches.versionOnlyInWrite = true;
		try {
			const cbs = mixedCallbacks(3, COUNT);
			const initial = { status: 'Pending', version: 0 };
			const { outs, final } = await race(initial, cbs);
			expect(serialViolations(initial, cbs, outs, final)).toEqual([]);
		} finally {
			internalSwitches.versionOnlyInWrite = false;
		}
	});

	it('FAILS without the version condition: late retries of an old attempt overwrite the task', async () => {
		// Failed at version 5; every callback belongs to an earlier attempt (versions 0..4), so a
		// correct store rejects them all, and a store without the version condition lets the first
		// late "Pending" (Failed -> Pending is legal) through.
		const r = rng(9);
		const cbs = Array.from({ length: COUNT }, (_, i) => ({
			target: i % 2 ? 'Pending' : STATUSES[Math.floor(r() * 4)],
			version: Math.floor(r() * 5),
		}));
		const initial = { status: 'Failed', version: 5 };
		const correct = await race(initial, cbs);
		expect(serialViolations(initial, cbs, correct.outs, correct.final)).toEqual([]);
		expect(correct.final).toEqual(initial);
		internalSwitches.ignoreVersionCondition = true;
		try {
			const broken = await race(initial, cbs);
			expect(serialViolations(initial, cbs, broken.outs, broken.final).length).toBeGreaterThan(0);
		} finally {
			internalSwitches.ignoreVersionCondition = false;
		}
	});
});
