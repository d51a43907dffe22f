import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A WPS 365 open-platform app (contacts). "Test" runs through the WPS Contacts node's
 * `wps365ApiTest` (gets a token and reads the root department): a declarative test request cannot
 * fetch a token first and sign the call.
 */
export class Wps365Api implements ICredentialType {
	name = 'wps365Api';

	displayName = 'WPS 365 App API';

	icon = 'file:wps365Api.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-feishu-wps-sync/n8n-nodes-feishu-wps-sync#wps-365-app-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID (AppID)',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The app ID shown in the WPS 365 developer console',
		},
		{
			displayName: 'Client Secret (AppKey)',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://openapi.wps.cn',
			description:
				'https://openapi.wps.cn for WPS 365 SaaS; for a private deployment its open-API address, e.g. https://wps.example.com/openapi',
		},
		{
			displayName: 'KSO-1 Signing',
			name: 'signing',
			type: 'boolean',
			default: false,
			description:
				'Whether to sign every request (turn on when the app enabled interface signing in the developer console)',
		},
		{
			displayName: 'Signed Path Drops /openapi Prefix',
			name: 'signedPathDropsPrefix',
			type: 'boolean',
			default: false,
			description:
				'Whether the signature covers the request path without the base URL path (e.g. /openapi), as private deployments expect',
			displayOptions: { show: { signing: [true] } },
		},
		{
			displayName: 'Readable Personal Fields',
			name: 'readableFields',
			type: 'multiOptions',
			options: [
				{ name: 'Email (Kso.user_email.read)', value: 'email' },
				{ name: 'Gender (Kso.user_gender.read)', value: 'gender' },
				{ name: 'Phone (Kso.user_phone.read)', value: 'phone' },
			],
			default: [],
			description:
				'The personal fields whose read scope the app was granted. WPS answers the others empty without an error, so the sync never compares or writes them: an email it cannot see is never overwritten or cleared.',
		},
	];
}
