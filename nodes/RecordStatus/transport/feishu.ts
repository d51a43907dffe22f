import type { IExecuteFunctions } from 'n8n-workflow';
import { feishuBaseUrl } from '../../../lib/feishu/region';
import { feishuSession, type FeishuSession, type FeishuSessionOptions } from '../../../lib/feishu/session';

/**
 * Test seam, not reachable from a workflow: session options for every Record Status session (tests
 * inject a registry on a virtual clock so retries and the breaker's cooldown pass without waiting).
 */
export const sessionSeam: { options?: FeishuSessionOptions } = {};

/** The Feishu App credential as a transport session (process-level limiter, token and breaker per app). */
export async function openFeishuSession(ctx: IExecuteFunctions): Promise<{ session: FeishuSession; timeZone: string }> {
	const cred = await ctx.getCredentials('feishuAppApi');
	const timeZone = String(cred.timeZone || 'Asia/Shanghai');
	const session = feishuSession({
		appId: String(cred.appId),
		appSecret: String(cred.appSecret),
		baseUrl: feishuBaseUrl(String(cred.region ?? 'feishu'), String(cred.baseUrl ?? '')),
		timeZone,
	}, sessionSeam.options);
	return { session, timeZone };
}
