import { type TenantFixture, err, startTenant } from './rawHttp';

const ALL = ['active', 'notactive', 'disabled', 'dimission'];

describe('WPS emulator: user rules', () => {
	let t: TenantFixture;
	let d1: string;
	let d2: string;
	let d3: string;
	beforeEach(async () => {
		t = await startTenant({ seatLimit: 5, maxDeptsPerUser: 2 });
		d1 = (await t.ok('/v7/depts/create', { name: 'D1', parent_id: t.rootId })).dept_id;
		d2 = (await t.ok('/v7/depts/create', { name: 'D2', parent_id: t.rootId })).dept_id;
		d3 = (await t.ok('/v7/depts/create', { name: 'D3', parent_id: t.rootId })).dept_id;
	});
	afterEach(() => t.emu.close());

	const create = (body: Record<string, unknown>) => t.api('POST', '/v7/users/create', body);

	it('creates a user with a name, existing departments and a main department among them', async () => {
		const u = await t.ok('/v7/users/create', {
			user_name: 'Ann',
			dept_ids: [d1, d2],
			def_dept_id: d2,
			ex_user_id: 'hr-1',
			email: 'ann@x.com',
			phone: '+86 1',
			title: 'CEO',
		});
		expect(u).toMatchObject({ user_name: 'Ann', ex_user_id: 'hr-1', status: 'active', dept_ids: [d1, d2], def_dept_id: d2, title: 'CEO' });
		const v = await t.ok('/v7/users/create', { user_name: 'Bob', dept_ids: [d1], leader_id: u.user_id });
		expect(v.ex_user_id).toBe(v.user_id);
		expect(v.def_dept_id).toBe(d1);

		expect(err(await create({ dept_ids: [d1] })).msg).toBe('invalid_param');
		expect(err(await create({ user_name: 'C' })).msg).toBe('invalid_param');
		expect(err(await create({ user_name: 'C', dept_ids: ['nope'] }))).toEqual({ status: 404, code: 400000004, msg: 'dept_not_found' });
		expect(err(await create({ user_name: 'C', dept_ids: [d1], def_dept_id: d2 }))).toEqual({
			status: 400,
			code: 400000003,
			msg: 'user_def_dept_invalid',
		});
		expect(err(await create({ user_name: 'C', dept_ids: [d1], leader_id: 'ghost' })).msg).toBe('user_leader_invalid');
		expect(err(await create({ user_name: 'n'.repeat(129), dept_ids: [d1] })).msg).toBe('user_name_too_long');
	});

	it('keeps ex_user_id, email (any case) and phone unique across all users', async () => {
		const a = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1], ex_user_id: 'e1', email: 'a@x.com', phone: '111' });
		const login = { status: 400, code: 400000003, msg: 'user_login_name_exists' };
		expect(err(await create({ user_name: 'B', dept_ids: [d1], ex_user_id: 'e1' }))).toEqual({
			status: 400,
			code: 400000003,
			msg: 'user_union_id_already_exist',
		});
		const email = await create({ user_name: 'B', dept_ids: [d1], email: 'A@X.com' });
		expect(err(email)).toEqual(login);
		expect(email.json.data).toEqual({ field: 'email' });
		expect(err(await create({ user_name: 'B', dept_ids: [d1], phone: '111' }))).toEqual(login);
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1] });
		// b never set an ex id: its own id is its ex id and is taken.
		expect(err(await create({ user_name: 'C', dept_ids: [d1], ex_user_id: b.user_id })).msg).toBe('user_union_id_already_exist');
		expect(err(await t.api('POST', `/v7/users/${b.user_id}/update`, { email: 'a@x.com' }))).toEqual(login);
		expect(err(await t.api('POST', `/v7/users/${b.user_id}/update`, { ex_user_id: 'e1' })).msg).toBe('user_union_id_already_exist');
		// A disabled holder still holds its email.
		await t.ok('/v7/users/batch_disable', { user_ids: [a.user_id] });
		expect(err(await create({ user_name: 'C', dept_ids: [d1], email: 'a@x.com' }))).toEqual(login);
		// Updating a user to its own values is fine; freeing an email lets another take it.
		await t.ok(`/v7/users/${a.user_id}/update`, { email: 'a@x.com', phone: '111', ex_user_id: 'e1' });
		await t.ok(`/v7/users/${a.user_id}/update`, { email: '' });
		expect((await create({ user_name: 'C', dept_ids: [d1], email: 'a@x.com' })).json.code).toBe(0);
	});

	it('stops at the seat limit, counting disabled users too', async () => {
		await t.emu.admin.seedUsers([1, 2, 3, 4].map((i) => ({ user_name: `S${i}`, dept_ids: [d1], status: i === 4 ? 'disabled' : 'active' })));
		await t.ok('/v7/users/create', { user_name: 'Fifth', dept_ids: [d1] });
		expect(err(await create({ user_name: 'Sixth', dept_ids: [d1] }))).toEqual({
			status: 400,
			code: 400000001,
			msg: 'user_member_num_limit',
		});
	});

	it('limits the departments per user on create, update, membership and batch_update_dept', async () => {
		const limit = { status: 400, code: 400000001, msg: 'dept_user_account_dept_num_limit' };
		expect(err(await create({ user_name: 'A', dept_ids: [d1, d2, d3] }))).toEqual(limit);
		const u = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1, d2] });
		expect(err(await t.api('POST', `/v7/depts/${d3}/members/${u.user_id}/create`))).toEqual(limit);
		expect(err(await t.api('POST', `/v7/users/${u.user_id}/update`, { dept_ids: [d1, d2, d3] }))).toEqual(limit);
		expect(err(await t.api('POST', '/v7/users/batch_update_dept', { items: [{ user_id: u.user_id, dept_ids: [d1, d2, d3] }] }))).toEqual(limit);
	});

	it('moves users between departments with membership calls and batch_update_dept', async () => {
		const u = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1] });
		await t.ok(`/v7/depts/${d2}/members/${u.user_id}/create`);
		await t.ok(`/v7/depts/${d2}/members/${u.user_id}/create`); // idempotent
		await t.ok(`/v7/depts/${d1}/members/${u.user_id}/delete`);
		let read = await t.get(`/v7/users/${u.user_id}?with_dept=true`);
		expect(read).toMatchObject({ dept_ids: [d2], def_dept_id: d2 });
		expect(err(await t.api('POST', `/v7/depts/${d2}/members/${u.user_id}/delete`)).msg).toBe('user_dept_required');
		await t.ok('/v7/users/batch_update_dept', { items: [{ user_id: u.user_id, dept_ids: [d3, d1], def_dept_id: d1 }] });
		read = await t.get(`/v7/users/${u.user_id}?with_dept=true`);
		expect(read).toMatchObject({ dept_ids: [d3, d1], def_dept_id: d1 });
		const members = await t.get(`/v7/depts/${d2}/members?status=active`);
		expect(members.items).toEqual([]);
		// One bad item and nothing changes.
		const bad = await t.api('POST', '/v7/users/batch_update_dept', {
			items: [
				{ user_id: u.user_id, dept_ids: [d2] },
				{ user_id: 'ghost', dept_ids: [d2] },
			],
		});
		expect(err(bad).msg).toBe('user_not_found');
		expect((await t.get(`/v7/users/${u.user_id}?with_dept=true`)).dept_ids).toEqual([d3, d1]);
	});

	it('needs a status filter on lists and batches and hides every other status', async () => {
		const { users } = await t.emu.admin.seedUsers(
			(['active', 'notactive', 'disabled', 'dimission'] as const).map((status) => ({
				user_name: status,
				status,
				dept_ids: [d1],
				ex_user_id: `ex-${status}`,
			})),
		);
		const ids = users.map((u) => u.user_id);
		const exIds = users.map((u) => u.ex_user_id);
		expect(err(await t.api('POST', '/v7/users/batch_read', { user_ids: ids }))).toEqual({ status: 400, code: 400000002, msg: 'invalid_param' });
		expect(err(await t.api('POST', '/v7/users/by_ex_user_ids', { ex_user_ids: exIds })).msg).toBe('invalid_param');
		expect(err(await t.api('GET', `/v7/depts/${d1}/members`)).msg).toBe('invalid_param');
		expect(err(await t.api('GET', '/v7/users')).msg).toBe('invalid_param');
		expect(err(await t.api('GET', '/v7/users?status=gone')).msg).toBe('invalid_param');

		const names = (data: any) => data.items.map((u: any) => u.user_name).sort();
		expect(names(await t.ok('/v7/users/batch_read', { user_ids: ids, status: ['active'] }))).toEqual(['active']);
		expect(names(await t.ok('/v7/users/by_ex_user_ids', { ex_user_ids: exIds, status: ['active'] }))).toEqual(['active']);
		expect(names(await t.ok('/v7/users/by_ex_user_ids', { ex_user_ids: exIds, status: ALL }))).toEqual([...ALL].sort());
		expect(names(await t.get(`/v7/depts/${d1}/members?status=active&with_user_detail=true`))).toEqual(['active']);
		expect(names(await t.get(`/v7/depts/${d1}/members?status=active,disabled&with_user_detail=true`))).toEqual(['active', 'disabled']);
		expect(names(await t.get(`/v7/users?status=disabled&status=dimission`))).toEqual(['dimission', 'disabled']);
		// A read by id answers whatever the status.
		expect((await t.get(`/v7/users/${ids[2]}`)).status).toBe('disabled');
		// The trap the spec warns about: the disabled user is invisible to an active-only read, yet holds its ex id.
		expect(err(await create({ user_name: 'again', dept_ids: [d1], ex_user_id: 'ex-disabled' })).msg).toBe('user_union_id_already_exist');
	});

	it('disables and re-enables idempotently; every id must exist or nothing changes', async () => {
		const a = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1] });
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1] });
		await t.ok('/v7/users/batch_disable', { user_ids: [a.user_id] });
		await t.ok('/v7/users/batch_disable', { user_ids: [a.user_id, b.user_id] });
		const statuses = async () => (await t.emu.admin.dump()).users.map((u) => u.status);
		expect(await statuses()).toEqual(['disabled', 'disabled']);
		expect(err(await t.api('POST', '/v7/users/batch_enable', { user_ids: [a.user_id, 'ghost'] })).msg).toBe('user_not_found');
		expect(await statuses()).toEqual(['disabled', 'disabled']);
		await t.ok('/v7/users/batch_enable', { user_ids: [a.user_id, b.user_id] });
		await t.ok('/v7/users/batch_enable', { user_ids: [a.user_id] });
		expect(await statuses()).toEqual(['active', 'active']);
		expect(err(await t.api('POST', `/v7/users/${a.user_id}/update`, { status: 'disabled' })).msg).toBe('invalid_param');
	});

	it('hard delete removes the user and every membership', async () => {
		const a = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1, d2], ex_user_id: 'ea', email: 'a@x.com' });
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1], leader_id: a.user_id });
		await t.ok(`/v7/users/${a.user_id}/delete`);
		const dump = await t.emu.admin.dump();
		expect(dump.users.map((u) => u.user_id)).toEqual([b.user_id]);
		expect(dump.users[0].leader_id).toBe('');
		for (const d of [d1, d2]) {
			const members = await t.get(`/v7/depts/${d}/members?status=${ALL.join(',')}`);
			expect(members.items.map((m: any) => m.user_id)).not.toContain(a.user_id);
		}
		await t.ok(`/v7/depts/${d2}/delete`);
		expect(err(await t.api('GET', `/v7/users/${a.user_id}`))).toEqual({ status: 404, code: 400000004, msg: 'user_not_found' });
		// Its ex id and email are free again.
		expect((await create({ user_name: 'A2', dept_ids: [d1], ex_user_id: 'ea', email: 'a@x.com' })).json.code).toBe(0);
	});

	it('looks users up by at most 100 ex ids, emails or phones', async () => {
		await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1], email: 'a@x.com', phone: '123' });
		const byEmail = await t.ok('/v7/users/by_emails', { emails: ['A@x.com', 'none@x.com'], status: ['active'] });
		expect(byEmail.items.map((u: any) => u.user_name)).toEqual(['A']);
		const byPhone = await t.ok('/v7/users/by_phones', { phones: ['123'], status: ['active'] });
		expect(byPhone.items.map((u: any) => u.user_name)).toEqual(['A']);
		const many = Array.from({ length: 101 }, (_, i) => `${i}@x.com`);
		for (const [path, field] of [
			['/v7/users/by_emails', 'emails'],
			['/v7/users/by_phones', 'phones'],
			['/v7/users/by_ex_user_ids', 'ex_user_ids'],
			['/v7/users/batch_read', 'user_ids'],
			['/v7/users/batch_disable', 'user_ids'],
		]) {
			expect(err(await t.api('POST', path, { [field]: many, status: ['active'] })).msg).toBe('batch_size_exceeded');
		}
	});
});
