/** client_token values for Feishu writes: Feishu insists on uuid v4 and replays a repeated token. */
import { createHash, randomUUID } from 'crypto';

export function newClientToken(): string {
	return randomUUID();
}

/**
 * A uuid-v4-shaped token derived from a key (e.g. a task id), so that two writers creating "the same"
 * record send the same token and Feishu stores it once. (A real name-based uuid v5 would fail
 * Feishu's v4 check, hence the v4 layout over a SHA-256 of the key.)
 */
export function clientTokenFromKey(key: string): string {
	const hex = createHash('sha256').update(`feishu-client-token:${key}`).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
