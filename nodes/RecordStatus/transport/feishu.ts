import type { IExecuteFunctions } from 'n8n-workflow';
import { feishuSession, type FeishuSession } from '../../../lib/feishu/session';

const HOSTS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };

/** The Feishu App credential as a transport session (process-level limiter, token and breaker per app). */
export async function openFeishuSession(ctx: IExecuteFunctions): Promise<{ session: FeishuSession; timeZone: string }> {
	const cred = await ctx.getCredentials('feishuAppApi');
	const region = String(cred.region ?? 'feishu');
	const baseUrl = region === 'custom' ? String(cred.baseUrl ?? '').replace(/\/+$/, '') : HOSTS[region] ?? HOSTS.feishu;
	const timeZone = String(cred.timeZone || 'Asia/Shanghai');
	return {
		session: feishuSession({ appId: String(cred.appId), appSecret: String(cred.appSecret), baseUrl, timeZone }),
		timeZone,
	};
}
