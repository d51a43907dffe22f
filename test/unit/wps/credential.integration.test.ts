import { NodeApiError, NodeOperationError, type ICredentialTestFunctions, type INode } from 'n8n-workflow';
import { Wps365Api } from '../../../credentials/Wps365Api.credentials';
import { WpsApiError, clearTokenCache } from '../../../lib/wps';
import { wps365ApiTest } from '../../../nodes/WpsContacts/methods/credentialTest';
import { toNodeError } from '../../../nodes/shared/errors';
import { type WpsEmulator, startWpsEmulator } from '../../emulators/wps';

const ctx = {} as ICredentialTestFunctions;
const test = (data: Record<string, unknown>) =>
	wps365ApiTest.call(ctx, { id: '1', name: 'WPS', type: 'wps365Api', data: data as never });

describe('WPS 365 App credential', () => {
	let emu: WpsEmulator;
	let pd: WpsEmulator;
	beforeAll(async () => {
		emu = await startWpsEmulator({ rateLimits: 'off' });
		await emu.admin.seedTenant({ clientId: 'cred-app', clientSecret: 'cred-secret', rootName: 'Acme' });
		await emu.admin.seedTenant({ clientId: 'signed-app', clientSecret: 'signed-secret', signing: true });
		pd = await startWpsEmulator({ rateLimits: 'off', pathPrefix: '/openapi' });
		await pd.admin.seedTenant({ clientId: 'pd-app', clientSecret: 'pd-secret', signing: true });
	});
	beforeEach(() => clearTokenCache());
	afterAll(async () => {
		await emu.close();
		await pd.close();
	});

	it('declares the fields the transport needs, the secret as a password', () => {
		const cred = new Wps365Api();
		expect(cred.name).toBe('wps365Api');
		expect(cred.displayName).toBe('WPS 365 App API');
		expect(cred.documentationUrl).toMatch(/^https:\/\//);
		const byName = Object.fromEntries(cred.properties.map((p) => [p.name, p]));
		expect(Object.keys(byName)).toEqual([
			'clientId',
			'clientSecret',
			'baseUrl',
			'signing',
			'signedPathDropsPrefix',
			'readableFields',
		]);
		// No personal field is assumed readable: WPS blanks them without an error when the scope is missing.
		expect(byName.readableFields.default).toEqual([]);
		expect(byName.clientSecret.typeOptions?.password).toBe(true);
		expect(byName.baseUrl.default).toBe('https://openapi.wps.cn');
	});

	it('"Test" gets a token and reads the root department', async () => {
		const result = await test({ clientId: 'cred-app', clientSecret: 'cred-secret', baseUrl: emu.baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connected: token issued and root department "Acme" read' });
	});

	it('"Test" fails with WPS\'s message on a wrong secret, even right after a success, and never shows the secret', async () => {
		await test({ clientId: 'cred-app', clientSecret: 'cred-secret', baseUrl: emu.baseUrl });
		const result = await test({ clientId: 'cred-app', clientSecret: 'not-the-secret', baseUrl: emu.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/oauth2\/token.*client id \(APPID\) and client secret/i);
		expect(result.message).not.toContain('not-the-secret');
	});

	it('"Test" checks signing: refused without it, accepted with it, and with a private deployment prefix', async () => {
		const unsigned = await test({ clientId: 'signed-app', clientSecret: 'signed-secret', baseUrl: emu.baseUrl });
		expect(unsigned.status).toBe('Error');
		expect(unsigned.message).toMatch(/401.*KSO-1 Signing/);
		expect(
			(await test({ clientId: 'signed-app', clientSecret: 'signed-secret', baseUrl: emu.baseUrl, signing: true }))
				.status,
		).toBe('OK');
		const pdCred = { clientId: 'pd-app', clientSecret: 'pd-secret', baseUrl: pd.baseUrl, signing: true };
		expect((await test({ ...pdCred, signedPathDropsPrefix: true })).status).toBe('OK');
		expect((await test({ ...pdCred, signedPathDropsPrefix: false })).message).toMatch(/401/);
	});

	it('"Test" explains an unreachable or malformed base URL', async () => {
		const closed = await startWpsEmulator();
		const url = closed.baseUrl;
		await closed.close();
		const down = await test({ clientId: 'x', clientSecret: 'y', baseUrl: url });
		expect(down.status).toBe('Error');
		expect(down.message).toMatch(/network_error.*base URL/);
		expect((await test({ clientId: 'x', clientSecret: 'y', baseUrl: 'not a url' })).message).toMatch(
			/Base URL is not a URL/,
		);
	});
});

describe('toNodeError', () => {
	const node = {
		id: '1',
		name: 'WPS Contacts',
		type: 'n8n-nodes-feishu-wps-sync.wpsContacts',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	} as INode;

	it('keeps the WPS code, message and status, with the hint as description', () => {
		const source = new WpsApiError({
			kind: 'api',
			endpoint: 'POST /v7/depts/create',
			code: 403000001,
			msg: 'Permission denied',
			httpStatus: 403,
		});
		source.attempts = 1;
		const error = toNodeError(node, source, 2) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('WPS error 403000001 Permission denied on POST /v7/depts/create');
		expect(error.description).toContain('kso.contact.readwrite');
		expect(error.httpCode).toBe('403');
		expect(error.context.itemIndex).toBe(2);
		expect((error.errorResponse as Record<string, unknown>)?.code).toBe(403000001);
	});

	it('passes n8n errors through and wraps anything else as an operation error', () => {
		const op = new NodeOperationError(node, 'bad input');
		expect(toNodeError(node, op)).toBe(op);
		expect(toNodeError(node, new Error('boom'))).toBeInstanceOf(NodeOperationError);
	});
});
