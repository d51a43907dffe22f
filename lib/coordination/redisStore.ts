/**
 * A coordination store in Redis from n8n's built-in `redis` credential (the one queue-mode users
 * already have). One connection per distinct credential per process, kept for the process's life
 * like n8n keeps its own queue connection.
 */
import { createHash } from 'crypto';
import { systemClock, type Clock } from '../resilience';
import { RedisBackend } from './redisBackend';
import { CoordinationStore } from './store';

/** n8n's `redis` credential (n8n-nodes-base, Redis.credentials). */
export interface RedisCredentialData {
	host?: string;
	port?: number;
	password?: string;
	user?: string;
	database?: number;
	ssl?: boolean;
	disableTlsVerification?: boolean;
}

const stores = new Map<string, CoordinationStore>();

function connectionKey(c: RedisCredentialData): string {
	const secret = createHash('sha256')
		.update(c.password ?? '')
		.digest('hex')
		.slice(0, 16);
	return [c.host ?? 'localhost', c.port ?? 6379, c.database ?? 0, c.user ?? '', c.ssl ? 'tls' : '', secret].join('|');
}

export function redisStoreFor(
	credential: RedisCredentialData,
	options: { clock?: Clock; prefix?: string } = {},
): CoordinationStore {
	const key = `${connectionKey(credential)}|${options.prefix ?? ''}`;
	let store = options.clock ? undefined : stores.get(key);
	if (!store) {
		const host = credential.host || 'localhost';
		const port = Number(credential.port) || 6379;
		const backend = new RedisBackend(
			{
				host,
				port,
				db: Number(credential.database) || 0,
				username: credential.user || undefined,
				password: credential.password || undefined,
				tls: credential.ssl ? { rejectUnauthorized: !credential.disableTlsVerification } : undefined,
				connectTimeout: 10_000,
			},
			options.prefix,
		);
		store = new CoordinationStore(backend, options.clock ?? systemClock, `Redis at ${host}:${port}`);
		if (!options.clock) stores.set(key, store);
	}
	return store;
}

/** For tests: close every cached connection. */
export async function closeRedisStores(): Promise<void> {
	const all = [...stores.values()];
	stores.clear();
	await Promise.all(all.map((s) => s.close()));
}
