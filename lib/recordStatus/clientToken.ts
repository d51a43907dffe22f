import { createHash } from 'crypto';

/** A fixed namespace for this package's name-based uuids (RFC 4122 section 4.3). */
export const STATUS_NAMESPACE = '6f1d0c2a-9a52-4f7e-8d2b-3c5e8a1b7f40';

function uuidBytes(uuid: string): Buffer {
	return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function format(bytes: Buffer): string {
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Name-based uuid: SHA-1 of namespace + name, with the variant bits set. `version` 5 is RFC 4122's
 * name-based form; Feishu accepts only uuidv4-shaped client_tokens (1254037 otherwise), so
 * `clientTokenForKey` stamps the same hash with version 4: still derived from the name alone, so the
 * intake and the reconciler creating one task send the same token.
 */
export function nameBasedUuid(name: string, namespace = STATUS_NAMESPACE, version: 4 | 5 = 5): string {
	const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
	const bytes = hash.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | (version << 4);
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	return format(bytes);
}

/**
 * The create-if-missing client_token for a record key in one table and the body being sent. Feishu answers 1255006
 * when a token comes back with another body (docs/feishu-api.md, client_token), so the body is part of the name:
 * retries of one create share a token, a create with other values gets another.
 */
export function clientTokenForKey(scope: string, key: string, body?: unknown): string {
	const name = body === undefined ? `${scope}\u0000${key}` : `${scope}\u0000${key}\u0000${canonicalJson(body)}`;
	return nameBasedUuid(name, STATUS_NAMESPACE, 4);
}

/** JSON with object keys sorted, so equal bodies give equal tokens whatever their key order. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
