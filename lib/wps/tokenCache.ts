import { createHash } from 'crypto';

/** Tokens live 7200 s; renew this long before expiry so no call carries a token about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

interface Entry {
	token: string;
	expiresAt: number;
}

/**
 * Process-level cache of app access tokens, shared by every node execution in this n8n process.
 * Keyed by base URL + client id (+ a hash of the secret, so a corrected secret is not masked by a
 * token obtained with the old one). Concurrent callers share one token request.
 */
const entries = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();

export function tokenKey(baseUrl: string, clientId: string, clientSecret: string): string {
	const secretHash = createHash('sha256').update(clientSecret).digest('hex').slice(0, 16);
	return `${baseUrl}|${clientId}|${secretHash}`;
}

export async function cachedToken(
	key: string,
	now: () => number,
	fetchToken: () => Promise<{ token: string; expiresInS: number }>,
): Promise<string> {
	const entry = entries.get(key);
	if (entry && now() < entry.expiresAt) return entry.token;
	let pending = inFlight.get(key);
	if (!pending) {
		pending = (async () => {
			const startedAt = now();
			const { token, expiresInS } = await fetchToken();
			const lifetimeMs = expiresInS * 1000;
			const fresh = { token, expiresAt: startedAt + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10) };
			entries.set(key, fresh);
			return fresh;
		})().finally(() => inFlight.delete(key));
		inFlight.set(key, pending);
	}
	return (await pending).token;
}

/** Forget `token` (refused by WPS); a newer token fetched meanwhile by another caller is kept. */
export function dropToken(key: string, token: string): void {
	if (entries.get(key)?.token === token) entries.delete(key);
}

/** For tests: forget every cached token. */
export function clearTokenCache(): void {
	entries.clear();
}
