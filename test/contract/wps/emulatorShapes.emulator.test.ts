import { type TenantFixture, rawCall, startTenant } from '../../emulators/wps/rawHttp';
import { FIXTURE_NAMES, fixture, shapeOf } from './fixtures';

/**
 * Contract (b): over raw HTTP, the emulator answers each call with exactly the keys of the documented answer
 * (test/fixtures/wps), nothing more and nothing less. A convenience key the real API does not send, or a
 * documented key the emulator forgot, fails here.
 */
describe('WPS contract (b): the emulator answers exactly the documented keys', () => {
	let t: TenantFixture;
	let flat: TenantFixture;
	const ids = { sales: '', east: '', ann: '', bob: '' };

	beforeAll(async () => {
		t = await startTenant({ rootName: '华东科技' });
		const sales = await t.ok('/v7/depts/create', {
			name: '销售部',
			parent_id: t.rootId,
			ex_dept_id: 'hr-10',
			order: 1,
		});
		ids.sales = sales.dept_id;
		ids.east = (await t.ok('/v7/depts/create', { name: '华东区', parent_id: ids.sales, ex_dept_id: 'hr-11' })).dept_id;
		ids.bob = (await t.ok('/v7/users/create', { user_name: '王博', dept_ids: [ids.sales], ex_user_id: 'hr-e2' })).id;
		await t.ok(`/v7/depts/${ids.sales}/update`, { leaders: [{ user_id: ids.bob, order: 0 }] });
		ids.ann = (
			await t.ok('/v7/users/create', {
				user_name: '李安',
				dept_ids: [ids.sales, ids.east],
				def_dept_id: ids.east,
				ex_user_id: 'hr-e1',
				email: 'ann.li@example.com',
				leader_id: ids.bob,
				gender: 'female',
			})
		).id;
		flat = await startTenant({ clientId: 'flat-app', memberListing: 'user' });
	});
	afterAll(async () => {
		await t.emu.close();
		await flat.emu.close();
	});

	/** Each fixture and the call that answers it on the seeded tenant. */
	const calls: Record<string, () => Promise<{ status: number; json: unknown }>> = {
		token: () =>
			rawCall(t.emu.baseUrl, 'POST', '/oauth2/token', {
				body: new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: 'app-1',
					client_secret: 'secret-1',
				}).toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			}),
		'depts-root': () => t.api('GET', '/v7/depts/root'),
		'depts-children': () => t.api('GET', `/v7/depts/${t.rootId}/children?with_total=true`),
		'depts-batch_read': () => t.api('POST', '/v7/depts/batch_read', { dept_ids: [ids.sales, ids.east] }),
		'depts-by_ex_dept_ids': () => t.api('POST', '/v7/depts/by_ex_dept_ids', { ex_dept_ids: ['hr-11'] }),
		'depts-create': () =>
			t.api('POST', '/v7/depts/create', {
				name: `市场部${Math.random()}`,
				parent_id: t.rootId,
				ex_dept_id: `hr-${Math.random()}`,
				leaders: [{ user_id: ids.bob, order: 0 }],
			}),
		'depts-update': () => t.api('POST', `/v7/depts/${ids.east}/update`, { order: 2 }),
		'depts-delete': async () => {
			const d = await t.ok('/v7/depts/create', { name: `临时${Math.random()}`, parent_id: t.rootId });
			return t.api('POST', `/v7/depts/${d.dept_id}/delete`);
		},
		'users-get': () => t.api('GET', `/v7/users/${ids.ann}?with_dept=true`),
		'users-get-without-dept': () => t.api('GET', `/v7/users/${ids.ann}`),
		'users-batch_read': () =>
			t.api('POST', '/v7/users/batch_read', { user_ids: [ids.ann], status: ['active'], with_dept: true }),
		'users-by_ex_user_ids': () =>
			t.api('POST', '/v7/users/by_ex_user_ids', { ex_user_ids: ['hr-e1'], status: ['active'] }),
		'users-create': () =>
			t.api('POST', '/v7/users/create', { user_name: '赵临', dept_ids: [ids.east], ex_user_id: `hr-${Math.random()}` }),
		'users-update': () => t.api('POST', `/v7/users/${ids.ann}/update`, { title: '销售代表' }),
		'users-delete': async () => {
			const u = await t.ok('/v7/users/create', { user_name: '临时', dept_ids: [ids.east] });
			return t.api('POST', `/v7/users/${u.id}/delete`);
		},
		'users-batch_disable': () => t.api('POST', '/v7/users/batch_disable', { user_ids: [ids.bob] }),
		'users-batch_enable': () => t.api('POST', '/v7/users/batch_enable', { user_ids: [ids.bob] }),
		'users-batch_update_order': () =>
			t.api('POST', '/v7/users/batch_update_order', {
				user_order_list: [{ dept_id: ids.sales, user_id: ids.ann, order: 3 }],
			}),
		'members-create': () => t.api('POST', `/v7/depts/${t.rootId}/members/${ids.bob}/create`),
		'members-delete': () => t.api('POST', `/v7/depts/${t.rootId}/members/${ids.bob}/delete`),
		'members-list': () => t.api('GET', `/v7/depts/${ids.east}/members?recursive=true&status=active`),
		'members-list-detail': () =>
			t.api('GET', `/v7/depts/${ids.east}/members?recursive=true&status=active&with_user_detail=true`),
		'members-list-flat': async () => {
			const u = await flat.ok('/v7/users/create', { user_name: '平', dept_ids: [flat.rootId], ex_user_id: 'flat-1' });
			expect(u.id).toBeTruthy();
			return flat.api('GET', `/v7/depts/${flat.rootId}/members?recursive=true&status=active`);
		},
		'members-batch_read': () =>
			t.api('POST', `/v7/depts/${ids.sales}/members/batch_read`, {
				user_ids: [ids.ann],
				status: ['active'],
				with_user_detail: true,
			}),
		'error-permission': async () => {
			await t.emu.admin.addApp({
				clientId: 'reader',
				clientSecret: 's',
				sameTenantAs: 'app-1',
				scopes: ['kso.contact.read'],
			});
			const token = (
				await rawCall(t.emu.baseUrl, 'POST', '/oauth2/token', {
					body: new URLSearchParams({
						grant_type: 'client_credentials',
						client_id: 'reader',
						client_secret: 's',
					}).toString(),
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
				})
			).json.access_token;
			return rawCall(t.emu.baseUrl, 'POST', '/v7/depts/create', { token, body: { name: 'x', parent_id: t.rootId } });
		},
		'error-business': () => t.api('POST', '/v7/depts/create', { name: '销售部', parent_id: t.rootId }),
	};

	it('covers every fixture with a call', () => {
		expect(Object.keys(calls).sort()).toEqual(FIXTURE_NAMES);
	});

	it.each(FIXTURE_NAMES)('%s', async (name) => {
		const f = fixture(name);
		const answer = await calls[name]();
		expect(answer.status).toBe(f.status);
		expect(shapeOf(answer.json)).toEqual(shapeOf(f.response));
	});
});
