/** The Feishu App credential -> the shared transport session, plus the time zone for date values. */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import type { FeishuSession } from '../../../lib/feishu/session';
import { getFeishuSession, type SessionOverrides } from '../../shared/feishu/session';

export async function bitableSession(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	overrides: SessionOverrides = {},
): Promise<{ session: FeishuSession; timeZone: string }> {
	const session = await getFeishuSession(ctx, overrides);
	return { session, timeZone: session.timeZone };
}
