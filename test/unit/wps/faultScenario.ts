import { mapWithConcurrency } from '../../../lib/resilience';
import { clearTokenCache, createWpsContacts, type WpsClientOptions } from '../../../lib/wps';
import type { FaultPlanSpec, WpsEmulator } from '../../emulators/wps';

/**
 * Builds a directory through the transport while the emulator injects faults, then compares
 * WPS's final state with what was asked: exactly those departments and users, no duplicates.
 */
export interface ScenarioSize {
	topDepts: number;
	childrenPerTop: number;
	users: number;
}

export interface ScenarioResult {
	problems: string[];
	recoveredWrites: number;
	retries: number;
}

const seeded = (seed: number) => {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
};

export async function runFaultScenario(
	emu: WpsEmulator,
	seed: number,
	size: ScenarioSize,
	plan: Omit<FaultPlanSpec, 'seed'>,
	client: Partial<WpsClientOptions>,
): Promise<ScenarioResult> {
	const clientId = `fault-app-${seed}`;
	await emu.admin.reset();
	clearTokenCache();
	const { rootDeptId } = await emu.admin.seedTenant({ clientId, clientSecret: 's3cret' });
	await emu.admin.setFaultPlan({ ...plan, seed });
	const wps = createWpsContacts({
		baseUrl: emu.baseUrl,
		clientId,
		clientSecret: 's3cret',
		ratePerSecond: false,
		retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 25 },
		random: seeded(seed),
		...client,
	});

	const problems: string[] = [];
	const deptIdByEx = new Map<string, string>();
	const tops = Array.from({ length: size.topDepts }, (_, i) => ({
		ex: `top-${i}`,
		name: `Division ${i}`,
		parentEx: '',
	}));
	const leaves = tops.flatMap((top, i) =>
		Array.from({ length: size.childrenPerTop }, (_, j) => ({
			ex: `team-${i}-${j}`,
			name: `Team ${j}`,
			parentEx: top.ex,
		})),
	);
	const users = Array.from({ length: size.users }, (_, i) => ({
		ex: `emp-${i}`,
		deptEx: leaves[i % leaves.length].ex,
		email: `emp${i}@corp.example`,
	}));

	try {
		// Parents first: one tree level at a time, concurrent within the level.
		for (const level of [tops, leaves]) {
			await mapWithConcurrency(level, 16, async (d) => {
				const parent = d.parentEx ? deptIdByEx.get(d.parentEx)! : rootDeptId;
				const dept = await wps.depts.create({ name: d.name, parent_id: parent, ex_dept_id: d.ex });
				deptIdByEx.set(d.ex, dept.id);
			});
		}
		await mapWithConcurrency(users, 16, async (u) => {
			const deptId = deptIdByEx.get(u.deptEx)!;
			const user = await wps.users.create({
				user_name: `Employee ${u.ex}`,
				ex_user_id: u.ex,
				dept_ids: [deptId],
				email: u.email,
			});
			if (user.ex_user_id !== u.ex) problems.push(`create of ${u.ex} answered ${user.ex_user_id}`);
		});
	} catch (error) {
		problems.push(`a create failed: ${(error as Error).message}`);
	}
	await emu.admin.clearFaultPlan();

	const dump = await emu.admin.dump({ clientId });
	const wantDepts = new Map([...tops, ...leaves].map((d) => [d.ex, d]));
	const deptsByEx = new Map<string, (typeof dump.depts)[number]>();
	for (const d of dump.depts.slice(1)) {
		if (deptsByEx.has(d.ex_dept_id)) problems.push(`duplicate department ${d.ex_dept_id}`);
		deptsByEx.set(d.ex_dept_id, d);
		const want = wantDepts.get(d.ex_dept_id);
		if (!want) problems.push(`unexpected department ${d.name} (${d.ex_dept_id})`);
		else {
			const parentEx = d.parent_id === rootDeptId ? '' : dump.depts.find((p) => p.dept_id === d.parent_id)?.ex_dept_id;
			if (parentEx !== want.parentEx || d.name !== want.name) problems.push(`department ${d.ex_dept_id} misplaced`);
			if (deptIdByEx.has(want.ex) && deptIdByEx.get(want.ex) !== d.dept_id)
				problems.push(`transport returned another id for ${want.ex}`);
		}
	}
	for (const ex of wantDepts.keys()) if (!deptsByEx.has(ex)) problems.push(`missing department ${ex}`);

	const usersByEx = new Map<string, (typeof dump.users)[number]>();
	for (const u of dump.users) {
		if (usersByEx.has(u.ex_user_id)) problems.push(`duplicate user ${u.ex_user_id}`);
		usersByEx.set(u.ex_user_id, u);
	}
	for (const u of users) {
		const got = usersByEx.get(u.ex);
		if (!got) problems.push(`missing user ${u.ex}`);
		else if (
			got.dept_ids.length !== 1 ||
			got.dept_ids[0] !== deptsByEx.get(u.deptEx)?.dept_id ||
			got.email !== u.email
		) {
			problems.push(`user ${u.ex} has the wrong department or email`);
		}
	}
	if (dump.users.length !== users.length) problems.push(`${dump.users.length} users instead of ${users.length}`);
	return { problems, recoveredWrites: wps.client.stats.recoveredWrites, retries: wps.client.stats.retries };
}
