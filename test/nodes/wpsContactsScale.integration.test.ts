/**
 * The 50,000-user / 5,000-department first sync through the node (not only the bench): Preview with
 * its per-operation output left out (the execution stays small), Apply Plan applying the stored plan
 * from the summary item (no audit item per operation either), then an unchanged incremental Sync that
 * plans nothing and calls nothing. About 3.5 min at 50,000 on a busy 2-core machine.
 * Size: WPS_NODE_SCALE_USERS (CI default 50000; departments are a tenth of it).
 */
import { useNodeKit } from './wpsContacts/setup';

const USERS = Number(process.env.WPS_NODE_SCALE_USERS ?? 50_000);
const DEPTS = Math.max(1, Math.floor(USERS / 10));

/** Ten children per department, users spread over all departments (as the bench's tree). */
function hr() {
	return {
		Departments: Array.from({ length: DEPTS }, (_, i) => ({
			id: `D${i}`,
			parent_id: i < 10 ? '0' : `D${Math.floor(i / 10) - 1}`,
			name: `Dept ${i}`,
		})),
		Users: Array.from({ length: USERS }, (_, i) => ({
			id: `U${i}`,
			name: `User ${i}`,
			dept_ids: `D${i % DEPTS}`,
			email: `u${i}@example.com`,
			title: `Title ${i % 7}`,
		})),
	};
}

describe(`WPS Contacts node at scale: ${USERS} users in ${DEPTS} departments`, () => {
	const kit = useNodeKit('wpsscale', { tenant: 'perDescribe' });

	test('first sync through Preview (summary only) and Apply Plan; an unchanged re-run plans nothing', async () => {
		const data = hr();
		const options = { concurrency: 16, maxChanges: USERS, operationItems: 'none' };
		const preview = await kit.run({ operation: 'preview', mode: 'full' }, data, options);
		expect(preview.error).toBeUndefined();
		const summary = preview.json('WPS', 0)[0];
		expect(summary).toMatchObject({
			totalOperations: DEPTS + USERS,
			counts: { 'dept.create': DEPTS, 'user.create': USERS },
			withinLimits: true,
			operationItems: 0,
			storedPlan: true,
		});
		// what the execution keeps of the node's run: one small summary item, whatever the plan's size
		expect(preview.json('WPS', 1)).toEqual([]);
		expect(JSON.stringify(summary).length).toBeLessThan(5_000);

		const t0 = Date.now();
		const applied = await kit.apply([summary], { concurrency: 16, operationItems: 'none' });
		expect(applied.error).toBeUndefined();
		expect(applied.json('WPS', 0)[0]).toMatchObject({
			status: 'done',
			failed: 0,
			skipped: 0,
			counts: { 'dept.create': { done: DEPTS }, 'user.create': { done: USERS } },
		});
		// no audit item per operation, and the reverse plan as one item standing for the stored copy
		expect(applied.json('WPS', 1)).toEqual([]);
		expect(applied.json('WPS', 2)).toEqual([
			expect.objectContaining({ kind: 'storedReversePlan', operations: DEPTS + USERS }),
		]);
		process.stdout.write(
			`apply of ${DEPTS + USERS} operations through the node: ${Math.round((Date.now() - t0) / 1000)} s\n`,
		);
		const dump = await kit.dump();
		expect(dump.users.filter((u) => u.ex_user_id.startsWith('U'))).toHaveLength(USERS);
		expect(dump.depts.filter((d) => d.ex_dept_id.startsWith('D'))).toHaveLength(DEPTS);

		const again = await kit.run({ operation: 'sync', mode: 'incremental' }, data, options);
		expect(again.error).toBeUndefined();
		expect(again.json('WPS', 0)[0]).toMatchObject({ planned: {}, previewCalls: 0, status: 'done' });
	}, 1_200_000);
});
