import { DEFAULT_TIME_ZONE } from '../lib/defaults';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Feishu (Lark) custom app: App ID + App Secret. "Test" (the Feishu Bitable node's feishuAppApiTest) asks Feishu
 * for a tenant access token, a wrong secret failing with Feishu's own message; with a base link it also checks the
 * app's access to that base (read, write, add fields, advanced permissions).
 */
export class FeishuAppApi implements ICredentialType {
	name = 'feishuAppApi';

	displayName = 'Feishu App API';

	icon = 'file:feishuAppApi.svg' as const;

	documentationUrl =
		'https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'cli_a1b2c3d4e5f6',
			description: 'From the Feishu developer console: your app -> Credentials & Basic Info',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'feishu',
			options: [
				{ name: 'Feishu (open.feishu.cn)', value: 'feishu' },
				{ name: 'Lark (open.larksuite.com)', value: 'lark' },
				{ name: 'Custom Base URL', value: 'custom', description: 'A private deployment, a proxy, or a test emulator' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://open.example.com',
			description: 'The Open Platform host, without /open-apis',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: DEFAULT_TIME_ZONE,
			description: 'IANA time zone used to read and write date fields (e.g. Asia/Shanghai, Asia/Singapore, UTC)',
		},
		{
			displayName: 'Base Link to Check (Optional)',
			name: 'checkBase',
			type: 'string',
			default: '',
			placeholder: 'https://xxx.feishu.cn/base/bascn...?table=tbl...',
			description:
				'Only for "Test": a base (or wiki) link, with ?table= for one table. Test then also says whether the app can read and write it, add fields, and whether the base uses advanced permissions.',
		},
		{
			displayName:
				'Add the app to each base it should use: open the base, "…" -> "More" -> "Add document app" (添加文档应用). The app needs the bitable:app scope.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	];
}
