import { DEFAULT_BASE_URL, type WpsClientOptions } from './client';

/** The decrypted fields of the "WPS 365 App API" credential (credentials/Wps365Api.credentials.ts). */
export interface Wps365Credential {
	clientId: string;
	clientSecret: string;
	baseUrl?: string;
	signing?: boolean;
	signedPathDropsPrefix?: boolean;
}

export function clientOptionsFromCredential(
	credential: Wps365Credential,
	extra: Omit<WpsClientOptions, keyof Wps365Credential> = {},
): WpsClientOptions {
	return {
		...extra,
		clientId: String(credential.clientId ?? '').trim(),
		clientSecret: String(credential.clientSecret ?? ''),
		baseUrl: String(credential.baseUrl || DEFAULT_BASE_URL).trim(),
		signing: !!credential.signing,
		signedPathDropsPrefix: !!credential.signedPathDropsPrefix,
	};
}
