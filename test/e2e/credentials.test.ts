/**
 * The credential "Test" button of each of our credential types, through n8n's own REST path
 * (POST /rest/credentials/test, as the editor calls it): the valid data passes, a wrong secret fails without
 * echoing it. MySQL runs against the test MariaDB, Feishu and WPS against the emulators' demo tenants.
 */
import { caseSecrets, credentialCase, credentialFixtures, credentialName } from './fixtures/credentials';
import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { packageTypes } from './realN8n';
import { loadSuite, recordSecrets, type Suite } from './suite';

const types = packageTypes().credentials;
const declared = types.map((credential) => credential.name);

let suite: Suite;
beforeAll(async () => {
	suite = await loadSuite();
});

async function testCredential(id: string, name: string, type: string, data: Record<string, unknown>) {
	const { data: result } = await suite.rest.request('POST', '/rest/credentials/test', {
		credentials: { id, name, type, data },
	});
	return result as { status: 'OK' | 'Error'; message?: string };
}

for (const type of declared) {
	describe(`credential ${type}`, () => {
		const fixture = () => {
			const found = credentialCase(type, { mysql: suite.mysql, emulators: suite.emulators });
			if ('unavailable' in found) throw new Error(`cannot test ${type}: ${found.unavailable}`);
			return found;
		};

		it('passes the Test button with valid data (the credential imported by n8n import:credentials)', async () => {
			const { valid } = fixture();
			const imported = suite.credentials[type];
			const result = await testCredential(imported.id, imported.name, type, valid);
			expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		});

		it('fails the Test button with a wrong secret, without echoing it', async () => {
			const found = fixture();
			const { wrongSecret, wrongSecretMessage } = found;
			const secrets = caseSecrets(types.find((credential) => credential.name === type)!.properties, found);
			recordSecrets(suite, ...secrets);
			const { data: created } = await suite.rest.request('POST', '/rest/credentials', {
				name: `${credentialName(type)} (wrong secret)`,
				type,
				data: wrongSecret,
			});
			const result = await testCredential(created.id, created.name, type, wrongSecret);
			expect(result.status).toBe('Error');
			expect(result.message ?? '').not.toBe('');
			if (wrongSecretMessage) expect(result.message).toMatch(wrongSecretMessage);
			for (const secret of secrets) expect(result.message ?? '').not.toContain(secret);
		});
	});
}

for (const type of Object.keys(credentialFixtures).filter((known) => !declared.includes(known))) {
	it.skip(`credential ${type}: not in package.json n8n.credentials yet`, () => undefined);
}

/** The Feishu App credential's Test with "Base Link to Check": the access check runs inside n8n's credential test. */
describe('credential feishuAppApi with a base link to check', () => {
	it('passes for a base the app can write, and fails with what to do for a base the app was not added to', async () => {
		const found = credentialCase('feishuAppApi', { mysql: suite.mysql, emulators: suite.emulators });
		if ('unavailable' in found) throw new Error(`cannot test feishuAppApi: ${found.unavailable}`);
		const feishu = suite.emulators.feishu!;
		const imported = suite.credentials.feishuAppApi;
		const ok = await testCredential(imported.id, imported.name, 'feishuAppApi', {
			...found.valid,
			checkBase: `https://demo.feishu.cn/base/${feishu.appToken}`,
		});
		expect(ok).toEqual({ status: 'OK', message: expect.stringMatching(/^The app can read and write the base/) });
		await new FeishuAdmin(feishu.baseUrl).createBase({ appToken: 'bascnE2eNotAdded00000001', apps: [] });
		const refused = await testCredential(imported.id, imported.name, 'feishuAppApi', {
			...found.valid,
			checkBase: 'https://demo.feishu.cn/base/bascnE2eNotAdded00000001',
		});
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/not added to the base.*Add document app/);
		expect(refused.message).not.toContain(String(found.valid.appSecret));
	});
});
