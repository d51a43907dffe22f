/** The Feishu Bot Webhook credential -> what the bot sender needs. */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { BotWebhookConfig } from '../../../lib/feishu/botSender';

export async function webhookConfig(ctx: IExecuteFunctions): Promise<BotWebhookConfig> {
	const credential = await ctx.getCredentials('feishuBotWebhookApi');
	return {
		webhookUrl: String(credential.webhookUrl ?? '').trim(),
		secret: String(credential.secret ?? '').trim() || undefined,
		keyword: String(credential.keyword ?? '').trim() || undefined,
	};
}
