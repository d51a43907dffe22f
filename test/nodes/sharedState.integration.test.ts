/**
 * The nodes' Shared State parameter: with "Redis (Queue Mode)" and n8n's redis credential, a Bitable
 * sync keeps its app's rate-limit log, tenant token and table lock in Redis (where other workers see
 * them); by default nothing goes to Redis and the node says, in a notice, that state is per process.
 */
import Redis from 'ioredis';
import type { INodeParameters } from 'n8n-workflow';
import { closeRedisStores } from '../../lib/coordination';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { WpsContacts } from '../../nodes/WpsContacts/WpsContacts.node';
import { APP, useKit } from './feishuBitableKit';

const redisCredential = {
	host: process.env.REDIS_HOST ?? '127.0.0.1',
	port: Number(process.env.REDIS_PORT ?? 6379),
	database: 0,
	password: '',
};
const PREFIX = 'n8n-nodes-feishu-wps-sync:';

const kit = useKit({ rateLimits: 'spec' });
let redis: Redis;
beforeAll(async () => {
	redis = new Redis({ host: redisCredential.host, port: redisCredential.port });
});
afterAll(async () => {
	await closeRedisStores();
	redis.disconnect();
});

/** An upsert by Key with Shared State = Redis (and `syncOptions`), on the Start items given. */
const syncWithRedis = (tableId: string, items: Array<{ Key: string }>, syncOptions?: INodeParameters) =>
	kit
		.sync(
			tableId,
			{ mode: 'upsert', keyFields: ['Key'], coordination: 'redis', ...(syncOptions ? { syncOptions } : {}) },
			{ credentials: ['feishuAppApi', 'redis'] },
		)
		.run({ credentials: { ...kit.credentials, redis: redisCredential }, pinData: { Start: items } });

const keysOfApp = async () =>
	(await redis.keys(`${PREFIX}*`)).filter((k) => k.includes(kit.emu.baseUrl) && k.includes(APP.appId));

it('every Feishu and WPS node offers Shared State with the redis credential, and a notice while it is per process', () => {
	for (const node of [
		new FeishuBitable(),
		new FeishuBitableTrigger(),
		new FeishuBot(),
		new RecordStatus(),
		new WpsContacts(),
	]) {
		const d = node.description;
		expect(
			d.credentials?.some((c) => c.name === 'redis' && c.displayOptions?.show?.coordination?.[0] === 'redis'),
		).toBe(true);
		const notice = d.properties.find((p) => p.name === 'coordinationNotice');
		expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { coordination: ['process'] } } });
		expect(notice?.displayName).toContain('kept in this n8n process only');
	}
});

it('Sync with Shared State = Redis keeps the app limits and token in Redis; per process it writes nothing there', async () => {
	const tableId = await kit.newTable([{ field_name: 'Key', type: 1 }], 'Shared');
	const items = [{ Key: 'a' }, { Key: 'b' }];
	const perProcess = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Key'] }), items);
	expect(perProcess.json('Bitable')[0]).toMatchObject({ created: 2 });
	expect(await keysOfApp()).toEqual([]);

	const shared = await syncWithRedis(tableId, [{ Key: 'a' }, { Key: 'c' }]);
	expect(shared.json('Bitable')[0]).toMatchObject({ created: 1, unchanged: 1 });
	const keys = await keysOfApp();
	expect(keys.some((k) => k.includes(':rate:'))).toBe(true);
	expect(keys.some((k) => k.includes(':token:'))).toBe(true);
	if (keys.length) await redis.del(...keys);
});

it("Sync with Shared State = Redis counts the month's calls in Redis, so the budget covers every worker", async () => {
	const tableId = await kit.newTable([{ field_name: 'Key', type: 1 }], 'Budget');
	const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
	const counterKey = `${PREFIX}counter:usage:${APP.appId}:${month}`;
	await redis.del(counterKey);
	// Another worker already spent 1,000 calls this month.
	await redis.incrby(counterKey, 1000);
	const run = await syncWithRedis(tableId, [{ Key: 'x' }], { monthlyCallBudget: 1_000_000 });
	const spend = run.json('Bitable')[0].monthCalls as { calls: number; shared: boolean };
	expect(spend.shared).toBe(true);
	expect(spend.calls).toBeGreaterThan(1000);
	expect(Number(await redis.get(counterKey))).toBe(spend.calls);
	const r = await syncWithRedis(tableId, [{ Key: 'y' }], { monthlyCallBudget: 1000 });
	expect(r.error?.message).toMatch(/Monthly Call Budget|budget/i);
	await redis.del(counterKey, ...(await keysOfApp()));
});
