import { type TenantFixture, startTenant } from './rawHttp';

/** The size the WPS Contacts node's bench runs at: every index must keep calls cheap there. */
describe('WPS emulator: 5,000 departments and 50,000 users', () => {
	let t: TenantFixture;
	let leafIds: string[];
	beforeAll(async () => {
		t = await startTenant();
		// 50 top departments with 99 children each.
		const tops = await t.emu.admin.seedDepts(
			Array.from({ length: 50 }, (_, i) => ({ name: `Top${i}`, ex_dept_id: `top${i}` })),
		);
		const leaves = await t.emu.admin.seedDepts(
			tops.depts.flatMap((top, i) =>
				Array.from({ length: 99 }, (_, j) => ({
					name: `Leaf${j}`,
					parent_id: top.dept_id,
					ex_dept_id: `leaf${i}-${j}`,
				})),
			),
		);
		leafIds = leaves.depts.map((d) => d.dept_id);
		await t.emu.admin.seedUsers(
			Array.from({ length: 50_000 }, (_, i) => ({
				user_name: `User ${i}`,
				ex_user_id: `emp${i}`,
				email: `u${i}@corp.example`,
				phone: `1380000${String(i).padStart(5, '0')}`,
				dept_ids: [leafIds[i % leafIds.length]],
				status: i % 10 === 0 ? ('disabled' as const) : ('active' as const),
			})),
		);
	});
	afterAll(() => t.emu.close());

	it('walks every user in 50-user pages and looks users up by key quickly', async () => {
		const started = Date.now();
		let seen = 0;
		let token = '';
		do {
			const page = await t.get(
				`/v7/depts/${t.rootId}/members?status=active,disabled&recursive=true&page_size=50&page_token=${token}`,
			);
			seen += page.items.length;
			token = page.next_page_token;
		} while (token);
		expect(seen).toBe(50_000);
		const byEx = await t.ok('/v7/users/by_ex_user_ids', {
			ex_user_ids: Array.from({ length: 100 }, (_, i) => `emp${i * 499}`),
			status: ['active', 'disabled'],
		});
		expect(byEx.items).toHaveLength(100);
		const byEmail = await t.ok('/v7/users/by_emails', { emails: ['u49999@corp.example'], status: ['active'] });
		expect(byEmail.items).toHaveLength(1);
		// Writes between reads (each one invalidates the read caches) stay cheap too.
		for (let i = 0; i < 50; i++) {
			await t.ok('/v7/users/create', {
				user_name: `New ${i}`,
				dept_ids: [leafIds[i]],
				ex_user_id: `new${i}`,
				email: `new${i}@corp.example`,
			});
			await t.get(`/v7/depts/${leafIds[i]}/members?status=active&page_size=50`);
		}
		// 1,000 pages plus 100 writes and reads: seconds, not minutes, even on a shared 2-core machine.
		expect(Date.now() - started).toBeLessThan(30_000);
	});
});
