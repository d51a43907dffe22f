import type { Tenant } from './tenant';

const caches = new WeakMap<Tenant, Map<string, { version: number; value: unknown }>>();
const MAX_ENTRIES = 64;

/**
 * Sorted lists that paging walks through are rebuilt only when the tenant changed, so reading
 * 50,000 members 50 at a time does not sort 1,000 times.
 */
export function cached<T>(tenant: Tenant, key: string, build: () => T): T {
	let cache = caches.get(tenant);
	if (!cache) caches.set(tenant, (cache = new Map()));
	const hit = cache.get(key);
	if (hit && hit.version === tenant.version) return hit.value as T;
	const value = build();
	cache.delete(key);
	cache.set(key, { version: tenant.version, value });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
	return value;
}
