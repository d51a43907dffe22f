import fc from 'fast-check';
import { startWpsEmulator, type WpsEmulator } from '../../emulators/wps';
import type { DirectoryClient } from '../../../lib/wpsContactsSync/directoryClient';
import { MemoryStateStore } from '../../../lib/wpsContactsSync/state/memoryStateStore';
import { applyWithState } from '../../../lib/wpsContactsSync/applyPlan';
import { previewSync } from '../../../lib/wpsContactsSync/preview';
import type { Operation } from '../../../lib/wpsContactsSync/types';
import { exsOf, settings, shapeOfDump, shapeOfSource, startEnv, syncOnce } from './fixtures';
import { orgPairArb } from './orgTrees';

/** Runs per property; the CI default of 40 keeps this file near 15 s on 2 cores (300 runs: ~100 s). */
const RUNS = Number(process.env.WPS_PROPERTY_RUNS ?? 40);

const WRITES = new Set([
	'createDept',
	'updateDept',
	'deleteDept',
	'createUser',
	'updateUser',
	'setEnabled',
	'deleteUser',
]);

/** A client that "dies" at its k-th write: that write reaches WPS, its answer never comes back, nothing after is sent. */
function dyingClient(inner: DirectoryClient, k: number, onDeath: () => void): DirectoryClient {
	let writes = 0;
	const never = new Promise<never>(() => undefined);
	return new Proxy(inner, {
		get(target, prop: string) {
			const fn = (target as unknown as Record<string, unknown>)[prop];
			if (!WRITES.has(prop) || typeof fn !== 'function') return fn;
			return async (...args: unknown[]) => {
				const n = ++writes;
				if (n > k) return never;
				const result = await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
				if (n === k) {
					onDeath();
					return never;
				}
				return result;
			};
		},
	});
}

/** What survives a killed process: the database, not the memory. */
function copyOfStore(store: MemoryStateStore): MemoryStateStore {
	const copy = new MemoryStateStore();
	copy.meta = structuredClone(store.meta);
	copy.records = structuredClone(store.records);
	copy.stages = structuredClone(store.stages);
	copy.runs = structuredClone(store.runs);
	copy.progress = structuredClone(store.progress);
	return copy;
}

describe('directory sync properties (random org trees and edits, against the emulator)', () => {
	let emu: WpsEmulator;
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off' });
	});
	afterAll(async () => emu.close());

	test('apply(plan(A -> B)) yields B, never hits a tree rule, and a re-plan is empty', async () => {
		await fc.assert(
			fc.asyncProperty(orgPairArb, async ({ a, b }) => {
				const env = await startEnv({ emu });
				try {
					const store = new MemoryStateStore();
					const first = await syncOnce(env, store, a);
					expect(first.report.summary.errors).toEqual([]);
					const second = await syncOnce(env, store, b);
					expect(second.report.summary.errors).toEqual([]);
					// every operation comes after the operations it depends on
					const seen = new Set<string>();
					for (const op of second.report.operations) {
						for (const dep of op.dependsOn) expect(seen.has(dep)).toBe(true);
						seen.add(op.id);
					}
					const dump = await emu.admin.dump({ clientId: env.clientId });
					const shape = shapeOfDump(dump, env.rootId, exsOf(b));
					expect(shape).toEqual(shapeOfSource(b));
					// A's departments that B dropped are gone; A's users that B dropped are disabled
					const bDepts = new Set(b.depts.map((d) => d.id));
					expect(dump.depts.filter((d) => d.dept_id !== env.rootId && !bDepts.has(d.ex_dept_id))).toEqual([]);
					const again = await previewSync(b, [], env.dir, store, settings({ mode: 'full' }));
					expect(again.plan.operations).toEqual([]);
				} finally {
					await env.close();
				}
			}),
			{ numRuns: RUNS, seed: Number(process.env.WPS_PROPERTY_SEED ?? 20261123) },
		);
	});

	test('killed at a random write and resumed, the sync still converges', async () => {
		await fc.assert(
			fc.asyncProperty(orgPairArb, fc.nat(200), async ({ a, b }, killAt) => {
				const env = await startEnv({ emu });
				try {
					const store = new MemoryStateStore();
					await syncOnce(env, store, a);
					const s = settings();
					const preview = await previewSync(b, [], env.dir, store, s);
					const ops: Operation[] = preview.plan.operations;
					if (ops.length === 0) return;
					const k = 1 + (killAt % ops.length);
					let survivor: MemoryStateStore | undefined;
					const applySettings = {
						targetKey: s.targetKey,
						rootId: preview.plan.rootId,
						planId: preview.plan.fingerprint,
						planMode: preview.plan.mode,
						concurrency: 3,
						lockWaitSec: 1,
						verifyTarget: true,
						now: s.now,
					};
					let died!: () => void;
					const death = new Promise<void>((resolve) => (died = resolve));
					const dying = dyingClient(env.dir, k, () => {
						survivor = copyOfStore(store);
						died();
					});
					await Promise.race([applyWithState(ops, dying, store, applySettings), death]);
					if (!survivor) return; // fewer writes than k (enables/disables batch several operations into one call)
					const resumed = await applyWithState(ops, env.dir, survivor, applySettings);
					expect(resumed.summary.resumed).toBe(true);
					expect(resumed.summary.errors).toEqual([]);
					const shape = shapeOfDump(await emu.admin.dump({ clientId: env.clientId }), env.rootId, exsOf(b));
					expect(shape).toEqual(shapeOfSource(b));
					const again = await previewSync(b, [], env.dir, survivor, settings({ mode: 'full' }));
					expect(again.plan.operations).toEqual([]);
				} finally {
					await env.close();
				}
			}),
			{ numRuns: RUNS, seed: Number(process.env.WPS_PROPERTY_SEED ?? 20261123) },
		);
	});
});
