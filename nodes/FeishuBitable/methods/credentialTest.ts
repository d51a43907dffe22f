import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { accessSummary, checkAccess } from '../../../lib/feishu/accessCheck';
import { FeishuApiError, FeishuInputError } from '../../../lib/feishu/errors';
import { feishuSession } from '../../../lib/feishu/session';
import { feishuConfigFromCredential } from '../../shared/feishu/session';

/** Feishu's answers to a wrong App ID / Secret (auth page's error table), said with what to do. */
const TOKEN_ERRORS: Record<number, string> = {
	10014: 'Feishu: "app secret invalid" (10014). Copy the App Secret again from the developer console.',
	10015: 'Feishu: "app secret invalid" (10015). Copy the App Secret again from the developer console.',
	10003: 'Feishu: "invalid param: app_id" (10003). Check the App ID (it starts with cli_).',
};

/**
 * The Feishu App credential's "Test": a tenant access token is asked for (a wrong secret fails with Feishu's own
 * code); when "Base Link to Check" is filled, the access check (lib/feishu/accessCheck) then says whether the app can
 * read and write that base / table, and what to do if not. The secret never appears in a message.
 */
export async function feishuAppApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let config;
	try {
		config = feishuConfigFromCredential(data);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	if (!config.appId || !config.appSecret) return { status: 'Error', message: 'App ID and App Secret are required' };
	let answer: { code?: number; tenant_access_token?: string };
	try {
		const response = await fetch(`${config.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify({ app_id: config.appId, app_secret: config.appSecret }),
			signal: AbortSignal.timeout(15_000),
		});
		answer = (await response.json()) as typeof answer;
	} catch (error) {
		return {
			status: 'Error',
			message: `Could not reach ${config.baseUrl}: ${(error as Error).message}. Check the region / base URL.`,
		};
	}
	if (answer.code !== undefined && TOKEN_ERRORS[answer.code])
		return { status: 'Error', message: TOKEN_ERRORS[answer.code] };
	if (!answer.tenant_access_token) {
		return {
			status: 'Error',
			message:
				'Feishu did not issue a tenant access token: check the App ID, the App Secret and the region / base URL.',
		};
	}
	const link = String(data.checkBase ?? '').trim();
	if (!link)
		return {
			status: 'OK',
			message: "Connection tested successfully (no base link given: the app's access to a base was not checked)",
		};
	try {
		const session = feishuSession(config);
		const base = await session.resolveBitable(link);
		const report = await checkAccess(session, base.appToken, base.tableId);
		const where = base.tableId ? 'table' : 'base';
		if (report.ok) {
			const advanced = report.advancedPermissions === 'yes' ? ` Note: ${accessSummary(report)}` : '';
			return { status: 'OK', message: `The app can read and write the ${where} (${report.calls} calls).${advanced}` };
		}
		return { status: 'Error', message: `The token works, but: ${accessSummary(report)}` };
	} catch (error) {
		if (error instanceof FeishuApiError || error instanceof FeishuInputError) {
			return {
				status: 'Error',
				message: `The token works, but checking the base failed: ${error.message}${error.hint ? `. ${error.hint}` : ''}`,
			};
		}
		return { status: 'Error', message: (error as Error)?.message ?? String(error) };
	}
}
