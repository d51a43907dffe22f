import type { Clock } from '../../../lib/sync';
import {
	WPS_CODE,
	WpsApiError,
	clearTokenCache,
	createWpsContacts,
	readAllPages,
	type WpsClientOptions,
	type WpsContacts,
} from '../../../lib/wps';
import { type WpsEmulator, startWpsEmulator } from '../../emulators/wps';

const APP = { clientId: 'transport-app', clientSecret: 'transport-secret' };

/** Fake time shared by client and emulator: backoff and rate-limit waits pass instantly. */
function fakeTime(start = 1_700_000_000_000): Clock & { t: number } {
	const clock = {
		t: start,
		now: () => clock.t,
		sleep: async (ms: number) => {
			clock.t += ms;
		},
	};
	return clock;
}

describe('WPS transport against the emulator', () => {
	let emu: WpsEmulator;
	let rootId: string;
	const time = fakeTime();
	const connect = (extra: Partial<WpsClientOptions> = {}): WpsContacts =>
		createWpsContacts({ baseUrl: emu.baseUrl, ...APP, ratePerSecond: false, clock: time, retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...extra });

	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off', now: time.now });
	});
	beforeEach(async () => {
		await emu.admin.reset();
		clearTokenCache();
		({ rootDeptId: rootId } = await emu.admin.seedTenant(APP));
	});
	afterAll(() => emu.close());

	it('gets one token for many calls (cached per app), and refreshes once when WPS refuses it', async () => {
		const wps = connect();
		await wps.depts.root();
		await wps.depts.root();
		await connect().depts.root(); // another client of the same app shares the token
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(1);
		await emu.admin.expireTokens();
		expect((await wps.depts.root()).dept_id).toBe(rootId);
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(2);
		// Near expiry (7200 s) the cached token is renewed before use.
		time.t += 7000_000;
		await wps.depts.root();
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(3);
	});

	it('fails with WPS\'s message and a hint on a wrong secret, without retrying or leaking it', async () => {
		const wps = connect({ clientSecret: 'wrong-secret-value' });
		const error = await wps.depts.root().catch((e) => e);
		expect(error).toBeInstanceOf(WpsApiError);
		expect(error.msg).toBe('invalid_client');
		expect(error.hint).toMatch(/client id or client secret/);
		expect(`${error.message} ${error.hint}`).not.toContain('wrong-secret-value');
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(1);
	});

	it('signs every request when the app requires KSO-1, including private deployments', async () => {
		await emu.admin.setApp({ clientId: APP.clientId, signing: true });
		const unsigned = await connect().depts.root().catch((e) => e);
		expect(unsigned.msg).toBe('invalid_signature');
		const wps = connect({ signing: true });
		const a = await wps.depts.create({ name: 'Signed', parent_id: rootId, ex_dept_id: 'signed' });
		expect((await wps.depts.byExIds(['signed']))[0].dept_id).toBe(a.dept_id);
		expect(await wps.users.all()).toEqual([]);

		const pd = await startWpsEmulator({ rateLimits: 'off', pathPrefix: '/openapi' });
		try {
			await pd.admin.seedTenant({ clientId: 'pd-app', clientSecret: 'pd-secret', signing: true });
			const opts = { baseUrl: pd.baseUrl, clientId: 'pd-app', clientSecret: 'pd-secret', signing: true, ratePerSecond: false as const };
			expect((await createWpsContacts({ ...opts, signedPathDropsPrefix: true }).depts.root()).name).toBe('Root');
			clearTokenCache();
			const wrongPath = await createWpsContacts({ ...opts, signedPathDropsPrefix: false }).depts.root().catch((e) => e);
			expect(wrongPath.msg).toBe('invalid_signature');
		} finally {
			await pd.close();
		}
	});

	it('retries rate limits, 5xx, dropped connections and dept_order_is_refactoring, with backoff', async () => {
		const wps = connect();
		await emu.admin.setFaultPlan({ seed: 3, kinds: ['5xx', 'drop', 'dept_order_is_refactoring'], endpoints: ['POST /v7/depts/create'], onCalls: [1, 2, 3] });
		const before = time.t;
		const dept = await wps.depts.create({ name: 'Eventually', parent_id: rootId });
		expect(dept.name).toBe('Eventually');
		expect(wps.client.stats.retries).toBe(3);
		expect(time.t).toBeGreaterThan(before); // it waited (on the fake clock) between attempts
		await emu.admin.clearFaultPlan();

		await emu.admin.setRateLimits({ perSecond: 2 });
		const limited = connect();
		for (let i = 0; i < 5; i++) await limited.depts.root();
		expect((await emu.admin.counters()).rateLimited).toBeGreaterThan(0);
		expect(limited.client.stats.retries).toBeGreaterThan(0);
	});

	it('keeps its own pace with the client-side limiter, so the server never answers 429', async () => {
		await emu.admin.setRateLimits('spec');
		const wps = connect({ ratePerSecond: 10 });
		for (let i = 0; i < 25; i++) await wps.depts.root();
		expect((await emu.admin.counters()).rateLimited).toBe(0);
		expect(wps.client.stats.retries).toBe(0);
	});

	it('never retries validation, permission or not-found errors', async () => {
		const wps = connect();
		await wps.depts.create({ name: 'A', parent_id: rootId });
		await emu.admin.resetCounters();
		const duplicate = await wps.depts.create({ name: 'A', parent_id: rootId }).catch((e) => e);
		expect(duplicate.msg).toBe('dept_name_exists');
		expect(duplicate.hint).toMatch(/unique among siblings/);
		const missing = await wps.depts.get('nope').catch((e) => e);
		expect(missing.code).toBe(WPS_CODE.notFound);
		expect(missing.hint).toMatch(/data-permission range/);
		await emu.admin.setApp({ clientId: APP.clientId, scopes: ['kso.contact.read'] });
		const denied = await wps.depts.create({ name: 'B', parent_id: rootId }).catch((e) => e);
		expect(denied.code).toBe(403000001);
		expect(denied.hint).toContain('kso.contact.readwrite');
		const counters = await emu.admin.counters();
		expect(counters.calls['POST /v7/depts/create']).toBe(2);
		expect(counters.calls['GET /v7/depts/{dept_id}']).toBe(1);
		expect(wps.client.stats.retries).toBe(0);
	});

	it('says what is still inside a department that cannot be deleted', async () => {
		const wps = connect();
		const d = await wps.depts.create({ name: 'Full', parent_id: rootId });
		await wps.depts.create({ name: 'Child', parent_id: d.dept_id });
		await emu.admin.seedUsers([{ user_name: 'Left', dept_ids: [d.dept_id], status: 'disabled' }]);
		const error = await wps.depts.delete(d.dept_id).catch((e) => e);
		expect(error.msg).toBe('dept_is_not_empty');
		expect(error.hint).toMatch(/1 sub-department\(s\) and 1 user\(s\), counting disabled/);
	});

	it('times out a call that does not answer, and treats its retry as a possibly-applied write', async () => {
		const wps = connect({ timeoutMs: 100 });
		await emu.admin.setFaultPlan({ seed: 1, kinds: ['applied_then_timeout'], endpoints: ['POST /v7/depts/{dept_id}/delete'], onCalls: [1], slowMs: 300 });
		const d = await wps.depts.create({ name: 'Gone', parent_id: rootId });
		await wps.depts.delete(d.dept_id); // the retry answers not found: the lost first attempt did it
		expect((await emu.admin.dump()).depts.map((x) => x.name)).toEqual(['Root']);
		expect(wps.client.stats.retries).toBe(1);
		// Outside that situation, not found stays an error.
		expect((await wps.depts.delete(d.dept_id).catch((e) => e)).msg).toBe('dept_not_found');
	});

	it('finds a lost user create in any status, even when the caller manages only active users', async () => {
		await emu.admin.reset();
		clearTokenCache();
		({ rootDeptId: rootId } = await emu.admin.seedTenant({ ...APP, newUserStatus: 'notactive' }));
		const wps = connect({ timeoutMs: 100, statuses: ['active'] });
		await emu.admin.setFaultPlan({ seed: 1, kinds: ['applied_then_timeout'], endpoints: ['POST /v7/users/create'], onCalls: [1], slowMs: 300 });
		const user = await wps.users.create({ user_name: 'New', dept_ids: [rootId], ex_user_id: 'new-1' });
		expect(user).toMatchObject({ ex_user_id: 'new-1', status: 'notactive' });
		expect(wps.client.stats.recoveredWrites).toBe(1);
		expect((await emu.admin.dump()).users).toHaveLength(1);
	});

	it('reads every page (50 per call) and asks for every status by default', async () => {
		const { depts } = await emu.admin.seedDepts(Array.from({ length: 120 }, (_, i) => ({ name: `D${i}` })));
		await emu.admin.seedUsers(
			Array.from({ length: 130 }, (_, i) => ({
				user_name: `U${i}`,
				dept_ids: [depts[i % 3].dept_id],
				status: (['active', 'notactive', 'disabled', 'dimission'] as const)[i % 4],
			})),
		);
		await emu.admin.resetCounters();
		const wps = connect();
		expect(await wps.depts.allChildren(rootId)).toHaveLength(120);
		expect((await emu.admin.counters()).calls['GET /v7/depts/{dept_id}/children']).toBe(3);
		const members = await wps.users.allMembers(rootId, { recursive: true });
		expect(members).toHaveLength(130);
		expect(new Set(members.map((m) => m.status)).size).toBe(4);
		expect(await wps.users.allMembers(rootId, { recursive: true, statuses: ['active'] })).toHaveLength(33);
		expect(await wps.users.all()).toHaveLength(130);
		expect(await wps.users.allMemberRefs(depts[0].dept_id)).toHaveLength(44);
		expect((await wps.depts.subtree(rootId)).length).toBe(120);
	});

	it('fails loudly on a cursor that repeats or a page without items', async () => {
		const pages = [{ items: [1], next_page_token: 'a' }, { items: [2], next_page_token: 'a' }];
		let i = 0;
		await expect(readAllPages('GET /x', async () => pages[i++])).rejects.toMatchObject({ kind: 'paging', msg: 'page_token_repeated' });
		await expect(readAllPages('GET /x', async () => ({}) as never)).rejects.toMatchObject({ msg: 'bad_page' });
	});

	it('splits batches at the per-call limits: 50 deletes, 100 lookups and status changes', async () => {
		const { depts } = await emu.admin.seedDepts(Array.from({ length: 120 }, (_, i) => ({ name: `D${i}`, ex_dept_id: `x${i}` })));
		const { users } = await emu.admin.seedUsers(Array.from({ length: 250 }, (_, i) => ({ user_name: `U${i}`, ex_user_id: `e${i}`, email: `u${i}@x.com` })));
		await emu.admin.resetCounters();
		const wps = connect();
		expect(await wps.depts.byExIds(depts.map((d) => d.ex_dept_id))).toHaveLength(120);
		expect(await wps.depts.batchRead(depts.map((d) => d.dept_id))).toHaveLength(120);
		expect(await wps.users.byExIds(users.map((u) => u.ex_user_id))).toHaveLength(250);
		expect(await wps.users.byEmails(users.map((_, i) => `u${i}@x.com`))).toHaveLength(250);
		await wps.users.disable(users.map((u) => u.user_id));
		expect(await wps.users.batchRead(users.map((u) => u.user_id), { statuses: ['disabled'] })).toHaveLength(250);
		await wps.users.enable(users.map((u) => u.user_id));
		const results = await wps.depts.batchDelete([...depts.map((d) => d.dept_id), 'already-gone']);
		expect(results.filter((r) => r.ok)).toHaveLength(121);
		const calls = (await emu.admin.counters()).calls;
		expect(calls['POST /v7/depts/by_ex_dept_ids']).toBe(2);
		expect(calls['POST /v7/depts/batch_read']).toBe(2);
		expect(calls['POST /v7/users/by_ex_user_ids']).toBe(3);
		expect(calls['POST /v7/users/by_emails']).toBe(3);
		expect(calls['POST /v7/users/batch_disable']).toBe(3);
		expect(calls['POST /v7/users/batch_enable']).toBe(3);
		expect(calls['POST /v7/depts/batch_delete']).toBe(3);
	});

	it('manages users: create, update, move, disable, re-enable and hard delete', async () => {
		const wps = connect();
		const a = await wps.depts.create({ name: 'A', parent_id: rootId });
		const b = await wps.depts.create({ name: 'B', parent_id: rootId });
		const u = await wps.users.create({ user_name: 'Ann', dept_ids: [a.dept_id], ex_user_id: 'ann', email: 'ann@x.com' });
		await wps.users.update(u.user_id, { title: 'Lead' });
		await wps.users.addMember(b.dept_id, u.user_id);
		await wps.users.removeMember(a.dept_id, u.user_id);
		expect(await wps.users.get(u.user_id)).toMatchObject({ title: 'Lead', dept_ids: [b.dept_id] });
		await wps.users.batchUpdateDept([{ user_id: u.user_id, dept_ids: [a.dept_id, b.dept_id], def_dept_id: a.dept_id }]);
		await wps.users.disable([u.user_id]);
		// Still found by ex id, because reads ask for every status.
		expect((await wps.users.byExIds(['ann']))[0]).toMatchObject({ status: 'disabled', dept_ids: [a.dept_id, b.dept_id] });
		await wps.users.enable([u.user_id]);
		await wps.users.delete(u.user_id);
		expect((await emu.admin.dump()).users).toEqual([]);
	});

	it('tells which personal fields the app can read', async () => {
		const wps = connect();
		expect(await wps.users.probeReadableFields()).toEqual({ email: true, phone: true, gender: 'unknown' });
		await emu.admin.setApp({ clientId: APP.clientId, scopes: ['kso.contact.read', 'kso.contact.readwrite', 'kso.user_phone.read'] });
		expect(await wps.users.probeReadableFields()).toEqual({ email: false, phone: true, gender: 'unknown' });
	});
});
