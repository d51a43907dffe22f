import { ALL_SCOPES } from './index';
import { err, rawCall, rawToken, startTenant, type TenantFixture } from './rawHttp';

describe('WPS emulator: scopes and data-permission range', () => {
	let t: TenantFixture;
	let inside: string;
	let outside: string;
	let insideUser: string;
	let outsideUser: string;
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

	it('blanks email, phone and gender without their read scopes, and refuses lookups by them', async () => {
		const token = await appToken('no-pii', { scopes: ['kso.contact.read', 'kso.contact.readwrite'] });
		const res = await rawCall(t.emu.baseUrl, 'GET', `/v7/users/${insideUser}`, { token });
		expect(res.json.data).toMatchObject({ user_name: 'In', email: '', phone: '', gender: '' });
		const full = await t.get(`/v7/users/${insideUser}`);
		expect(full).toMatchObject({ email: 'in@x.com', phone: '1', gender: 'female' });
		const byEmail = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/by_emails', { token, body: { emails: ['in@x.com'], status: ['active'] } });
		expect(err(byEmail)).toEqual({ status: 403, code: 403000001, msg: 'no_permission' });
		expect(byEmail.json.data).toEqual({ required_scope: 'kso.user_email.read' });
		const byPhone = await rawCall(t.emu.baseUrl, 'POST', '/v7/users/by_phones', { token, body: { phones: ['1'], status: ['active'] } });
		expect(byPhone.json.data).toEqual({ required_scope: 'kso.user_phone.read' });
	});

	it('needs kso.contact.readwrite to write and kso.contact.read to read', async () => {
		const reader = await appToken('reader', { scopes: ALL_SCOPES.filter((s) => s !== 'kso.contact.readwrite') });
		const write = await rawCall(t.emu.baseUrl, 'POST', '/v7/depts/create', { token: reader, body: { name: 'N', parent_id: t.rootId } });
		expect(err(write)).toEqual({ status: 403, code: 403000001, msg: 'no_permission' });
		expect(write.json.data).toEqual({ required_scope: 'kso.contact.readwrite' });
		expect((await rawCall(t.emu.baseUrl, 'GET', '/v7/depts/root', { token: reader })).json.code).toBe(0);
		const none = await appToken('none', { scopes: [] });
		expect(err(await rawCall(t.emu.baseUrl, 'GET', '/v7/depts/root', { token: none })).msg).toBe('no_permission');
	});

	it('makes everything outside the range look absent, for reads and writes alike', async () => {
		const token = await appToken('ranged', { dataRange: [inside] });
		const call = (method: string, path: string, body?: unknown) => rawCall(t.emu.baseUrl, method, path, { token, body });
		const deptMissing = { status: 404, code: 400000004, msg: 'dept_not_found' };
		expect(err(await call('GET', `/v7/depts/${outside}`))).toEqual(deptMissing);
		expect(err(await call('GET', `/v7/depts/${outside}/children`))).toEqual(deptMissing);
		expect(err(await call('POST', `/v7/depts/${outside}/delete`))).toEqual(deptMissing);
		expect(err(await call('POST', `/v7/depts/${outside}/update`, { name: 'Renamed' }))).toEqual(deptMissing);
		expect(err(await call('POST', '/v7/depts/create', { name: 'N', parent_id: outside })).msg).toBe('parent_dept_not_found');
		expect(err(await call('GET', `/v7/users/${outsideUser}`))).toEqual({ status: 404, code: 400000004, msg: 'user_not_found' });
		expect(err(await call('POST', `/v7/users/${outsideUser}/delete`)).msg).toBe('user_not_found');
		expect((await call('POST', '/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['ex-in', 'ex-out'] })).json.data.items.map((d: any) => d.name)).toEqual(['Inside']);
		const lookups = await call('POST', '/v7/users/by_ex_user_ids', { ex_user_ids: ['u-in', 'u-out'], status: ['active'] });
		expect(lookups.json.data.items.map((u: any) => u.user_name)).toEqual(['In']);
		const listed = await call('GET', '/v7/users?status=active&page_size=50');
		expect(listed.json.data.items.map((u: any) => u.user_name)).toEqual(['In']);
		// The root is still the entry point, but its children are out of range.
		expect((await call('GET', '/v7/depts/root')).json.code).toBe(0);
		expect(err(await call('GET', `/v7/depts/${t.rootId}/children`))).toEqual(deptMissing);
		// Hidden objects still hold their unique keys.
		const clash = await call('POST', '/v7/users/create', { user_name: 'X', dept_ids: [inside], ex_user_id: 'u-out' });
		expect(err(clash).msg).toBe('user_union_id_already_exist');
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
		expect(read.json.data.dept_ids).toEqual([inside]);
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
