/**
 * The credentials' "Test", against the emulator. Feishu Bot Webhook: its test request run as n8n runs it (a declarative
 * node whose one property routes the request; RoutingNode resolves $credentials), with the same rule check n8n's
 * credential tester applies. Feishu App: the Feishu Bitable node's feishuAppApiTest (testedBy), which n8n calls.
 */
import { get } from 'lodash';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialTestRequest,
	ICredentialType,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { FeishuAppApi } from '../../../credentials/FeishuAppApi.credentials';
import { FeishuBotWebhookApi } from '../../../credentials/FeishuBotWebhookApi.credentials';
import { FeishuBitable } from '../../../nodes/FeishuBitable/FeishuBitable.node';
import { feishuAppApiTest } from '../../../nodes/FeishuBitable/methods/credentialTest';
import { HarnessNodeTypes, MANUAL_TRIGGER, runWorkflow } from '../../harness';
import { APP, startSetup, type Setup } from './emulatorSetup';

/** What n8n's CredentialsTester reports for a test request: OK or the first matching rule's message. */
async function testCredential(
	credential: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: string; message: string }> {
	const test = credential.test as ICredentialTestRequest;
	class Tester implements INodeType {
		description = {
			displayName: 'Credential Tester',
			name: `tester${credential.name}`,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Tester' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' },
			],
		} as unknown as INodeTypeDescription;
	}
	const nodeTypes = new HarnessNodeTypes();
	const type = nodeTypes.register(Tester);
	const result = await runWorkflow(
		nodeTypes,
		{
			nodes: [MANUAL_TRIGGER, { name: 'Tester', type, credentials: [credential.name] }],
			connections: [['Start', 'Tester']],
		},
		{ credentials: { [credential.name]: data } },
	);
	if (result.error) return { status: 'Error', message: result.error.message };
	const body = result.json('Tester')[0];
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && get(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

describe('Feishu credential tests', () => {
	let setup: Setup;
	let webhookUrl: string;
	beforeAll(async () => {
		setup = await startSetup();
		webhookUrl = (await setup.emu.admin.createBot({ token: 'cred-test-bot', secret: 'bot-secret', keyword: 'ALERT' }))
			.webhookUrl;
	});
	afterAll(() => setup.close());

	const app = (overrides: Record<string, string> = {}) => ({
		...APP,
		region: 'custom',
		baseUrl: `${setup.emu.baseUrl}/`,
		timeZone: 'Asia/Shanghai',
		...overrides,
	});

	const testApp = (data: ICredentialDataDecryptedObject) =>
		feishuAppApiTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'Feishu App',
			type: new FeishuAppApi().name,
			data,
		});

	it("Feishu App: the Test is the Bitable node's method (n8n prefers a credential's own test request, so it has none)", () => {
		expect((new FeishuAppApi() as ICredentialType).test).toBeUndefined();
		expect(new FeishuBitable().description.credentials!.find((c) => c.name === 'feishuAppApi')!.testedBy).toBe(
			'feishuAppApiTest',
		);
	});

	it('Feishu App: a right secret obtains a tenant token', async () => {
		await expect(testApp(app())).resolves.toMatchObject({ status: 'OK' });
	});

	it("Feishu App: a wrong secret fails with Feishu's message", async () => {
		const result = await testApp(app({ appSecret: 'nope' }));
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('"app secret invalid" (10014)') });
	});

	it('Feishu App: an unknown app id fails', async () => {
		const result = await testApp(app({ appId: 'cli_unknown' }));
		expect(result.status).toBe('Error');
	});

	it('Feishu Bot Webhook: a live bot passes without any message reaching the group', async () => {
		await expect(
			testCredential(new FeishuBotWebhookApi(), { webhookUrl, secret: 'bot-secret', keyword: 'ALERT' }),
		).resolves.toMatchObject({ status: 'OK' });
		expect(await setup.emu.admin.botMessages('cred-test-bot')).toEqual([]);
	});

	it('Feishu Bot Webhook: an unknown bot token or a non-bot URL fails', async () => {
		const unknown = await testCredential(new FeishuBotWebhookApi(), {
			webhookUrl: webhookUrl.replace('cred-test-bot', 'nobody'),
			secret: '',
			keyword: '',
		});
		expect(unknown).toEqual({ status: 'Error', message: expect.stringContaining('(19001)') });
		const notBot = await testCredential(new FeishuBotWebhookApi(), {
			webhookUrl: `${setup.emu.baseUrl}/somewhere`,
			secret: '',
			keyword: '',
		});
		expect(notBot).toEqual({ status: 'Error', message: expect.stringContaining('did not answer like a Feishu bot') });
	});
});
