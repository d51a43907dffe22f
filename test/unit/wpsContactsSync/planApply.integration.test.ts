import { MemoryStateStore } from '../../../lib/wpsContactsSync/state/memoryStateStore';
import type { Source } from '../../../lib/wpsContactsSync/types';
import { type Env, exsOf, shapeOfDump, shapeOfSource, sourceOf, startEnv, syncOnce } from './fixtures';

describe('directory sync against the WPS emulator', () => {
	let env: Env;
	beforeAll(async () => {
		env = await startEnv();
	});
	afterAll(async () => env.close());

	/** WPS holds, for what `source` manages, exactly what `source` says. */
	const expectMirrors = async (source: Source) =>
		expect(shapeOfDump(await env.emu.admin.dump({ clientId: env.clientId }), env.rootId, exsOf(source))).toEqual(
			shapeOfSource(source),
		);

	test('creates a tree, then a re-plan is empty', async () => {
		const store = new MemoryStateStore();
		const source = sourceOf(
			[
				['d1', '', 'Sales'],
				['d2', 'd1', 'North'],
				['d3', 'd1', 'South'],
				['d4', '', 'R&D'],
			],
			[
				['u1', 'Ann', ['d2']],
				['u2', 'Bob', ['d3', 'd4'], { title: 'Lead' }],
			],
		);
		const { report } = await syncOnce(env, store, source);
		expect(report.summary.failed).toBe(0);
		await expectMirrors(source);
		const again = await syncOnce(env, store, source, { mode: 'incremental' });
		expect(again.preview.plan.operations).toEqual([]);
		expect(again.preview.calls).toBe(0);
		const full = await syncOnce(env, store, source, { mode: 'full' });
		expect(full.preview.plan.operations).toEqual([]);

		// swap parent and child, swap two sibling names, delete a department holding a member
		const next = sourceOf(
			[
				['d2', '', 'North'],
				['d1', 'd2', 'Sales'],
				['d4', '', 'South'],
				['d3', 'd2', 'R&D'],
			],
			[
				['u1', 'Ann', ['d1']],
				['u2', 'Bob', ['d3']],
			],
		);
		const swapped = await syncOnce(env, store, next);
		expect(swapped.report.summary.errors).toEqual([]);
		await expectMirrors(next);
	});
});
