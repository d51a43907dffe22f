import type { Clock } from '../../../lib/resilience';
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
		createWpsContacts({
			baseUrl: emu.baseUrl,
			...APP,
			ratePerSecond: false,
			clock: time,
			retry: { baseDelayMs: 5, maxDelayMs: 50 },
			...extra,
		});
	/** The first call to `endpoint` is applied but its answer is held past the client's timeout (100 ms). */
	const loseAnswerOf = (endpoint: string) =>
		emu.admin.setFaultPlan({
			seed: 1,
			kinds: ['applied_then_timeout'],
			endpoints: [endpoint],
			onCalls: [1],
			slowMs: 300,
		});

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
		expect((await wps.depts.root()).id).toBe(rootId);
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(2);
		// Near expiry (7200 s) the cached token is renewed before use.
		time.t += 7000_000;
		await wps.depts.root();
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(3);
	});

	it("fails with WPS's message and a hint on a wrong secret, without retrying or leaking it", async () => {
		const wps = connect({ clientSecret: 'wrong-secret-value' });
		const error = await wps.depts.root().catch((e) => e);
		expect(error).toBeInstanceOf(WpsApiError);
		expect(error).toMatchObject({ endpoint: 'POST /oauth2/token', httpStatus: 401 });
		expect(error.hint).toMatch(/client id \(APPID\) and client secret/);
		expect(`${error.message} ${error.hint}`).not.toContain('wrong-secret-value');
		expect((await emu.admin.counters()).calls['POST /oauth2/token']).toBe(1);
	});

	it('signs every request when the app requires KSO-1, including private deployments', async () => {
		await emu.admin.setApp({ clientId: APP.clientId, signing: true });
		const unsigned = await connect()
			.depts.root()
			.catch((e) => e);
		expect(unsigned).toMatchObject({ httpStatus: 401, code: WPS_CODE.unauthorized });
		expect(unsigned.hint).toMatch(/KSO-1 Signing/);
		const wps = connect({ signing: true });
		const a = await wps.depts.create({ name: 'Signed', parent_id: rootId, ex_dept_id: 'signed' });
		expect((await wps.depts.byExIds(['signed']))[0].id).toBe(a.id);
		expect(await wps.users.allUsersUnder(rootId)).toEqual([]);

		const pd = await startWpsEmulator({ rateLimits: 'off', pathPrefix: '/openapi' });
		try {
			await pd.admin.seedTenant({ clientId: 'pd-app', clientSecret: 'pd-secret', signing: true });
			const opts = {
				baseUrl: pd.baseUrl,
				clientId: 'pd-app',
				clientSecret: 'pd-secret',
				signing: true,
				ratePerSecond: false as const,
			};
			expect((await createWpsContacts({ ...opts, signedPathDropsPrefix: true }).depts.root()).name).toBe('Root');
			clearTokenCache();
			const wrongPath = await createWpsContacts({ ...opts, signedPathDropsPrefix: false })
				.depts.root()
				.catch((e) => e);
			expect(wrongPath.httpStatus).toBe(401);
		} finally {
			await pd.close();
		}
	});

	it('retries rate limits, 5xx and dropped connections, with backoff', async () => {
		const wps = connect();
		await emu.admin.setFaultPlan({
			seed: 3,
			kinds: ['5xx', 'drop'],
			endpoints: ['POST /v7/depts/create'],
			onCalls: [1, 2, 3],
		});
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
		expect(duplicate).toMatchObject({ code: WPS_CODE.invalidValue, httpStatus: 400 });
		// WPS's own text is shown as it came; the hint names the likely causes without reading it.
		expect(duplicate.message).toContain(duplicate.msg);
		expect(duplicate.hint).toMatch(/already used by a sibling/);
		const missing = await wps.depts.get('nope').catch((e) => e);
		expect(missing.code).toBe(WPS_CODE.notFound);
		expect(missing.hint).toMatch(/data-permission range/);
		await emu.admin.setApp({ clientId: APP.clientId, scopes: ['kso.contact.read'] });
		const denied = await wps.depts.create({ name: 'B', parent_id: rootId }).catch((e) => e);
		expect(denied.code).toBe(403000001);
		expect(denied.hint).toContain('kso.contact.readwrite');
		const counters = await emu.admin.counters();
		expect(counters.calls['POST /v7/depts/create']).toBe(2);
		// One department is read through batch_read: no page documents GET /v7/depts/{id}.
		expect(counters.calls['POST /v7/depts/batch_read']).toBe(1);
		expect(counters.calls['GET /v7/depts/{dept_id}']).toBeUndefined();
		expect(wps.client.stats.retries).toBe(0);
	});

	it('refuses to delete a department that is not empty, counting disabled users', async () => {
		const wps = connect();
		const d = await wps.depts.create({ name: 'Full', parent_id: rootId });
		await emu.admin.seedUsers([{ user_name: 'Left', dept_ids: [d.id], status: 'disabled' }]);
		const error = await wps.depts.delete(d.id).catch((e) => e);
		expect(error).toMatchObject({ code: WPS_CODE.invalidValue });
		expect(error.hint).toMatch(/not empty/);
		expect((await emu.admin.dump()).depts.map((x) => x.name)).toEqual(['Root', 'Full']);
	});

	it('refreshes the token on HTTP 401 whatever the message says, once', async () => {
		const wps = connect();
		await wps.depts.root();
		await emu.admin.expireTokens();
		await wps.depts.root();
		expect(wps.client.stats.tokenRequests).toBe(2);
		expect(wps.client.stats.retries).toBe(0);
	});

	it('times out a call that does not answer, and treats its retry as a possibly-applied write', async () => {
		const wps = connect({ timeoutMs: 100 });
		await loseAnswerOf('POST /v7/depts/{dept_id}/delete');
		const d = await wps.depts.create({ name: 'Gone', parent_id: rootId });
		// The resend is refused (not found); a read shows the department gone: the lost first attempt did it.
		await wps.depts.delete(d.id);
		expect((await emu.admin.dump()).depts.map((x) => x.name)).toEqual(['Root']);
		expect(wps.client.stats.retries).toBe(1);
		// Outside that situation, not found stays an error.
		expect((await wps.depts.delete(d.id).catch((e) => e)).notFound).toBe(true);
	});

	it('finds a lost user create in any status, even when the caller manages only active users', async () => {
		await emu.admin.reset();
		clearTokenCache();
		({ rootDeptId: rootId } = await emu.admin.seedTenant({ ...APP, newUserStatus: 'notactive' }));
		const wps = connect({ timeoutMs: 100, statuses: ['active'] });
		await loseAnswerOf('POST /v7/users/create');
		const user = await wps.users.create({ user_name: 'New', dept_ids: [rootId], ex_user_id: 'new-1' });
		expect(user).toMatchObject({ ex_user_id: 'new-1', status: 'notactive' });
		expect(wps.client.stats.recoveredWrites).toBe(1);
		expect((await emu.admin.dump()).users).toHaveLength(1);
	});

	it('decides "already exists" after a resend by reading, never by the refusal\'s message', async () => {
		// Read-before-resend off: the resend is sent, refused (the ex id is taken by the lost first attempt),
		// and the settle step finds the department by its external id.
		const wps = connect({ timeoutMs: 100 });
		await loseAnswerOf('POST /v7/depts/create');
		let lookups = 0;
		const original = wps.depts.byExIds.bind(wps.depts);
		wps.depts.byExIds = async (ids) => {
			lookups++;
			// The first lookup (before the resend) sees nothing yet, as under replication lag.
			return lookups === 1 ? [] : original(ids);
		};
		const d = await wps.depts.create({ name: 'Once', parent_id: rootId, ex_dept_id: 'once' });
		expect(d).toMatchObject({ name: 'Once', ex_dept_id: 'once' });
		expect((await emu.admin.dump()).depts.filter((x) => x.name === 'Once')).toHaveLength(1);
		expect(lookups).toBe(2);
	});

	it('reads every page (50 per call) and asks for the three filterable statuses by default', async () => {
		const { depts } = await emu.admin.seedDepts(Array.from({ length: 120 }, (_, i) => ({ name: `D${i}` })));
		await emu.admin.seedUsers(
			Array.from({ length: 130 }, (_, i) => ({
				user_name: `U${i}`,
				// Every fifth user sits in two departments: recursive listings show it twice.
				dept_ids: i % 5 ? [depts[i % 3].dept_id] : [depts[0].dept_id, depts[1].dept_id],
				status: (['active', 'notactive', 'disabled', 'dimission'] as const)[i % 4],
			})),
		);
		await emu.admin.resetCounters();
		const wps = connect();
		expect(await wps.depts.allChildren(rootId)).toHaveLength(120);
		expect((await emu.admin.counters()).calls['GET /v7/depts/{dept_id}/children']).toBe(3);
		const users = await wps.users.allUsersUnder(rootId);
		// dimission cannot be asked for in member listings (their pages list three statuses).
		expect(users).toHaveLength(130 - 32);
		expect(new Set(users.map((u) => u.status))).toEqual(new Set(['active', 'notactive', 'disabled']));
		expect(users.every((u) => u.ex_user_id && u.depts && u.depts.length >= 1)).toBe(true);
		const memberships = await wps.users.allMemberships(rootId, { recursive: true, statuses: ['active'] });
		expect(new Set(memberships.map((m) => m.user_id)).size).toBe(33);
		expect(memberships.length).toBeGreaterThan(33);
		expect((await wps.depts.subtree(rootId)).length).toBe(120);
	});

	it('fails loudly on a cursor that repeats or a page without items', async () => {
		const pages = [
			{ items: [1], next_page_token: 'a' },
			{ items: [2], next_page_token: 'a' },
		];
		let i = 0;
		await expect(readAllPages('GET /x', async () => pages[i++])).rejects.toMatchObject({
			failure: 'paging',
			msg: 'page_token_repeated',
		});
		await expect(readAllPages('GET /x', async () => ({}) as never)).rejects.toMatchObject({ msg: 'bad_page' });
	});

	it('splits batches at the per-call limits: 100 lookups and status changes', async () => {
		const { depts } = await emu.admin.seedDepts(
			Array.from({ length: 120 }, (_, i) => ({ name: `D${i}`, ex_dept_id: `x${i}` })),
		);
		const { users } = await emu.admin.seedUsers(
			Array.from({ length: 250 }, (_, i) => ({ user_name: `U${i}`, ex_user_id: `e${i}`, email: `u${i}@x.com` })),
		);
		await emu.admin.resetCounters();
		const wps = connect();
		expect(await wps.depts.byExIds(depts.map((d) => d.ex_dept_id))).toHaveLength(120);
		expect(await wps.depts.batchRead(depts.map((d) => d.dept_id))).toHaveLength(120);
		expect(await wps.users.byExIds(users.map((u) => u.ex_user_id))).toHaveLength(250);
		await wps.users.disable(users.map((u) => u.user_id));
		expect(
			await wps.users.batchRead(
				users.map((u) => u.user_id),
				{ statuses: ['disabled'] },
			),
		).toHaveLength(250);
		await wps.users.enable(users.map((u) => u.user_id));
		const calls = (await emu.admin.counters()).calls;
		expect(calls['POST /v7/depts/by_ex_dept_ids']).toBe(2);
		expect(calls['POST /v7/depts/batch_read']).toBe(2);
		expect(calls['POST /v7/users/by_ex_user_ids']).toBe(3);
		expect(calls['POST /v7/users/batch_disable']).toBe(3);
		expect(calls['POST /v7/users/batch_enable']).toBe(3);
		expect(calls['POST /v7/users/batch_read']).toBe(3);
	});

	it('manages users: create, update, move through memberships, order, disable, re-enable and hard delete', async () => {
		const wps = connect();
		const a = await wps.depts.create({ name: 'A', parent_id: rootId });
		const b = await wps.depts.create({ name: 'B', parent_id: rootId });
		const u = await wps.users.create({ user_name: 'Ann', dept_ids: [a.id], ex_user_id: 'ann', email: 'ann@x.com' });
		expect(u.id).toMatch(/\S/);
		await wps.users.update(u.id, { title: 'Lead' });
		await wps.users.addMember(b.id, u.id);
		await wps.users.removeMember(a.id, u.id);
		const read = await wps.users.get(u.id);
		expect(read).toMatchObject({ title: 'Lead', def_dept_id: b.id });
		expect(read.depts?.map((d) => d.id)).toEqual([b.id]);
		await wps.users.batchUpdateOrder([{ dept_id: b.id, user_id: u.id, order: 7 }]);
		expect((await wps.users.allMemberships(b.id))[0]).toMatchObject({ user_id: u.id, dept_id: b.id, order: 7 });
		await wps.users.disable([u.id]);
		// Still found by ex id, because reads ask for every filterable status; by_ex answers no departments.
		const found = (await wps.users.byExIds(['ann']))[0];
		expect(found).toMatchObject({ id: u.id, status: 'disabled' });
		expect(found.depts).toBeUndefined();
		await wps.users.enable([u.id]);
		await wps.users.delete(u.id);
		expect((await emu.admin.dump()).users).toEqual([]);
	});
});
