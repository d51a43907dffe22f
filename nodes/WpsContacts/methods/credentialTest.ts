import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { WpsApiError, clientOptionsFromCredential, createWpsContacts, type Wps365Credential } from '../../../lib/wps';

/**
 * The WPS 365 App credential's "Test": a fresh token (never a cached one, so a corrected or wrong
 * secret is judged now) and a read of the root department, signed when the credential says so.
 * A failure reports WPS's own message and what to do; the secret never appears.
 */
export async function wps365ApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as unknown as Wps365Credential;
	if (!data.clientId || !data.clientSecret)
		return { status: 'Error', message: 'Client ID and Client Secret are required' };
	let base: string;
	try {
		base = new URL(String(data.baseUrl || 'https://openapi.wps.cn')).toString();
	} catch {
		return { status: 'Error', message: `Base URL is not a URL: ${String(data.baseUrl)}` };
	}
	const wps = createWpsContacts(
		clientOptionsFromCredential(
			{ ...data, baseUrl: base },
			{ freshToken: true, ratePerSecond: false, timeoutMs: 15_000, retry: { maxAttempts: 2, baseDelayMs: 200 } },
		),
	);
	try {
		const root = await wps.depts.root();
		return { status: 'OK', message: `Connected: token issued and root department "${root.name}" read` };
	} catch (error) {
		if (error instanceof WpsApiError) return { status: 'Error', message: `${error.message}. ${error.hint}` };
		return { status: 'Error', message: (error as Error)?.message ?? String(error) };
	}
}
