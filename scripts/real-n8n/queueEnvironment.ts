/**
 * What `npm run demo:queue` and bench/queueSync.ts share: Redis and PostgreSQL (found or started by
 * scripts/redis.sh and scripts/postgres.sh), the emulators' demo tenants, the package packed once, and
 * n8n in queue mode (test/e2e/queueMode.ts) with two webhook sync workflows: Shared State = Redis and per process.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

import { familyOf, DEFAULT_RATE_LIMITS } from '../../lib/feishu/endpoints';
import { FeishuAdmin } from '../../test/emulators/feishu/admin/client';
import { startEmulators, stopEmulators, type EmulatorInfo } from '../../test/e2e/emulators';
import {
	newSyncTable,
	startQueueMode,
	syncCredentials,
	syncWorkflows,
	type PgServer,
	type QueueMode,
	type RedisServer,
} from '../../test/e2e/queueMode';
import { callWebhook, logsDir, packPackage, REPO_ROOT } from '../../test/e2e/realN8n';

export const QUEUE_DIR = path.join(REPO_ROOT, '.tmp', 'demo-queue');
export { keys, SHARED_HOOK } from '../../test/e2e/queueMode';

function exportsOf(script: string): Record<string, string> {
	const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', script)], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const vars: Record<string, string> = {};
	for (const m of out.matchAll(/([A-Z_]+)=(\S+)/g)) vars[m[1]] = m[2];
	return vars;
}

export function services(): { redis: RedisServer; pg: PgServer } {
	const r = exportsOf('redis.sh');
	const p = exportsOf('postgres.sh');
	return {
		redis: { host: r.REDIS_HOST, port: Number(r.REDIS_PORT) },
		pg: { host: p.PG_HOST, port: Number(p.PG_PORT), user: p.PG_USER },
	};
}

export interface QueueEnvironment {
	queue: QueueMode;
	emulators: EmulatorInfo;
	admin: FeishuAdmin;
	appToken: string;
	stop(): Promise<void>;
}

export async function startQueueEnvironment(options: {
	workers: number;
	createBatch?: number;
}): Promise<QueueEnvironment> {
	const { redis, pg } = services();
	const tarball = packPackage(path.join(QUEUE_DIR, 'pack'));
	const emulators = await startEmulators(path.join(QUEUE_DIR, 'emulators.log'));
	const feishu = emulators.feishu;
	if (!feishu) {
		stopEmulators(emulators);
		throw new Error(`the Feishu emulator did not start: ${emulators.missing.feishu}`);
	}
	try {
		const queue = await startQueueMode({
			dir: path.join(QUEUE_DIR, 'n8n'),
			tarball,
			pg,
			redis,
			workers: options.workers,
			credentials: syncCredentials(feishu, redis),
			workflows: syncWorkflows(feishu.appToken, options.createBatch ?? 10),
		});
		return {
			queue,
			emulators,
			admin: new FeishuAdmin(feishu.baseUrl),
			appToken: feishu.appToken,
			stop: async () => {
				await queue.stop();
				stopEmulators(emulators);
			},
		};
	} catch (error) {
		stopEmulators(emulators);
		throw error;
	}
}

export function newTable(env: QueueEnvironment, name: string): Promise<string> {
	return newSyncTable(env.admin, env.appToken, name);
}

export interface Burst {
	statuses: number[];
	rateLimited: number;
	elapsedMs: number;
	/** The least time the app's limits allow for the calls made: max over families of calls / limit per second. */
	floorMs: number;
	/** Keys per table: how many records, how many distinct. */
	tables: Array<{ tableId: string; records: number; distinct: number }>;
}

/** Sends one sync per body at once through `hook` and reads the emulator's counters and tables afterwards. */
export async function syncBurst(
	env: QueueEnvironment,
	hook: string,
	bodies: Array<{ tableId: string; keys: string[]; run: number }>,
): Promise<Burst> {
	const before = await env.admin.counters();
	const started = performance.now();
	const answers = await Promise.all(
		bodies.map((b) => callWebhook(env.queue.main.baseUrl, hook, { body: JSON.stringify(b) }, 300_000)),
	);
	const elapsedMs = performance.now() - started;
	const after = await env.admin.counters();
	const perFamily: Record<string, number> = {};
	for (const [endpoint, n] of Object.entries(after.calls)) {
		const delta = n - (before.calls[endpoint] ?? 0);
		if (delta > 0 && endpoint !== 'auth.tenant_token')
			perFamily[familyOf(endpoint)] = (perFamily[familyOf(endpoint)] ?? 0) + delta;
	}
	const floorMs = Math.max(
		...Object.entries(perFamily).map(
			([family, n]) => (n / DEFAULT_RATE_LIMITS[family as keyof typeof DEFAULT_RATE_LIMITS]) * 1000,
		),
	);
	const tables = [];
	for (const tableId of [...new Set(bodies.map((b) => b.tableId))]) {
		const got = (await env.admin.dumpTable(env.appToken, tableId)).records.map((r) => String(r.plain.Key));
		tables.push({ tableId, records: got.length, distinct: new Set(got).size });
	}
	return {
		statuses: answers.map((a) => a.status),
		rateLimited: after.rateLimited - before.rateLimited,
		elapsedMs,
		floorMs,
		tables,
	};
}

export { logsDir };
