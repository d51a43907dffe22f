import { randomBytes, timingSafeEqual } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import { ksoSignature, parseKsoAuthorization } from '../../../lib/wps/ksoSign';
import { fail } from './errors';
import type { App } from './model';

export const TOKEN_TTL_S = 7200;
/** How far X-Kso-Date may be from the server clock. */
export const KSO_MAX_SKEW_MS = 15 * 60 * 1000;

/** Issued bearer tokens and their expiry on the emulator clock. */
export class Tokens {
	private readonly byToken = new Map<string, { clientId: string; expiresAt: number }>();

	issue(clientId: string, now: number): { access_token: string; expires_in: number; token_type: 'bearer' } {
		const token = randomBytes(24).toString('hex');
		this.byToken.set(token, { clientId, expiresAt: now + TOKEN_TTL_S * 1000 });
		return { access_token: token, expires_in: TOKEN_TTL_S, token_type: 'bearer' };
	}

	/** The client id behind `Authorization: Bearer <token>`, or an invalid_token / token_expired fault. */
	resolve(authorization: string | undefined, now: number): string {
		const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
		if (!m) throw fail.auth('invalid_token', 'Authorization: Bearer <access_token> is required');
		const entry = this.byToken.get(m[1]);
		if (!entry) throw fail.auth('invalid_token', 'the access token is unknown');
		if (now >= entry.expiresAt) throw fail.auth('token_expired', 'the access token has expired');
		return entry.clientId;
	}

	expireAll(): void {
		this.byToken.clear();
	}
}

function header(headers: IncomingHttpHeaders, name: string): string {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : (value ?? '');
}

/** KSO-1 check for apps that turned signing on. */
export function verifyKso(
	app: App,
	method: string,
	signedUri: string,
	headers: IncomingHttpHeaders,
	rawBody: Buffer,
	now: number,
): void {
	if (!app.signing) return;
	const date = header(headers, 'x-kso-date');
	const parsed = parseKsoAuthorization(header(headers, 'x-kso-authorization'));
	if (!date || !parsed)
		throw fail.auth('invalid_signature', 'X-Kso-Date and X-Kso-Authorization: KSO-1 <appId>:<sig> are required');
	const at = Date.parse(date);
	if (Number.isNaN(at) || Math.abs(at - now) > KSO_MAX_SKEW_MS) {
		throw fail.auth('invalid_signature', 'X-Kso-Date is missing, malformed or too far from the server time');
	}
	if (parsed.appId !== app.clientId) throw fail.auth('invalid_signature', 'the signature names another app');
	const expected = ksoSignature({
		secretKey: app.clientSecret,
		method,
		requestUri: signedUri,
		contentType: header(headers, 'content-type'),
		date,
		body: rawBody,
	});
	if (!timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.signature))) {
		throw fail.auth('invalid_signature', 'the KSO-1 signature does not match the request');
	}
}
