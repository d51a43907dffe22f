import { DEFAULT_BASE_URL, type WpsClientOptions } from './client';

/** The decrypted fields of the "WPS 365 App API" credential (credentials/Wps365Api.credentials.ts). */
export interface Wps365Credential {
	clientId: string;
	clientSecret: string;
	baseUrl?: string;
	signing?: boolean;
	signedPathDropsPrefix?: boolean;
	/** Personal fields whose read scope the app holds (email, phone, gender); default none. */
	readableFields?: string[];
}

/** The personal fields the credential says the app may read. */
export function readableFieldsOf(credential: Wps365Credential): ('email' | 'phone' | 'gender')[] {
	const list = Array.isArray(credential.readableFields) ? credential.readableFields : [];
	return (['email', 'phone', 'gender'] as const).filter((f) => list.includes(f));
}

export function clientOptionsFromCredential(
	credential: Wps365Credential,
	extra: Omit<WpsClientOptions, keyof Wps365Credential | 'readableFields'> = {},
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
