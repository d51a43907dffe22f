/**
 * The Feishu App credential -> a transport session (process-level limiter, token and breaker per app).
 * Kept here until nodes/shared/feishu/session.ts offers per-node overrides (request timeout).
 */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { feishuBaseUrl } from '../../../lib/feishu/region';
import { feishuSession, type FeishuSession } from '../../../lib/feishu/session';

export interface SessionOverrides {
	/** Per request, ms (a short one makes a slow Feishu fail over to a retry sooner). */
	timeoutMs?: number;
}

export async function bitableSession(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	overrides: SessionOverrides = {},
): Promise<{ session: FeishuSession; timeZone: string }> {
	const cred = await ctx.getCredentials('feishuAppApi');
	const timeZone = String(cred.timeZone || 'Asia/Shanghai');
	const session = feishuSession({
		appId: String(cred.appId),
		appSecret: String(cred.appSecret),
		baseUrl: feishuBaseUrl(String(cred.region ?? 'feishu'), String(cred.baseUrl ?? '')),
		timeZone,
		...(overrides.timeoutMs ? { timeoutMs: overrides.timeoutMs } : {}),
	});
	return { session, timeZone };
}
