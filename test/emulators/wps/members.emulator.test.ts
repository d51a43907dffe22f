import { type TenantFixture, USER_KEYS, err, keysOf, startTenant } from './rawHttp';

const FILTER = 'active,notactive,disabled';
const MEMBERSHIP_KEYS = ['ctime', 'dept_id', 'is_leader', 'mtime', 'order', 'user_id'];
/** `user_info` of a membership: the get-user shape with avatar, without ctime, ex_user_id and leader_id (batch-get-dept-user page). */
const USER_INFO_KEYS = [...USER_KEYS.filter((k) => !['ctime', 'ex_user_id', 'leader_id'].includes(k)), 'avatar'].sort();

describe('WPS emulator: department members are memberships', () => {
	let t: TenantFixture;
	let sales: string, eu: string, ann: string, bob: string;
	beforeEach(async () => {
		t = await startTenant();
		sales = (await t.ok('/v7/depts/create', { name: 'Sales', parent_id: t.rootId })).dept_id;
		eu = (await t.ok('/v7/depts/create', { name: 'EU', parent_id: sales })).dept_id;
		// Ann is in Sales and in its sub-department EU; Bob only in EU, and leads it.
		ann = (await t.ok('/v7/users/create', { user_name: 'Ann', dept_ids: [sales, eu], ex_user_id: 'ex-ann' })).id;
		bob = (await t.ok('/v7/users/create', { user_name: 'Bob', dept_ids: [eu], def_dept_id: eu })).id;
		await t.ok(`/v7/depts/${eu}/update`, { leaders: [{ user_id: bob, order: 0 }] });
	});
	afterEach(() => t.emu.close());

	it('lists {user_id, dept_id, order, is_leader, ctime, mtime}, with user_info only on with_user_detail', async () => {
		const bare = await t.get(`/v7/depts/${eu}/members?status=${FILTER}`);
		expect(bare.items.map((m: any) => [m.user_id, m.dept_id, m.is_leader])).toEqual([
			[ann, eu, false],
			[bob, eu, true],
		]);
		for (const m of bare.items) {
			expect(keysOf(m)).toEqual(MEMBERSHIP_KEYS);
			expect(typeof m.order).toBe('number');
		}
		const detailed = await t.get(`/v7/depts/${eu}/members?status=${FILTER}&with_user_detail=true`);
		expect(keysOf(detailed.items[0])).toEqual([...MEMBERSHIP_KEYS, 'user_info'].sort());
		expect(keysOf(detailed.items[0].user_info)).toEqual(USER_INFO_KEYS);
		expect(detailed.items[0].user_info).toMatchObject({ id: ann, user_name: 'Ann', status: 'active' });
		// The external id is not in user_info: a reader needs another call for it.
		expect(detailed.items[0].user_info).not.toHaveProperty('ex_user_id');
	});

	it('lists a user once per department in a recursive listing', async () => {
		const direct = await t.get(`/v7/depts/${sales}/members?status=${FILTER}`);
		expect(direct.items.map((m: any) => [m.user_id, m.dept_id])).toEqual([[ann, sales]]);
		const all = await t.get(`/v7/depts/${sales}/members?status=${FILTER}&recursive=true&with_total=true`);
		expect(all.items.map((m: any) => [m.user_id, m.dept_id]).sort()).toEqual(
			[
				[ann, sales],
				[ann, eu],
				[bob, eu],
			].sort(),
		);
		expect(all.total).toBe(3);
		// Paged one at a time, the three memberships come once each.
		const paged: string[] = [];
		let token = '';
		do {
			const page = await t.get(
				`/v7/depts/${sales}/members?status=${FILTER}&recursive=true&page_size=1&page_token=${token}`,
			);
			paged.push(...page.items.map((m: any) => `${m.user_id}@${m.dept_id}`));
			token = page.next_page_token;
		} while (token);
		expect(paged.sort()).toEqual([`${ann}@${sales}`, `${ann}@${eu}`, `${bob}@${eu}`].sort());
	});

	it("reads chosen users' memberships of one department with members/batch_read", async () => {
		await t.emu.admin.setUserStatus([bob], 'disabled');
		const read = (body: Record<string, unknown>) => t.api('POST', `/v7/depts/${eu}/members/batch_read`, body);
		const all = await t.ok(`/v7/depts/${eu}/members/batch_read`, {
			user_ids: [ann, bob, 'ghost'],
			status: ['active', 'disabled'],
		});
		expect(all.items.map((m: any) => [m.user_id, m.dept_id, m.is_leader])).toEqual([
			[ann, eu, false],
			[bob, eu, true],
		]);
		expect(keysOf(all.items[0])).toEqual(MEMBERSHIP_KEYS);
		// The status filter hides the rest; a user not in this department is simply absent.
		const active = await t.ok(`/v7/depts/${eu}/members/batch_read`, {
			user_ids: [ann, bob],
			status: ['active'],
			with_user_detail: true,
		});
		expect(active.items.map((m: any) => m.user_info.user_name)).toEqual(['Ann']);
		expect(keysOf(active.items[0].user_info)).toEqual(USER_INFO_KEYS);
		const sales1 = await t.ok(`/v7/depts/${sales}/members/batch_read`, {
			user_ids: [ann, bob],
			status: ['active', 'disabled'],
		});
		expect(sales1.items.map((m: any) => [m.user_id, m.dept_id])).toEqual([[ann, sales]]);
		// status is required and documented as active | notactive | disabled only.
		expect(err(await read({ user_ids: [ann] }))).toEqual({ status: 400, code: 400000002, reason: 'invalid_param' });
		expect(err(await read({ user_ids: [ann], status: ['dimission'] })).reason).toBe('invalid_param');
		expect(err(await read({ status: ['active'] })).reason).toBe('invalid_param');
		expect(
			err(await t.api('POST', '/v7/depts/nope/members/batch_read', { user_ids: [ann], status: ['active'] })).reason,
		).toBe('dept_not_found');
	});

	it('shows a membership order set by batch_update_order, which answers {code, msg} only', async () => {
		const res = await t.api('POST', '/v7/users/batch_update_order', {
			user_order_list: [
				{ dept_id: eu, order: 5, user_id: ann },
				{ dept_id: eu, order: 2, user_id: bob },
			],
		});
		expect(res.json).toEqual({ code: 0, msg: 'success' });
		const items = (await t.ok(`/v7/depts/${eu}/members/batch_read`, { user_ids: [ann, bob], status: ['active'] }))
			.items;
		expect(items.map((m: any) => [m.user_id, m.order])).toEqual([
			[ann, 5],
			[bob, 2],
		]);
		// Another department's membership of the same user is untouched.
		expect(
			(await t.ok(`/v7/depts/${sales}/members/batch_read`, { user_ids: [ann], status: ['active'] })).items[0].order,
		).toBe(0);
		const notMember = await t.api('POST', '/v7/users/batch_update_order', {
			user_order_list: [{ dept_id: sales, order: 1, user_id: bob }],
		});
		expect(err(notMember).reason).toBe('user_not_in_dept');
	});

	it('answers flat get-user users instead when the tenant is seeded with memberListing: user', async () => {
		const flat = await startTenant({ memberListing: 'user' });
		try {
			const d = (await flat.ok('/v7/depts/create', { name: 'D', parent_id: flat.rootId })).dept_id;
			const u = (await flat.ok('/v7/users/create', { user_name: 'Flat', dept_ids: [d], ex_user_id: 'ex-flat' })).id;
			const items = (await flat.get(`/v7/depts/${d}/members?status=active`)).items;
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({ id: u, user_name: 'Flat', ex_user_id: 'ex-flat', def_dept_id: d });
			expect(items[0]).not.toHaveProperty('user_id');
			expect(items[0]).not.toHaveProperty('user_info');
			expect(items[0]).toEqual(await flat.get(`/v7/users/${u}`));
		} finally {
			await flat.emu.close();
		}
	});
});
