/**
 * The Feishu App credential -> a transport session. The session's limiter, token cache, write locks
 * and circuit breaker are shared by every execution of the same app in this n8n process, or by every
 * process when the node's Shared State is Redis (../coordination.ts); the session itself counts the
 * calls of one execution (`session.calls`).
 */
import { DEFAULT_TIME_ZONE } from '../../../lib/defaults';
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
import {
	feishuSession,
	type FeishuAppConfig,
	type FeishuSession,
	type FeishuSessionOptions,
} from '../../../lib/feishu/session';
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
		timeZone: String(credential.timeZone || DEFAULT_TIME_ZONE),
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

/** Tests only (a node's test seam): injected time and process-level state; a registry replaces Shared State. */
export type SessionTestOptions = Pick<FeishuSessionOptions, 'clock' | 'registry'>;

/** The one way a node opens a Feishu session: the credential, the node's Shared State, and n8n's logger. */
export async function getFeishuSession(
	ctx: FeishuContext,
	overrides: SessionOverrides = {},
	testOptions: SessionTestOptions = {},
): Promise<FeishuSession> {
	const credential = await ctx.getCredentials(FEISHU_APP_CREDENTIAL);
	const coordination = await coordinationFor(ctx);
	return feishuSession(
		{ ...feishuConfigFromCredential(credential), ...overrides },
		{ log: logSink(ctx.logger), coordination, ...testOptions },
	);
}
