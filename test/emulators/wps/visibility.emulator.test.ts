import { ALL_SCOPES } from './index';
import { err, rawCall, rawToken, startTenant, type TenantFixture, wpsErrorBodyProblem } from './rawHttp';

describe('WPS emulator: scopes and data-permission range', () => {
	let t: TenantFixture;
	let inside: string, outside: string, insideUser: string, outsideUser: string;
	beforeAll(async () => {
		t = await startTenant();
		const { depts } = await t.emu.admin.seedDepts([
			{ name: 'Inside', ex_dept_id: 'ex-in' },
			{ name: 'Outside', ex_dept_id: 'ex-out' },
		]);
		[inside, outside] = depts.map((d) => d.dept_id);
		const { users } = await t.emu.admin.seedUsers([
			{ user_name: 'In', dept_ids: [inside], email: 'in@x.com', phone: '1', gender: 'female', ex_user_id: 'u-in' },
			{ user_name: 'Out', dept_ids: [outside], email: 'out@x.com', phone: '2', ex_user_id: 'u-out' },
		]);
		[insideUser, outsideUser] = users.map((u) => u.user_id);
	});
	afterAll(() => t.emu.close());

	async function appToken(clientId: string, settings: { scopes?: string[]; dataRange?: string[] }): Promise<string> {
		await t.emu.admin.addApp({ clientId, clientSecret: 's', sameTenantAs: 'app-1', ...settings });
		return rawToken(t.emu.baseUrl, clientId, 's');
	}

	it('blanks email, phone and gender without their read scopes; lookups by them need only the contact scope', async () => {
		const token = await appToken('no-pii', { scopes: ['kso.contact.read', 'kso.contact.readwrite'] });
		const res = await rawCall(t.emu.baseUrl, 'GET', `/v7/users/${insideUser}`, { token });
		expect(res.json.data).toMatchObject({ user_name: 'In', email: '', phone: '', gender: '' });
		const full = await t.get(`/v7/users/${insideUser}`);
		expect(full).toMatchObject({ email: 'in@x.com', phone: '1', gender: 'female' });
		// The lookup finds the user, yet the field it was found by reads back blank: found is not readable.
		const byEmail = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/by_emails', {
			token,
			body: { emails: ['in@x.com'], status: ['active'] },
		});
		expect(byEmail.json.code).toBe(0);
		expect(byEmail.json.data.items).toEqual([
			expect.objectContaining({ id: insideUser, user_name: 'In', email: '', phone: '' }),
		]);
		const byPhone = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/by_phones', {
			token,
			body: { phones: ['1'], status: ['active'] },
		});
		expect(byPhone.json.data.items).toEqual([expect.objectContaining({ id: insideUser, email: '', phone: '' })]);
		// Members' user_info is blanked the same way.
		const members = await rawCall(
			t.emu.baseUrl,
			'GET',
			`/v7/depts/${inside}/members?status=active&with_user_detail=true`,
			{ token },
		);
		expect(members.json.data.items[0].user_info).toMatchObject({ id: insideUser, email: '', phone: '', gender: '' });
		// Without the contact scope itself, the lookup is refused.
		const none = await appToken('no-contact', { scopes: [] });
		const refused = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/by_emails', {
			token: none,
			body: { emails: ['in@x.com'], status: ['active'] },
		});
		expect(err(refused)).toEqual({ status: 403, code: 403000001, reason: 'no_permission' });
	});

	it('needs kso.contact.readwrite to write and kso.contact.read to read', async () => {
		const reader = await appToken('reader', { scopes: ALL_SCOPES.filter((s) => s !== 'kso.contact.readwrite') });
		const write = await rawCall(t.emu.baseUrl, 'POST', '/v7/depts/create', {
			token: reader,
			body: { name: 'N', parent_id: t.rootId },
		});
		expect(err(write)).toEqual({ status: 403, code: 403000001, reason: 'no_permission' });
		// The refusal does not name the missing scope: the body is {code, msg} only.
		expect(wpsErrorBodyProblem(write)).toBe('');
		expect((await t.emu.admin.dump()).depts.map((d) => d.name)).not.toContain('N');
		expect((await rawCall(t.emu.baseUrl, 'GET', '/v7/depts/root', { token: reader })).json.code).toBe(0);
		const none = await appToken('none', { scopes: [] });
		expect(err(await rawCall(t.emu.baseUrl, 'GET', '/v7/depts/root', { token: none })).reason).toBe('no_permission');
	});

	it('makes everything outside the range look absent, for reads and writes alike', async () => {
		const token = await appToken('ranged', { dataRange: [inside] });
		const call = (method: string, path: string, body?: unknown) =>
			rawCall(t.emu.baseUrl, method, path, { token, body });
		const deptMissing = { status: 404, code: 400000004, reason: 'dept_not_found' };
		expect(
			(await call('POST', '/v7/depts/batch_read', { dept_ids: [inside, outside] })).json.data.items.map(
				(d: any) => d.id,
			),
		).toEqual([inside]);
		expect(err(await call('GET', `/v7/depts/${outside}/children`))).toEqual(deptMissing);
		expect(err(await call('POST', `/v7/depts/${outside}/delete`))).toEqual(deptMissing);
		expect(err(await call('POST', `/v7/depts/${outside}/update`, { name: 'Renamed' }))).toEqual(deptMissing);
		expect(err(await call('POST', '/v7/depts/create', { name: 'N', parent_id: outside })).reason).toBe(
			'parent_dept_not_found',
		);
		expect(err(await call('GET', `/v7/users/${outsideUser}`))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'user_not_found',
		});
		expect(err(await call('POST', `/v7/users/${outsideUser}/delete`)).reason).toBe('user_not_found');
		expect(
			(await call('POST', '/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['ex-in', 'ex-out'] })).json.data.items.map(
				(d: any) => d.name,
			),
		).toEqual(['Inside']);
		const lookups = await call('POST', '/v7/users/by_ex_user_ids', {
			ex_user_ids: ['u-in', 'u-out'],
			status: ['active'],
		});
		expect(lookups.json.data.items.map((u: any) => u.user_name)).toEqual(['In']);
		const listed = await call('GET', '/v7/users?status=active&page_size=50');
		expect(listed.json.data.items.map((u: any) => u.user_name)).toEqual(['In']);
		// The root is still the entry point, but its children are out of range.
		expect((await call('GET', '/v7/depts/root')).json.code).toBe(0);
		expect(err(await call('GET', `/v7/depts/${t.rootId}/children`))).toEqual(deptMissing);
		// Hidden objects still hold their unique keys.
		const clash = await call('POST', '/v7/users/create', { user_name: 'X', dept_ids: [inside], ex_user_id: 'u-out' });
		expect(err(clash).reason).toBe('user_union_id_already_exist');
		// Inside, it works as usual, and nothing outside was touched.
		expect((await call('POST', '/v7/depts/create', { name: 'Sub', parent_id: inside })).json.code).toBe(0);
		const dump = await t.emu.admin.dump();
		expect(dump.depts.find((d) => d.dept_id === outside)?.name).toBe('Outside');
		expect(dump.users.map((u) => u.user_name)).toEqual(['In', 'Out']);
	});

	it('keeps memberships outside the range when an in-range app reassigns a user', async () => {
		const { users } = await t.emu.admin.seedUsers([{ user_name: 'Both', dept_ids: [inside, outside] }]);
		const token = await appToken('ranged-2', { dataRange: [inside] });
		const read = await rawCall(t.emu.baseUrl, 'GET', `/v7/users/${users[0].user_id}?with_dept=true`, { token });
		expect(read.json.data.depts.map((d: any) => d.id)).toEqual([inside]);
		expect(read.json.data.def_dept_id).toBe(inside);
		const sub = (await t.ok('/v7/depts/create', { name: 'Sub2', parent_id: inside })).dept_id;
		const res = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/batch_update_dept', {
			token,
			body: { items: [{ user_id: users[0].user_id, dept_ids: [sub] }] },
		});
		expect(res.json.code).toBe(0);
		const dumped = (await t.emu.admin.dump()).users.find((u) => u.user_id === users[0].user_id);
		expect(dumped?.dept_ids.sort()).toEqual([outside, sub].sort());
	});
});
