import { ksoHeaders } from '../../../lib/wps/ksoSign';
import { type WpsEmulator, startWpsEmulator } from './index';
import { err, rawCall, rawToken, wpsErrorBodyProblem } from './rawHttp';

const VECTOR_DATE = 'Mon, 02 Jan 2006 15:04:05 GMT';
const VECTOR_GET_SIG = 'ce8df66877175e5198c8ea1362ffddf82e4941c6f25a4ca205a1ad09d0faaf03';
const VECTOR_POST_SIG = 'c46e6c988130818ecba2484d51ac685948fbbef6814602c7874d6bfc41dc17b3';

function form(fields: Record<string, string>): string {
	return new URLSearchParams(fields).toString();
}

describe('WPS emulator: token endpoint and expiry', () => {
	let emu: WpsEmulator;
	let t0 = 1_700_000_000_000;
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off', now: () => t0 });
		await emu.admin.seedTenant({ clientId: 'app', clientSecret: 'right' });
	});
	afterAll(() => emu.close());

	it('issues a bearer token for form-encoded client credentials', async () => {
		const res = await rawCall(emu.baseUrl, 'POST', '/oauth2/token', {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'right' }),
		});
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ expires_in: 7200, token_type: 'bearer' });
		expect(res.json.access_token).toMatch(/\w{20,}/);
	});

	it('refuses JSON bodies, a wrong secret and another grant type', async () => {
		const json = await rawCall(emu.baseUrl, 'POST', '/oauth2/token', {
			body: { grant_type: 'client_credentials', client_id: 'app', client_secret: 'right' },
		});
		expect(err(json)).toEqual({ status: 400, code: 400000002, reason: 'invalid_param' });
		const wrong = await rawCall(emu.baseUrl, 'POST', '/oauth2/token', {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong' }),
		});
		expect(err(wrong)).toEqual({ status: 401, code: 401000001, reason: 'invalid_client' });
		const grant = await rawCall(emu.baseUrl, 'POST', '/oauth2/token', {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'password', client_id: 'app', client_secret: 'right' }),
		});
		expect(err(grant).reason).toBe('unsupported_grant_type');
	});

	it('answers every call in the {code, msg, data} envelope and needs a live token', async () => {
		const token = await rawToken(emu.baseUrl, 'app', 'right');
		const ok = await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token });
		expect(ok.json).toMatchObject({ code: 0, msg: 'success', data: { id: '1', name: 'Root', parent_id: '0' } });
		expect(err(await rawCall(emu.baseUrl, 'GET', '/v7/depts/root'))).toEqual({
			status: 401,
			code: 401000001,
			reason: 'invalid_token',
		});

		t0 += 7199_000;
		expect((await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token })).json.code).toBe(0);
		t0 += 2_000;
		expect(err(await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token }))).toEqual({
			status: 401,
			code: 401000001,
			reason: 'token_expired',
		});
	});

	it('expireTokens() invalidates every issued token', async () => {
		const token = await rawToken(emu.baseUrl, 'app', 'right');
		await emu.admin.expireTokens();
		expect(err(await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token })).reason).toBe('invalid_token');
	});

	it('serves writes on POST only and unknown paths as 404', async () => {
		const token = await rawToken(emu.baseUrl, 'app', 'right');
		for (const path of ['/v7/depts/create', '/v7/depts/1/delete', '/v7/users/create', '/v7/users/batch_disable']) {
			expect(err(await rawCall(emu.baseUrl, 'GET', path, { token }))).toEqual({
				status: 405,
				code: 400000002,
				reason: 'method_not_allowed',
			});
		}
		expect(err(await rawCall(emu.baseUrl, 'DELETE', '/v7/depts/1/delete', { token })).status).toBe(405);
		expect(err(await rawCall(emu.baseUrl, 'GET', '/v7/nothing', { token }))).toEqual({
			status: 404,
			code: 400000004,
			reason: 'route_not_found',
		});
		const counters = await emu.admin.counters();
		expect(counters.writes).toBe(0);
	});

	it('answers every refusal as exactly {code, msg} with a human msg, the reason only in the emulator header', async () => {
		const token = await rawToken(emu.baseUrl, 'app', 'right');
		const call = (method: string, path: string, body?: unknown) => rawCall(emu.baseUrl, method, path, { token, body });
		const refusals = [
			await rawCall(emu.baseUrl, 'POST', '/oauth2/token', {
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong' }),
			}),
			await rawCall(emu.baseUrl, 'GET', '/v7/depts/root'),
			await call('GET', '/v7/depts/create'),
			await call('GET', '/v7/nothing'),
			await call('POST', '/v7/depts/create', { name: 'X', parent_id: 'nope' }),
			await call('POST', '/v7/depts/create', { parent_id: '1' }),
			await call('POST', '/v7/depts/1/delete'),
			await call('POST', '/v7/users/batch_read', { user_ids: ['u'], status: ['dimission'] }),
			await call('GET', '/v7/depts/1/children?page_size=51'),
		];
		expect(refusals.map((a) => a.reason)).toEqual([
			'invalid_client',
			'invalid_token',
			'method_not_allowed',
			'route_not_found',
			'parent_dept_not_found',
			'invalid_param',
			'root_dept_cannot_be_deleted',
			'invalid_param',
			'invalid_page_size',
		]);
		expect(refusals.map(wpsErrorBodyProblem)).toEqual(refusals.map(() => ''));
	});
});

