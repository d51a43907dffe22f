/** A seeded demo emulator for `npm run emulators` and manual trials (spec rate limits). */
import { FieldType as T } from './bitable/model';
import { startFeishuEmulator } from './index';

export interface StandaloneFeishu {
	baseUrl: string;
	appId: string;
	appSecret: string;
	appToken: string;
	tableId: string;
	botWebhookUrl: string;
	botSecret: string;
	botKeyword: string;
}

/**
 * Resolves to the demo's description; `close` (a function, so JSON.stringify leaves it out) stops the server.
 */
export async function startStandaloneFeishu(
	opts: { port?: number } = {},
): Promise<StandaloneFeishu & { close: () => Promise<void> }> {
	const emulator = await startFeishuEmulator({ port: opts.port, rateLimits: 'spec' });
	const { admin } = emulator;
	const demo = {
		// the SDK's long connection accepts only cli_ + 16 hex digits (as real app ids are)
		appId: 'cli_d0e0000000000001',
		appSecret: 'demo-app-secret',
		appToken: 'bascnDemoBase0000000000001',
		tableId: 'tblDemoTable00001',
		botToken: 'demo-bot-token',
		botSecret: 'demo-bot-secret',
		botKeyword: 'sync',
	};
	await admin.createApp({ appId: demo.appId, appSecret: demo.appSecret, name: 'Demo Sync App' });
	await admin.createBase({ appToken: demo.appToken, name: 'Demo Base', apps: [demo.appId] });
	await admin.addUser({
		open_id: 'ou_demo_alice',
		user_id: 'alice',
		name: 'Alice',
		email: 'alice@example.com',
		mobile: '+8613800000001',
	});
	await admin.addUser({
		open_id: 'ou_demo_bob',
		user_id: 'bob',
		name: 'Bob',
		email: 'bob@example.com',
		mobile: '+8613800000002',
	});
	await admin.createTable({
		appToken: demo.appToken,
		tableId: demo.tableId,
		name: 'Customers',
		primaryField: 'Name',
		fields: [
			{ field_name: 'Name', type: T.Text },
			{ field_name: 'External ID', type: T.Text },
			{ field_name: 'Amount', type: T.Number },
			{
				field_name: 'Status',
				type: T.SingleSelect,
				property: { options: [{ name: 'New' }, { name: 'Active' }, { name: 'Closed' }] },
			},
			{ field_name: 'Tags', type: T.MultiSelect },
			{ field_name: 'Signed At', type: T.DateTime },
			{ field_name: 'Active', type: T.Checkbox },
			{ field_name: 'Owner', type: T.User },
			{ field_name: 'Phone', type: T.Phone },
			{ field_name: 'Website', type: T.Url },
			{ field_name: 'Modified', type: T.ModifiedTime },
		],
	});
	await admin.seedRecords({
		appToken: demo.appToken,
		tableId: demo.tableId,
		records: [
			{
				fields: {
					Name: 'Acme Ltd',
					'External ID': 'C-1',
					Amount: 1200,
					Status: 'Active',
					Tags: ['vip'],
					Active: true,
					Owner: [{ id: 'ou_demo_alice' }],
				},
				asUser: 'ou_demo_alice',
			},
			{
				fields: {
					Name: 'Globex',
					'External ID': 'C-2',
					Amount: 80.5,
					Status: 'New',
					Phone: '+8613800000003',
					Website: { text: 'globex', link: 'https://globex.example.com' },
				},
				asUser: 'ou_demo_bob',
			},
		],
	});
	const { webhookUrl } = await admin.createBot({
		token: demo.botToken,
		secret: demo.botSecret,
		keyword: demo.botKeyword,
	});
	return {
		baseUrl: emulator.baseUrl,
		appId: demo.appId,
		appSecret: demo.appSecret,
		appToken: demo.appToken,
		tableId: demo.tableId,
		botWebhookUrl: webhookUrl,
		botSecret: demo.botSecret,
		botKeyword: demo.botKeyword,
		close: () => emulator.close(),
	};
}
