/**
 * An app token kept in the coordination store: every process reads the same token, and when it is
 * missing or about to lapse exactly one process (across workers) fetches a new one.
 */
import type { CoordinationStore } from './store';

export interface FetchedToken {
	token: string;
	expiresInS: number;
}

/** Renew this long before expiry (at most a tenth of the lifetime), like the in-process caches. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

export async function sharedToken(
	store: CoordinationStore,
	key: string,
	fetchToken: () => Promise<FetchedToken>,
): Promise<string> {
	const cacheKey = `token:${key}`;
	const cached = await store.cacheGet(cacheKey);
	if (cached) return cached;
	return store.singleFlight(cacheKey, async () => {
		// Another process may have refreshed it while this one waited for the lock.
		const fresh = await store.cacheGet(cacheKey);
		if (fresh) return fresh;
		const startedAt = store.clock.now();
		const { token, expiresInS } = await fetchToken();
		const lifetimeMs = expiresInS * 1000;
		await store.cacheSet(cacheKey, token, startedAt + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10));
		return token;
	});
}

/** Forget `token` (the service refused it), unless another process already replaced it. */
export async function dropSharedToken(store: CoordinationStore, key: string, token: string): Promise<void> {
	const cacheKey = `token:${key}`;
	if ((await store.cacheGet(cacheKey)) === token) await store.cacheDelete(cacheKey);
}
