import { WPS_CODE, WpsApiError, clearTokenCache, createWpsContacts, type WpsContacts } from '../../../lib/wps';
import { wpsDirectory } from '../../../lib/wpsContactsSync/wpsDirectory';
import { FIXTURE_NAMES, fixture } from './fixtures';

/**
 * Contract (a): the client's readers, fed answers shaped exactly like WPS's pages (test/fixtures/wps), produce
 * the right objects. The answers come through a fake fetch, so the whole client path (wire, envelope, readers)
 * runs; nothing here knows the emulator. A reader that needed a key the page does not list would fail here.
 */

/**
 * A fake WPS answering each call with one of the named fixtures (`{ users: ['get'] }`: users-get) whose documented
 * endpoint it is, the endpoint's `{…}` ids filled in from `ids`; an error fixture (endpoint "any") answers every
 * call. Any other call gets a 404.
 */
function fakeWps(
	ids: Record<string, string>,
	fixtures: Record<string, string[]>,
): { wps: WpsContacts; sent: { method: string; path: string; body: unknown }[] } {
	const names = Object.entries(fixtures).flatMap(([group, ops]) => ops.map((op) => `${group}-${op}`));
	const routes = names.map((name) => {
		const [method, template = ''] = fixture(name).endpoint.split(' ');
		const path = template.split('?')[0].replace(/\{(\w+)\}/g, (_, id: string) => ids[id] ?? `{${id}}`);
		return { method, path, name };
	});
	const answers = (r: { method: string; path: string }, method: string, path: string) =>
		r.method === 'any' || (r.method === method && r.path === path);
	const sent: { method: string; path: string; body: unknown }[] = [];
	const fetchImpl = (async (input: URL | string, init?: RequestInit) => {
		const url = new URL(String(input));
		const method = init?.method ?? 'GET';
		const body = typeof init?.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : undefined;
		sent.push({ method, path: url.pathname + url.search, body });
		const name =
			url.pathname === '/oauth2/token' ? 'token' : routes.find((r) => answers(r, method, url.pathname))?.name;
		if (!name) return new Response(JSON.stringify({ code: 400000004, msg: '资源不存在' }), { status: 404 });
		const f = fixture(name);
		return new Response(JSON.stringify(f.response), {
			status: f.status,
			headers: { 'content-type': 'application/json' },
		});
	}) as typeof fetch;
	clearTokenCache();
	const wps = createWpsContacts({
		baseUrl: 'https://openapi.wps.cn',
		clientId: 'AK123',
		clientSecret: 'sk456',
		ratePerSecond: false,
		fetch: fetchImpl,
		retry: { maxAttempts: 1 },
	});
	return { wps, sent };
}

