import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** The Open Platform host the credential points at, as an n8n expression (region or custom base URL). */
const BASE_URL_EXPRESSION =
	'($credentials.region === "lark" ? "https://open.larksuite.com" : $credentials.region === "custom" ? String($credentials.baseUrl || "").trim().replace(/\\/+$/, "").replace(/\\/open-apis$/, "") : "https://open.feishu.cn")';

/**
 * A Feishu (Lark) custom app: App ID + App Secret. "Test" asks Feishu for a tenant access token;
 * a wrong secret fails with Feishu's own message.
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
			default: 'Asia/Shanghai',
			description: 'IANA time zone used to read and write date fields (e.g. Asia/Shanghai, Asia/Singapore, UTC)',
		},
		{
			displayName:
				'Add the app to each base it should use: open the base, "…" -> "More" -> "Add document app" (添加文档应用). The app needs the bitable:app scope.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	];

	// Feishu answers a wrong secret with HTTP 400 and {code: 10014, msg: "app secret invalid"}: the
	// status is ignored so that the rules below can judge the body.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: `={{ ${BASE_URL_EXPRESSION} + "/open-apis/auth/v3/tenant_access_token/internal" }}`,
			body: { app_id: '={{ String($credentials.appId).trim() }}', app_secret: '={{ String($credentials.appSecret).trim() }}' },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 10014,
					message: 'Feishu: "app secret invalid" (10014). Copy the App Secret again from the developer console.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 10015,
					message: 'Feishu: "app secret invalid" (10015). Copy the App Secret again from the developer console.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 10003,
					message: 'Feishu: "invalid param: app_id" (10003). Check the App ID (it starts with cli_).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'tenant_access_token',
					value: undefined,
					message:
						'Feishu did not issue a tenant access token: check the App ID, the App Secret and the region / base URL.',
				},
			},
		],
	};
}
