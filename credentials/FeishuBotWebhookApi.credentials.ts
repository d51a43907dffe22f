import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Feishu (Lark) custom group bot. "Test" posts a message of a type bots do not accept, so
 * Feishu refuses it and nothing appears in the group: it proves the webhook URL is a live bot.
 * The secret and keyword are checked by the first real message (the Feishu Bot node explains a
 * mismatch).
 */
export class FeishuBotWebhookApi implements ICredentialType {
	name = 'feishuBotWebhookApi';

	displayName = 'Feishu Bot Webhook API';

	icon = 'file:feishuBotWebhookApi.svg' as const;

	documentationUrl = 'https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://open.feishu.cn/open-apis/bot/v2/hook/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
			description: 'Group -> Settings -> Bots -> your custom bot -> Webhook URL (anyone with it can post to the group)',
		},
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only when the bot\'s Security settings have "Signature verification" on',
		},
		{
			displayName: 'Keyword',
			name: 'keyword',
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing -- the keyword appears in every message; it is not a secret
			type: 'string',
			default: '',
			description:
				'Only when the bot\'s Security settings have "Custom keywords": one of them. It is added to messages that do not contain it.',
		},
		{
			displayName:
				'"Test" does not post a message: it sends Feishu an unsupported message type, which the bot refuses, to check that the URL is a live bot. The secret and keyword are checked by the first real message.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{ String($credentials.webhookUrl).trim() }}',
			body: { msg_type: 'n8n_credential_test' },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 19001,
					message:
						'Feishu: the webhook token is not valid (19001). The bot may have been removed: copy its webhook URL again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: undefined,
					message: "This URL did not answer like a Feishu bot webhook: copy the webhook URL from the bot's settings.",
				},
			},
		],
	};
}
