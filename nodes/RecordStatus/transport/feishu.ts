import type { IExecuteFunctions } from 'n8n-workflow';
import { feishuSession, type FeishuSession, type FeishuSessionOptions } from '../../../lib/feishu/session';
import { coordinationFor } from '../../shared/coordination';
import { FEISHU_APP_CREDENTIAL, feishuConfigFromCredential } from '../../shared/feishu/session';

/**
 * Test seam, not reachable from a workflow: session options for every Record Status session (the
 * template test injects a registry on a virtual clock, so an outage's retries and the breaker's
 * cooldown pass without waiting). Unset, this is exactly the shared `getFeishuSession`.
 */
export const sessionSeam: { options?: FeishuSessionOptions } = {};

/** The Feishu App credential as a transport session (process-level limiter, token and breaker per app). */
export async function openFeishuSession(ctx: IExecuteFunctions): Promise<{ session: FeishuSession; timeZone: string }> {
	const config = feishuConfigFromCredential(await ctx.getCredentials(FEISHU_APP_CREDENTIAL));
	const options = sessionSeam.options ?? { coordination: await coordinationFor(ctx) };
	return { session: feishuSession(config, options), timeZone: config.timeZone ?? 'Asia/Shanghai' };
}
