/**
 * Four Bitable syncs of one table at once, two on each of two "workers" (own sessions, own registries,
 * own locks, as two n8n processes have), on the Feishu emulator with its published rate limits.
 * With the Redis store the table lock and the app's limits are shared: every key once, no call refused
 * for rate. Control, per-process locks: the workers' syncs overlap and create keys twice.
 * Plus: a sync whose Redis lock lapsed stops before its next write batch.
 */
import { randomUUID } from 'crypto';
import { CoordinationStore, LockLostError, RedisBackend } from '../../../lib/coordination';
import { FeishuRegistry, feishuSession, type FeishuSession } from '../../../lib/feishu';
import { runSync, sessionClient, type SyncRequest, type TableLock } from '../../../lib/bitableSync';
import { heldTableLock, storeTableLock } from '../../../lib/bitableSync/lock';
import { KeyedMutex, systemClock } from '../../../lib/resilience';
import { startSetup, APP_TOKEN, type Setup } from '../feishu/emulatorSetup';

const redisConnection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const KEYS = 40;

let setup: Setup;
let backends: RedisBackend[] = [];
beforeEach(async () => {
	setup = await startSetup({ rateLimits: 'spec', writeLatencyMs: 30 });
	backends = [];
});
afterEach(async () => {
	if (backends.length) await backends[0].flush();
	await Promise.all(backends.map((b) => b.close()));
	await setup.close();
});

const request = (run: number): SyncRequest => ({
	appToken: APP_TOKEN,
	tableId: setup.tableId,
	mode: 'upsert',
	keyFields: ['Key'],
	items: Array.from({ length: KEYS }, (_, i) => ({ index: i, values: { Key: `K${i}`, Amount: run * 1000 + i } })),
	batchSizes: { create: 10 },
});

interface Worker {
	session: FeishuSession;
	lock: TableLock;
}

function redisWorkers(): Worker[] {
	const prefix = `test-sync-lock-${randomUUID()}:`;
	backends = [new RedisBackend(redisConnection, prefix), new RedisBackend(redisConnection, prefix)];
	return backends.map((b) => {
		const store = new CoordinationStore(b, systemClock, 'Redis');
		return {
			session: feishuSession(setup.config, { coordination: store }),
			lock: storeTableLock(store, { waitMs: 120_000 }),
		};
	});
}

function perProcessWorkers(): Worker[] {
	return [0, 1].map(() => {
		const mutex = new KeyedMutex();
		return {
			session: feishuSession(setup.config, { registry: new FeishuRegistry(systemClock) }),
			lock: (name, work) => mutex.run(name, work),
		};
	});
}

async function fourSyncsAtOnce(workers: Worker[]) {
	await Promise.all(
		[0, 1, 2, 3].map((run) =>
			runSync(sessionClient(workers[run % 2].session), request(run), { lock: workers[run % 2].lock }),
		),
	);
	const records = (await setup.emu.admin.dumpTable(APP_TOKEN, setup.tableId)).records;
	const keys = records.map((r) => String(r.plain.Key));
	return { keys, counters: await setup.emu.admin.counters() };
}

it('with Redis: every key once, and no call refused for rate', async () => {
	const { keys, counters } = await fourSyncsAtOnce(redisWorkers());
	expect(keys).toHaveLength(KEYS);
	expect(new Set(keys).size).toBe(KEYS);
	expect(counters.rateLimited).toBe(0);
});

it('control, per-process locks: two workers create the same keys twice', async () => {
	const { keys } = await fourSyncsAtOnce(perProcessWorkers());
	expect(new Set(keys).size).toBe(KEYS);
	expect(keys.length).toBeGreaterThan(KEYS);
});

it('a sync whose Redis lock lapsed (a stalled worker) stops before its next write batch', async () => {
	const [worker] = redisWorkers();
	const store = new CoordinationStore(backends[0], systemClock, 'Redis');
	let batches = 0;
	const session = worker.session;
	const create = session.batchCreateRecords.bind(session);
	session.batchCreateRecords = async (...args: Parameters<typeof create>) => {
		const made = await create(...args);
		// after the first batch another run takes the table over (this one's lock lapsed meanwhile)
		if (++batches === 1)
			await backends[1].lockAcquire(
				`bitable-sync:${APP_TOKEN}:${setup.tableId}`,
				'other-worker',
				Date.now() + 120_000,
				60_000,
			);
		return made;
	};
	// the sync's own batches go through the session client, which asks the held lock before each one
	const lock: TableLock = (name, work) =>
		store.withLock(name, (held) => heldTableLock.run(held, work), { ttlMs: 60_000, waitMs: 0 });
	await expect(runSync(sessionClient(session), request(0), { lock })).rejects.toBeInstanceOf(LockLostError);
	const records = (await setup.emu.admin.dumpTable(APP_TOKEN, setup.tableId)).records;
	expect(records).toHaveLength(10); // the first batch only
});