describe('WPS contract (a): the client reads the documented answers', () => {
	it('has a fixture for every endpoint the package calls, each naming its source', () => {
		for (const name of FIXTURE_NAMES) {
			const f = fixture(name);
			expect(f.source).toMatch(/page|catalogue|private|log|spec|unverified/);
			// The token endpoint answers flat OAuth2 fields; every other answer is the {code, msg, data} envelope.
			if (name !== 'token') expect(typeof f.response.code).toBe('number');
		}
		expect(FIXTURE_NAMES).toEqual(
			expect.arrayContaining([
				'depts-root',
				'depts-children',
				'depts-batch_read',
				'depts-by_ex_dept_ids',
				'depts-create',
				'users-get',
				'users-batch_read',
				'users-by_ex_user_ids',
				'users-create',
				'members-list',
				'members-batch_read',
			]),
		);
	});

	it('departments: keyed id, the root\'s parent "0" read as none, leaders as {user_id, order}', async () => {
		const { wps, sent } = fakeWps({ dept_id: '1' }, { depts: ['root', 'children', 'batch_read', 'by_ex_dept_ids'] });
		expect(await wps.depts.root()).toMatchObject({ id: '1', parent_id: '', ex_dept_id: '1', name: '华东科技' });
		expect(await wps.depts.allChildren('1')).toEqual([
			{
				id: '100001',
				ex_dept_id: 'hr-10',
				name: '销售部',
				parent_id: '1',
				order: 1,
				abs_path: '/华东科技/销售部',
				leaders: [{ user_id: '5000002', order: 0 }],
				ctime: 1712345678,
			},
		]);
		expect((await wps.depts.batchRead(['100001', '100002'])).map((d) => [d.id, d.parent_id])).toEqual([
			['100001', '1'],
			['100002', '100001'],
		]);
		// One department by id goes through batch_read: no page documents GET /v7/depts/{id}.
		expect((await wps.depts.get('100002')).name).toBe('华东区');
		expect(sent.at(-1)).toMatchObject({ method: 'POST', path: '/v7/depts/batch_read', body: { dept_ids: ['100002'] } });
		expect((await wps.depts.byExIds(['hr-11']))[0]).toMatchObject({ id: '100002', ex_dept_id: 'hr-11' });
		const missing = await wps.depts.get('999').catch((e) => e);
		expect(missing).toBeInstanceOf(WpsApiError);
		expect(missing.notFound).toBe(true);
	});

	it('department create answers dept_id, read as the id; update and delete answer no data', async () => {
		const { wps } = fakeWps({ dept_id: '100001' }, { depts: ['create', 'update', 'delete'] });
		expect(await wps.depts.create({ name: '销售部', parent_id: '1', ex_dept_id: 'hr-10' })).toMatchObject({
			id: '100001',
			ex_dept_id: 'hr-10',
		});
		await expect(wps.depts.update('100001', { name: '销售一部' })).resolves.toBeUndefined();
		await expect(wps.depts.delete('100001')).resolves.toBeUndefined();
	});

	it('users: keyed id, departments from depts[], gender "undefined" as blank, no dept_ids needed', async () => {
		const { wps, sent } = fakeWps({ user_id: '5000001' }, { users: ['get', 'batch_read', 'by_ex_user_ids', 'create'] });
		const ann = await wps.users.get('5000001');
		expect(ann).toMatchObject({
			id: '5000001',
			ex_user_id: 'hr-e1',
			user_name: '李安',
			leader_id: '5000002',
			def_dept_id: '100002',
			status: 'active',
		});
		expect(ann.depts?.map((d) => d.id)).toEqual(['100001', '100002']);
		const [read] = await wps.users.batchRead(['5000001']);
		expect(read.depts?.map((d) => d.id)).toEqual(['100001', '100002']);
		expect(sent.at(-1)?.body).toEqual({
			user_ids: ['5000001'],
			status: ['active', 'notactive', 'disabled'],
			with_dept: true,
		});
		// by_ex_user_ids takes {ex_user_ids, status} only and answers no departments or leader.
		const [short] = await wps.users.byExIds(['hr-e1']);
		expect(sent.at(-1)?.body).toEqual({ ex_user_ids: ['hr-e1'], status: ['active', 'notactive', 'disabled'] });
		expect(short).toMatchObject({ id: '5000001', ex_user_id: 'hr-e1', leader_id: '' });
		expect(short.depts).toBeUndefined();
		expect((await wps.users.create({ user_name: '李安', dept_ids: ['100001'], ex_user_id: 'hr-e1' })).id).toBe(
			'5000001',
		);
	});

	it('memberships: user ids from the listing, the user under user_info (without ex id or leader), folded per user', async () => {
		for (const listing of ['list', 'list-detail', 'list-flat']) {
			const { wps, sent } = fakeWps({ dept_id: '1' }, { members: [listing], users: ['batch_read'] });
			const memberships = await wps.users.allMemberships('1', { recursive: true });
			expect(new Set(memberships.map((m) => m.user_id))).toEqual(new Set(['5000001']));
			if (listing === 'list-detail') {
				expect(memberships[0]).toMatchObject({
					dept_id: '100001',
					order: 3,
					mtime: 1712350000,
					user: { id: '5000001', email: 'ann.li@example.com', ex_user_id: '', leader_id: '' },
				});
			}
			// The complete user (ex id, leader, departments) comes from batch_read, one call for the folded ids.
			const users = await wps.users.allUsersUnder('1');
			expect(users).toHaveLength(1);
			expect(users[0]).toMatchObject({ id: '5000001', ex_user_id: 'hr-e1', leader_id: '5000002' });
			expect(sent.filter((s) => s.path === '/v7/users/batch_read')).toHaveLength(1);
			expect(sent.find((s) => s.path.startsWith('/v7/depts/1/members'))?.path).toMatch(
				/status=active&status=notactive&status=disabled/,
			);
		}
	});

	it('members batch_read, order, membership and status writes read their documented answers', async () => {
		const { wps, sent } = fakeWps(
			{ dept_id: '100001', user_id: '5000001' },
			{
				members: ['create', 'delete'],
				users: ['batch_update_order', 'batch_disable', 'batch_enable', 'update', 'delete'],
			},
		);
		await wps.users.addMember('100001', '5000001');
		await wps.users.removeMember('100001', '5000001');
		await wps.users.batchUpdateOrder([{ dept_id: '100001', user_id: '5000001', order: 2 }]);
		expect(sent.at(-1)?.body).toEqual({ user_order_list: [{ dept_id: '100001', user_id: '5000001', order: 2 }] });
		await wps.users.disable(['5000001']);
		await wps.users.enable(['5000001']);
		await wps.users.update('5000001', { title: '经理' });
		await wps.users.delete('5000001');
	});

	it('the adapter reads complete users for the sync: departments, main department and leader', async () => {
		const { wps } = fakeWps({ dept_id: '1' }, { members: ['list'], users: ['batch_read', 'by_ex_user_ids'] });
		const dir = wpsDirectory(wps, { readableFields: ['email'] });
		expect(await dir.readUsersUnder('1')).toEqual([
			expect.objectContaining({
				id: '5000001',
				exId: 'hr-e1',
				deptIds: ['100001', '100002'],
				mainDeptId: '100002',
				leaderId: '5000002',
				status: 'active',
			}),
		]);
		// by_ex_user_ids has no departments: the adapter completes them with batch_read.
		expect((await dir.findUsersByEx(['hr-e1']))[0].deptIds).toEqual(['100001', '100002']);
		expect(await dir.unreadableFields()).toEqual(['phone', 'gender']);
	});

	it("errors keep WPS's code, HTTP status and message; decisions never read the message", async () => {
		for (const [kind, code, status] of [
			['permission', WPS_CODE.noPermission, 403],
			['business', WPS_CODE.invalidValue, 400],
		] as const) {
			const { wps } = fakeWps({}, { error: [kind] });
			const error = await wps.depts.root().catch((e) => e);
			expect(error).toMatchObject({ code, httpStatus: status, msg: fixture(`error-${kind}`).response.msg });
			expect(wps.client.stats.retries).toBe(0);
		}
	});
});
