/**
 * The Feishu App credential -> a transport session. The session's limiter, token cache, write locks
 * and circuit breaker are shared by every execution of the same app in this n8n process, or by every
 * process when the node's Shared State is Redis (../coordination.ts); the session itself counts the
 * calls of one execution (`session.calls`).
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
	Logger,
} from 'n8n-workflow';
import { feishuBaseUrl } from '../../../lib/feishu/region';
import { feishuSession, type FeishuAppConfig, type FeishuSession } from '../../../lib/feishu/session';
import type { LogSink } from '../../../lib/feishu/logger';
import { coordinationFor } from '../coordination';

export const FEISHU_APP_CREDENTIAL = 'feishuAppApi';

type FeishuContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | ITriggerFunctions | IWebhookFunctions;

/** Per-node settings on top of the credential (e.g. a shorter request timeout). */
export type SessionOverrides = Partial<Omit<FeishuAppConfig, 'appId' | 'appSecret' | 'baseUrl'>>;

/** The transport config a Feishu App credential describes. */
export function feishuConfigFromCredential(credential: ICredentialDataDecryptedObject): FeishuAppConfig {
	return {
		appId: String(credential.appId ?? '').trim(),
		appSecret: String(credential.appSecret ?? '').trim(),
		baseUrl: feishuBaseUrl(String(credential.region ?? 'feishu'), String(credential.baseUrl ?? '')),
		timeZone: String(credential.timeZone || 'Asia/Shanghai'),
	};
}

/** The SDK's (already redacted) log lines go to n8n's logger at debug/warn/error level. */
function logSink(logger: Logger | undefined): LogSink | undefined {
	if (!logger) return undefined;
	return (level, message) => {
		const line = `Feishu SDK: ${message}`;
		if (level === 'error') logger.error(line);
		else if (level === 'warn') logger.warn(line);
		else logger.debug(line);
	};
}

export async function getFeishuSession(ctx: FeishuContext, overrides: SessionOverrides = {}): Promise<FeishuSession> {
	const credential = await ctx.getCredentials(FEISHU_APP_CREDENTIAL);
	const coordination = await coordinationFor(ctx);
	return feishuSession(
		{ ...feishuConfigFromCredential(credential), ...overrides },
		{ log: logSink(ctx.logger), coordination },
	);
}
