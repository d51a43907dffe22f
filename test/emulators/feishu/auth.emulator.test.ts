import { APP, APP_TOKEN, body, sdkClient, startKit, type Kit } from './testkit';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

async function requestToken(baseUrl: string, appId: string, appSecret: string) {
	const res = await fetch(`${baseUrl}${TOKEN_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
	});
	return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('tenant access token', () => {
	let k: Kit;
	let clockMs = Date.UTC(2026, 0, 1);
	beforeEach(async () => {
		clockMs = Date.UTC(2026, 0, 1);
		k = await startKit({ now: () => clockMs });
	});
	afterEach(() => k.close());

	const listTables = (token?: string) =>
		fetch(`${k.emu.baseUrl}/open-apis/bitable/v1/apps/${APP_TOKEN}/tables`, {
			headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
		}).then(async (r) => ({ status: r.status, json: (await r.json()) as { code: number } }));

	it('issues t- tokens with the fields at the top level and a 7200 s life', async () => {
		const { status, json } = await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret);
		expect(status).toBe(200);
		expect(json).toEqual({ code: 0, msg: 'ok', tenant_access_token: expect.stringMatching(/^t-/), expire: 7200 });
		expect(json.data).toBeUndefined();
	});

	it('answers the same token while it has more than 30 min left, a new one after', async () => {
		const first = (await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret)).json;
		clockMs += 3600_000;
		const again = (await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret)).json;
		expect(again.tenant_access_token).toBe(first.tenant_access_token);
		expect(again.expire).toBe(3600);
		clockMs += 3000_000;
		const fresh = (await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret)).json;
		expect(fresh.tenant_access_token).not.toBe(first.tenant_access_token);
		expect(fresh.expire).toBe(7200);
	});

	it('refuses a wrong secret with 10014 and an unknown app with 10003', async () => {
		expect((await requestToken(k.emu.baseUrl, APP.appId, 'wrong')).json.code).toBe(10014);
		expect((await requestToken(k.emu.baseUrl, 'cli_nobody', 'x')).json.code).toBe(10003);
	});

	it('answers 99991661 without a token and 99991663 for an unknown one', async () => {
		expect((await listTables()).json.code).toBe(99991661);
		expect((await listTables('t-forged')).json.code).toBe(99991663);
		expect((await listTables(await k.token())).json.code).toBe(0);
	});

	it('expires tokens with the clock (7200 s) and on expireTokens()', async () => {
		const token = await k.token();
		clockMs += 7199_000;
		expect((await listTables(token)).json.code).toBe(0);
		clockMs += 2_000;
		expect((await listTables(token)).json.code).toBe(99991663);

		const second = (await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret)).json.tenant_access_token;
		expect((await listTables(second)).json.code).toBe(0);
		await k.emu.admin.expireTokens();
		expect((await listTables(second)).json.code).toBe(99991663);
		const third = (await requestToken(k.emu.baseUrl, APP.appId, APP.appSecret)).json.tenant_access_token;
		expect(third).not.toBe(second);
		expect((await listTables(third)).json.code).toBe(0);
	});

	it('admin clock offset moves token expiry too', async () => {
		const token = await k.token();
		await k.emu.admin.advanceClock(7201_000);
		expect((await listTables(token)).json.code).toBe(99991663);
		await k.emu.admin.setClock({ offsetMs: 0 });
		expect((await listTables(token)).json.code).toBe(0);
	});

	it('serves the official SDK through a custom domain with a port', async () => {
		const res = await k.client.bitable.appTable.list({ path: { app_token: APP_TOKEN } });
		expect(res.code).toBe(0);
		expect(res.data?.items?.map((t) => t.name)).toEqual(['Main']);
		const counters = await k.emu.admin.counters();
		expect(counters.calls['auth.tenant_token']).toBe(1);
		expect(counters.calls['bitable.tables.list']).toBe(1);
	});

	it('gives the SDK 10014 for a wrong secret', async () => {
		const bad = sdkClient(k.emu.baseUrl, { appId: APP.appId, appSecret: 'nope' });
		// the token request fails (HTTP 400) and the SDK surfaces that answer
		expect(await body(bad.bitable.appTable.list({ path: { app_token: APP_TOKEN } }))).toMatchObject({
			code: 10014,
			msg: 'app secret invalid',
		});
	});
});

describe('scopes', () => {
	let k: Kit;
	beforeEach(async () => {
		k = await startKit();
	});
	afterEach(() => k.close());

	it('answers 99991672 naming the scopes when the app lacks them, and serves it once granted', async () => {
		await k.emu.admin.setAppScopes(APP.appId, ['bitable:app:readonly']);
		const read = await k.api('POST', `${k.records}/search`, {});
		expect(read.json.code).toBe(0);
		const write = await k.api('POST', k.records, { fields: { Name: 'x' } });
		expect(write.status).toBe(400);
		expect(write.json).toMatchObject({
			code: 99991672,
			error: { permission_violations: [{ type: 'action_scope_required', subject: 'bitable:app' }] },
		});
		expect(write.json.msg).toContain('bitable:app');
		await k.emu.admin.setAppScopes(APP.appId, undefined);
		expect((await k.api('POST', k.records, { fields: { Name: 'x' } })).json.code).toBe(0);
	});
});
