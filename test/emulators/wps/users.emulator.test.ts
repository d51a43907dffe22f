import { type TenantFixture, USER_KEYS, err, keysOf, startTenant, wpsErrorBodyProblem } from './rawHttp';

/** Every status a batch or member filter accepts; `dimission` only `GET /v7/users` takes. */
const FILTER = ['active', 'notactive', 'disabled'];
const ALL = [...FILTER, 'dimission'];
/** The short user of by_ex_user_ids, by_emails and by_phones. */
const EX_USER_KEYS = ['avatar', 'ctime', 'email', 'ex_user_id', 'id', 'phone', 'role', 'status', 'title', 'user_name'];

describe('WPS emulator: user rules', () => {
	let t: TenantFixture;
	let d1: string, d2: string, d3: string;
	beforeEach(async () => {
		t = await startTenant({ seatLimit: 5, maxDeptsPerUser: 2 });
		d1 = (await t.ok('/v7/depts/create', { name: 'D1', parent_id: t.rootId })).dept_id;
		d2 = (await t.ok('/v7/depts/create', { name: 'D2', parent_id: t.rootId })).dept_id;
		d3 = (await t.ok('/v7/depts/create', { name: 'D3', parent_id: t.rootId })).dept_id;
	});
	afterEach(() => t.emu.close());

	const create = (body: Record<string, unknown>) => t.api('POST', '/v7/users/create', body);
	/** A user's departments as the API shows them: `depts[].id` of a read with with_dept=true. */
	const deptsOf = async (userId: string) =>
		(await t.get(`/v7/users/${userId}?with_dept=true`)).depts.map((d: any) => d.id);

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
		// Create answers the user keyed `id`; its departments are read back as `depts`, never as `dept_ids`.
		expect(u).toMatchObject({ user_name: 'Ann', ex_user_id: 'hr-1', status: 'active', def_dept_id: d2, title: 'CEO' });
		expect(typeof u.id).toBe('string');
		expect(u).not.toHaveProperty('user_id');
		expect(u).not.toHaveProperty('dept_ids');
		expect(await deptsOf(u.id)).toEqual([d1, d2]);
		const v = await t.ok('/v7/users/create', { user_name: 'Bob', dept_ids: [d1], leader_id: u.id });
		expect(v.ex_user_id).toBe(v.id);
		expect(v.def_dept_id).toBe(d1);
		expect((await t.get(`/v7/users/${v.id}`)).leader_id).toBe(u.id);

		expect(err(await create({ dept_ids: [d1] })).reason).toBe('invalid_param');
		expect(err(await create({ user_name: 'C' })).reason).toBe('invalid_param');
		expect(err(await create({ user_name: 'C', dept_ids: ['nope'] }))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'dept_not_found',
		});
		expect(err(await create({ user_name: 'C', dept_ids: [d1], def_dept_id: d2 }))).toEqual({
			status: 400,
			code: 400000003,
			reason: 'user_def_dept_invalid',
		});
		expect(err(await create({ user_name: 'C', dept_ids: [d1], leader_id: 'ghost' })).reason).toBe(
			'user_leader_invalid',
		);
		expect(err(await create({ user_name: 'n'.repeat(129), dept_ids: [d1] })).reason).toBe('user_name_too_long');
	});

	it('keeps ex_user_id, email (any case) and phone unique across all users', async () => {
		const a = await t.ok('/v7/users/create', {
			user_name: 'A',
			dept_ids: [d1],
			ex_user_id: 'e1',
			email: 'a@x.com',
			phone: '111',
		});
		const login = { status: 400, code: 400000003, reason: 'user_login_name_exists' };
		expect(err(await create({ user_name: 'B', dept_ids: [d1], ex_user_id: 'e1' }))).toEqual({
			status: 400,
			code: 400000003,
			reason: 'user_union_id_already_exist',
		});
		const email = await create({ user_name: 'B', dept_ids: [d1], email: 'A@X.com' });
		expect(err(email)).toEqual(login);
		// Which field collided is not on the wire: the body is {code, msg} only.
		expect(wpsErrorBodyProblem(email)).toBe('');
		expect(err(await create({ user_name: 'B', dept_ids: [d1], phone: '111' }))).toEqual(login);
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1] });
		// b never set an ex id: its own id is its ex id and is taken.
		expect(err(await create({ user_name: 'C', dept_ids: [d1], ex_user_id: b.id })).reason).toBe(
			'user_union_id_already_exist',
		);
		expect(err(await t.api('POST', `/v7/users/${b.id}/update`, { email: 'a@x.com' }))).toEqual(login);
		expect(err(await t.api('POST', `/v7/users/${b.id}/update`, { ex_user_id: 'e1' })).reason).toBe(
			'user_union_id_already_exist',
		);
		// A disabled holder still holds its email.
		await t.ok('/v7/users/batch_disable', { user_ids: [a.id] });
		expect(err(await create({ user_name: 'C', dept_ids: [d1], email: 'a@x.com' }))).toEqual(login);
		// Updating a user to its own values is fine; freeing an email lets another take it.
		await t.ok(`/v7/users/${a.id}/update`, { email: 'a@x.com', phone: '111', ex_user_id: 'e1' });
		await t.ok(`/v7/users/${a.id}/update`, { email: '' });
		expect((await create({ user_name: 'C', dept_ids: [d1], email: 'a@x.com' })).json.code).toBe(0);
	});

	it('stops at the seat limit, counting disabled users too', async () => {
		await t.emu.admin.seedUsers(
			[1, 2, 3, 4].map((i) => ({ user_name: `S${i}`, dept_ids: [d1], status: i === 4 ? 'disabled' : 'active' })),
		);
		await t.ok('/v7/users/create', { user_name: 'Fifth', dept_ids: [d1] });
		expect(err(await create({ user_name: 'Sixth', dept_ids: [d1] }))).toEqual({
			status: 400,
			code: 400000001,
			reason: 'user_member_num_limit',
		});
	});

	it('limits the departments per user on create, membership and batch_update_dept', async () => {
		const limit = { status: 400, code: 400000001, reason: 'dept_user_account_dept_num_limit' };
		expect(err(await create({ user_name: 'A', dept_ids: [d1, d2, d3] }))).toEqual(limit);
		const u = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1, d2] });
		expect(err(await t.api('POST', `/v7/depts/${d3}/members/${u.id}/create`))).toEqual(limit);
		expect(
			err(await t.api('POST', '/v7/users/batch_update_dept', { items: [{ user_id: u.id, dept_ids: [d1, d2, d3] }] })),
		).toEqual(limit);
		expect(await deptsOf(u.id)).toEqual([d1, d2]);
	});

	it('refuses dept_ids on user update (departments change through memberships) and changes nothing', async () => {
		const u = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1], title: 'Old' });
		const refused = await t.api('POST', `/v7/users/${u.id}/update`, { title: 'New', dept_ids: [d2] });
		expect(err(refused)).toEqual({ status: 400, code: 400000002, reason: 'invalid_param' });
		const read = await t.get(`/v7/users/${u.id}?with_dept=true`);
		expect(read.title).toBe('Old');
		expect(read.depts.map((d: any) => d.id)).toEqual([d1]);
		// The documented way: membership create, then delete; an update answers {code, msg} only.
		expect((await t.api('POST', `/v7/depts/${d2}/members/${u.id}/create`)).json).toEqual({ code: 0, msg: 'success' });
		expect((await t.api('POST', `/v7/depts/${d1}/members/${u.id}/delete`)).json).toEqual({ code: 0, msg: 'success' });
		expect((await t.api('POST', `/v7/users/${u.id}/update`, { title: 'New' })).json).toEqual({
			code: 0,
			msg: 'success',
		});
		expect(await t.get(`/v7/users/${u.id}?with_dept=true`)).toMatchObject({
			title: 'New',
			def_dept_id: d2,
			depts: [{ id: d2, name: 'D2' }],
		});
	});

	it('moves users between departments with membership calls and batch_update_dept', async () => {
		const u = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1] });
		await t.ok(`/v7/depts/${d2}/members/${u.id}/create`);
		await t.ok(`/v7/depts/${d2}/members/${u.id}/create`); // idempotent
		await t.ok(`/v7/depts/${d1}/members/${u.id}/delete`);
		let read = await t.get(`/v7/users/${u.id}?with_dept=true`);
		expect(read).toMatchObject({ def_dept_id: d2, depts: [{ id: d2, name: 'D2', abs_path: '/Root/D2' }] });
		expect(read.depts).toHaveLength(1);
		expect(err(await t.api('POST', `/v7/depts/${d2}/members/${u.id}/delete`)).reason).toBe('user_dept_required');
		await t.ok('/v7/users/batch_update_dept', { items: [{ user_id: u.id, dept_ids: [d3, d1], def_dept_id: d1 }] });
		read = await t.get(`/v7/users/${u.id}?with_dept=true`);
		expect(read.def_dept_id).toBe(d1);
		expect(read.depts.map((d: any) => d.id)).toEqual([d3, d1]);
		const members = await t.get(`/v7/depts/${d2}/members?status=active`);
		expect(members.items).toEqual([]);
		// One bad item and nothing changes.
		const bad = await t.api('POST', '/v7/users/batch_update_dept', {
			items: [
				{ user_id: u.id, dept_ids: [d2] },
				{ user_id: 'ghost', dept_ids: [d2] },
			],
		});
		expect(err(bad).reason).toBe('user_not_found');
		expect(await deptsOf(u.id)).toEqual([d3, d1]);
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
		expect(err(await t.api('POST', '/v7/users/batch_read', { user_ids: ids }))).toEqual({
			status: 400,
			code: 400000002,
			reason: 'invalid_param',
		});
		expect(err(await t.api('POST', '/v7/users/by_ex_user_ids', { ex_user_ids: exIds })).reason).toBe('invalid_param');
		expect(err(await t.api('GET', `/v7/depts/${d1}/members`)).reason).toBe('invalid_param');
		expect(err(await t.api('GET', '/v7/users')).reason).toBe('invalid_param');
		expect(err(await t.api('GET', '/v7/users?status=gone')).reason).toBe('invalid_param');

		const names = (data: any) => data.items.map((u: any) => u.user_name ?? u.user_info.user_name).sort();
		expect(names(await t.ok('/v7/users/batch_read', { user_ids: ids, status: ['active'] }))).toEqual(['active']);
		expect(names(await t.ok('/v7/users/by_ex_user_ids', { ex_user_ids: exIds, status: ['active'] }))).toEqual([
			'active',
		]);
		expect(names(await t.ok('/v7/users/by_ex_user_ids', { ex_user_ids: exIds, status: FILTER }))).toEqual(
			[...FILTER].sort(),
		);
		expect(names(await t.ok('/v7/users/batch_read', { user_ids: ids, status: FILTER }))).toEqual([...FILTER].sort());
		expect(names(await t.get(`/v7/depts/${d1}/members?status=active&with_user_detail=true`))).toEqual(['active']);
		expect(names(await t.get(`/v7/depts/${d1}/members?status=active,disabled&with_user_detail=true`))).toEqual([
			'active',
			'disabled',
		]);
		expect(names(await t.get(`/v7/users?status=disabled&status=dimission`))).toEqual(['dimission', 'disabled']);
		expect(names(await t.get(`/v7/users?status=${ALL.join(',')}`))).toEqual([...ALL].sort());
		// A read by id answers whatever the status.
		expect((await t.get(`/v7/users/${ids[2]}`)).status).toBe('disabled');
		// The trap the spec warns about: the disabled user is invisible to an active-only read, yet holds its ex id.
		expect(err(await create({ user_name: 'again', dept_ids: [d1], ex_user_id: 'ex-disabled' })).reason).toBe(
			'user_union_id_already_exist',
		);
	});

	it('refuses dimission in the batch_read, by_ex_user_ids and member filters; only GET /v7/users takes it', async () => {
		const { users } = await t.emu.admin.seedUsers([
			{ user_name: 'Left', status: 'dimission', dept_ids: [d1], ex_user_id: 'ex-left' },
			{ user_name: 'Here', status: 'active', dept_ids: [d1], ex_user_id: 'ex-here' },
		]);
		const ids = users.map((u) => u.user_id);
		const refused = { status: 400, code: 400000002, reason: 'invalid_param' };
		const withDimission = ['active', 'dimission'];
		expect(err(await t.api('POST', '/v7/users/batch_read', { user_ids: ids, status: withDimission }))).toEqual(refused);
		expect(
			err(
				await t.api('POST', '/v7/users/by_ex_user_ids', { ex_user_ids: ['ex-left', 'ex-here'], status: withDimission }),
			),
		).toEqual(refused);
		expect(err(await t.api('GET', `/v7/depts/${d1}/members?status=active,dimission`))).toEqual(refused);
		expect(err(await t.api('GET', `/v7/depts/${d1}/members?status=dimission&recursive=true`))).toEqual(refused);
		expect(
			err(await t.api('POST', `/v7/depts/${d1}/members/batch_read`, { user_ids: ids, status: withDimission })),
		).toEqual(refused);
		const listed = await t.get('/v7/users?status=dimission');
		expect(listed.items.map((u: any) => [u.id, u.status])).toEqual([[ids[0], 'dimission']]);
		// A read by id still shows the departed user and its status.
		expect((await t.get(`/v7/users/${ids[0]}`)).status).toBe('dimission');
	});

	it('answers the documented user shapes: get-user for reads by id, the short form for key lookups', async () => {
		await t.emu.admin.seedUsers([
			{
				user_name: 'G',
				dept_ids: [d1, d2],
				def_dept_id: d2,
				ex_user_id: 'ex-g',
				email: 'g@x.com',
				phone: '9',
				employee_id: 'E9',
			},
		]);
		const id = (await t.ok('/v7/users/by_ex_user_ids', { ex_user_ids: ['ex-g'], status: ['active'] })).items[0].id;
		const plain = await t.get(`/v7/users/${id}`);
		expect(keysOf(plain)).toEqual([...USER_KEYS].sort());
		// Gender never set reads 'undefined' (with its scope; '' without, see visibility.emulator.test.ts).
		expect(plain).toMatchObject({
			id,
			user_name: 'G',
			ex_user_id: 'ex-g',
			def_dept_id: d2,
			employee_id: 'E9',
			gender: 'undefined',
		});
		const withDept = await t.get(`/v7/users/${id}?with_dept=true`);
		expect(keysOf(withDept)).toEqual([...USER_KEYS, 'depts'].sort());
		expect(withDept.depts).toEqual([
			{ abs_path: '/Root/D1', id: d1, name: 'D1' },
			{ abs_path: '/Root/D2', id: d2, name: 'D2' },
		]);
		const batch = await t.ok('/v7/users/batch_read', { user_ids: [id], status: ['active'], with_dept: true });
		expect(batch.items).toEqual([withDept]);
		expect(keysOf((await t.ok('/v7/users/batch_read', { user_ids: [id], status: ['active'] })).items[0])).toEqual(
			[...USER_KEYS].sort(),
		);
		// Key lookups answer the short user: no departments (even if asked for), no leader, no employee id.
		for (const [path, body] of [
			['/v7/users/by_ex_user_ids', { ex_user_ids: ['ex-g'], with_dept: true }],
			['/v7/users/by_emails', { emails: ['g@x.com'] }],
			['/v7/users/by_phones', { phones: ['9'] }],
		] as const) {
			const items = (await t.ok(path, { ...body, status: ['active'] })).items;
			expect(items).toHaveLength(1);
			expect(keysOf(items[0])).toEqual(EX_USER_KEYS);
			expect(items[0]).toMatchObject({ id, user_name: 'G', ex_user_id: 'ex-g', email: 'g@x.com', phone: '9' });
		}
	});

	it("moves a user's mtime (seconds) on every change to the user or its memberships", async () => {
		let now = 1_800_000_000_000;
		const c = await startTenant({}, { rateLimits: 'off', now: () => now });
		try {
			const dept = (await c.ok('/v7/depts/create', { name: 'M', parent_id: c.rootId })).dept_id;
			const u = await c.ok('/v7/users/create', { user_name: 'A', dept_ids: [c.rootId] });
			const mtime = async () =>
				(await c.ok(`/v7/depts/${c.rootId}/members/batch_read`, { user_ids: [u.id], status: FILTER })).items[0].mtime;
			expect(await mtime()).toBe(1_800_000_000);
			const steps: [string, unknown][] = [
				[`/v7/users/${u.id}/update`, { title: 'T' }],
				[`/v7/depts/${dept}/members/${u.id}/create`, {}],
				['/v7/users/batch_disable', { user_ids: [u.id] }],
				['/v7/users/batch_enable', { user_ids: [u.id] }],
				[`/v7/depts/${dept}/members/${u.id}/delete`, {}],
			];
			for (const [path, body] of steps) {
				now += 5_000;
				await c.ok(path, body);
				expect(await mtime()).toBe(Math.floor(now / 1000));
			}
			// A read moves nothing.
			now += 5_000;
			await c.get(`/v7/users/${u.id}`);
			expect(await mtime()).toBe(Math.floor(now / 1000) - 5);
		} finally {
			await c.emu.close();
		}
	});

	it('disables and re-enables idempotently; every id must exist or nothing changes', async () => {
		const a = await t.ok('/v7/users/create', { user_name: 'A', dept_ids: [d1] });
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1] });
		await t.ok('/v7/users/batch_disable', { user_ids: [a.id] });
		await t.ok('/v7/users/batch_disable', { user_ids: [a.id, b.id] });
		const statuses = async () => (await t.emu.admin.dump()).users.map((u) => u.status);
		expect(await statuses()).toEqual(['disabled', 'disabled']);
		expect(err(await t.api('POST', '/v7/users/batch_enable', { user_ids: [a.id, 'ghost'] })).reason).toBe(
			'user_not_found',
		);
		expect(await statuses()).toEqual(['disabled', 'disabled']);
		await t.ok('/v7/users/batch_enable', { user_ids: [a.id, b.id] });
		await t.ok('/v7/users/batch_enable', { user_ids: [a.id] });
		expect(await statuses()).toEqual(['active', 'active']);
		expect(err(await t.api('POST', `/v7/users/${a.id}/update`, { status: 'disabled' })).reason).toBe('invalid_param');
	});

	it('hard delete removes the user and every membership', async () => {
		const a = await t.ok('/v7/users/create', {
			user_name: 'A',
			dept_ids: [d1, d2],
			ex_user_id: 'ea',
			email: 'a@x.com',
		});
		const b = await t.ok('/v7/users/create', { user_name: 'B', dept_ids: [d1], leader_id: a.id });
		await t.ok(`/v7/users/${a.id}/delete`);
		const dump = await t.emu.admin.dump();
		expect(dump.users.map((u) => u.user_id)).toEqual([b.id]);
		expect(dump.users[0].leader_id).toBe('');
		for (const d of [d1, d2]) {
			const members = await t.get(`/v7/depts/${d}/members?status=${FILTER.join(',')}`);
			expect(members.items.map((m: any) => m.user_id)).toEqual(d === d1 ? [b.id] : []);
		}
		expect((await t.get(`/v7/users/${b.id}`)).leader_id).toBe('');
		await t.ok(`/v7/depts/${d2}/delete`);
		expect(err(await t.api('GET', `/v7/users/${a.id}`))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'user_not_found',
		});
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
			expect(err(await t.api('POST', path, { [field]: many, status: ['active'] })).reason).toBe('batch_size_exceeded');
		}
	});
});
