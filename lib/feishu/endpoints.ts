/** Endpoint names (as the emulator counts them) and the rate-limit family each belongs to. */

export type RateFamily = 'search' | 'recordWrite' | 'fieldWrite' | 'other';

/** Calls per second per app, from Feishu's published limits (search and reads 20/s, record writes 50/s, field writes 10/s). */
export type FeishuRateLimits = Record<RateFamily, number>;

/** Feishu's limits are per second; a little slack absorbs network jitter between our clock and theirs. */
export const WINDOW_SLACK_MS = 50;

export const DEFAULT_RATE_LIMITS: FeishuRateLimits = { search: 20, recordWrite: 50, fieldWrite: 10, other: 20 };

export function familyOf(endpoint: string): RateFamily {
	if (/^bitable\.records\.(create|update|delete|batch_create|batch_update|batch_delete)$/.test(endpoint)) {
		return 'recordWrite';
	}
	if (/^bitable\.fields\.(create|update|delete)$/.test(endpoint)) return 'fieldWrite';
	if (endpoint.startsWith('bitable.')) return 'search';
	return 'other';
}

export function isWrite(endpoint: string): boolean {
	const family = familyOf(endpoint);
	return family === 'recordWrite' || family === 'fieldWrite';
}