describe('WPS emulator: KSO-1 request signatures', () => {
	let emu: WpsEmulator;
	let token: string;
	const vectorTime = Date.parse(VECTOR_DATE);
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off' });
		await emu.admin.seedTenant({ clientId: 'AK123456', clientSecret: 'sk098765', signing: true });
		// The vectors are dated 2006: put the emulator clock there so their X-Kso-Date is fresh.
		await emu.admin.setClock({ offsetMs: vectorTime - Date.now() });
		token = await rawToken(emu.baseUrl, 'AK123456', 'sk098765');
	});
	afterAll(() => emu.close());

	const signed = (method: string, uri: string, body?: string, date = VECTOR_DATE) => ({
		'content-type': 'application/json',
		...ksoHeaders({
			appId: 'AK123456',
			secretKey: 'sk098765',
			method,
			requestUri: uri,
			contentType: 'application/json',
			date,
			body,
		}),
	});

	it('accepts the spec GET vector exactly', async () => {
		const headers = signed('GET', '/v7/test?key=value');
		expect(headers['X-Kso-Authorization']).toBe(`KSO-1 AK123456:${VECTOR_GET_SIG}`);
		const res = await rawCall(emu.baseUrl, 'GET', '/v7/test?key=value', { token, headers });
		expect(res.json).toEqual({ code: 0, msg: 'success', data: { query: { key: 'value' } } });
	});

	it('accepts the spec POST vector exactly', async () => {
		const body = '{"key": "value"}';
		const headers = signed('POST', '/v7/test/body', body);
		expect(headers['X-Kso-Authorization']).toBe(`KSO-1 AK123456:${VECTOR_POST_SIG}`);
		const res = await rawCall(emu.baseUrl, 'POST', '/v7/test/body', { token, headers, body });
		expect(res.json).toEqual({ code: 0, msg: 'success', data: { body: { key: 'value' } } });
	});

	it('refuses a missing, tampered, stale or foreign signature', async () => {
		const unsigned = await rawCall(emu.baseUrl, 'GET', '/v7/test?key=value', { token });
		expect(err(unsigned)).toEqual({ status: 401, code: 401000001, reason: 'invalid_signature' });
		const otherQuery = await rawCall(emu.baseUrl, 'GET', '/v7/test?key=other', {
			token,
			headers: signed('GET', '/v7/test?key=value'),
		});
		expect(err(otherQuery).reason).toBe('invalid_signature');
		const tamperedBody = await rawCall(emu.baseUrl, 'POST', '/v7/test/body', {
			token,
			headers: signed('POST', '/v7/test/body', '{"key": "value"}'),
			body: '{"key": "other"}',
		});
		expect(err(tamperedBody).reason).toBe('invalid_signature');
		const stale = await rawCall(emu.baseUrl, 'GET', '/v7/test?key=value', {
			token,
			headers: signed('GET', '/v7/test?key=value', undefined, 'Mon, 02 Jan 2006 16:04:05 GMT'),
		});
		expect(err(stale).reason).toBe('invalid_signature');
		const foreign = { ...signed('GET', '/v7/test?key=value') };
		foreign['X-Kso-Authorization'] = foreign['X-Kso-Authorization'].replace('AK123456', 'AK999999');
		expect(err(await rawCall(emu.baseUrl, 'GET', '/v7/test?key=value', { token, headers: foreign })).reason).toBe(
			'invalid_signature',
		);
	});

	it('does not check signatures for apps without signing', async () => {
		await emu.admin.seedTenant({ clientId: 'plain', clientSecret: 'p' });
		const plainToken = await rawToken(emu.baseUrl, 'plain', 'p');
		expect((await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token: plainToken })).json.code).toBe(0);
	});
});

describe('WPS emulator: private deployment under /openapi', () => {
	let emu: WpsEmulator;
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off', pathPrefix: '/openapi' });
		await emu.admin.seedTenant({ clientId: 'pd', clientSecret: 'pds', signing: true });
	});
	afterAll(() => emu.close());

	it('serves under the prefix and checks the signature over the path without it', async () => {
		expect(emu.baseUrl).toMatch(/\/openapi$/);
		const token = await rawToken(emu.baseUrl, 'pd', 'pds');
		const date = new Date().toUTCString();
		const sign = (uri: string) => ({
			'content-type': 'application/json',
			...ksoHeaders({
				appId: 'pd',
				secretKey: 'pds',
				method: 'GET',
				requestUri: uri,
				contentType: 'application/json',
				date,
			}),
		});
		const stripped = await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', { token, headers: sign('/v7/depts/root') });
		expect(stripped.json.code).toBe(0);
		const withPrefix = await rawCall(emu.baseUrl, 'GET', '/v7/depts/root', {
			token,
			headers: sign('/openapi/v7/depts/root'),
		});
		expect(err(withPrefix).reason).toBe('invalid_signature');
		const origin = new URL(emu.baseUrl).origin;
		expect(err(await rawCall(origin, 'GET', '/v7/depts/root', { token })).status).toBe(404);
	});
});
