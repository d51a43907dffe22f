import { APP, APP_TOKEN, body, sdkClient, startKit, type Kit } from './testkit';

let k: Kit;
let clockMs: number;
beforeEach(async () => {
	clockMs = Date.UTC(2026, 0, 1);
	k = await startKit({ now: () => clockMs, rateLimits: 'spec' });
});
afterEach(() => k.close());

const searchRaw = () => k.api('POST', `${k.records}/search`, {});
const createRaw = (i: number) => k.api('POST', k.records, { fields: { Name: `r${i}` } });
async function burst(n: number, call: (i: number) => Promise<{ status: number }>): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < n; i++) statuses.push((await call(i)).status);
	return statuses;
}

describe('gateway rate limits', () => {
	it('answers the 21st search in one second with HTTP 429, 99991400 and the x-ogw-ratelimit headers', async () => {
		expect(await burst(20, searchRaw)).toEqual(Array(20).fill(200));
		const refused = await searchRaw();
		expect(refused.status).toBe(429);
		expect(refused.json).toMatchObject({ code: 99991400, msg: 'request trigger frequency limit' });
		expect(refused.headers.get('x-ogw-ratelimit-limit')).toBe('20');
		expect(refused.headers.get('x-ogw-ratelimit-reset')).toBe('1');
		clockMs += 1000;
		expect((await searchRaw()).status).toBe(200);
		expect((await k.emu.admin.counters()).rateLimited).toBe(1);
	});

	it('slides the window: calls spread over the second still count', async () => {
		for (let i = 0; i < 20; i++) {
			expect((await searchRaw()).status).toBe(200);
			clockMs += 40; // 20 calls in 800 ms
		}
		expect((await searchRaw()).status).toBe(429);
		clockMs += 200; // the first call left the window
		expect((await searchRaw()).status).toBe(200);
	});

	it('counts per endpoint and per app', async () => {
		await burst(20, searchRaw);
		expect((await searchRaw()).status).toBe(429);
		expect((await k.api('POST', `${k.records}/batch_get`, { record_ids: ['recX0000000'] })).status).toBe(200);
		await k.emu.admin.createApp({ appId: 'cli_other', appSecret: 's2' });
		await k.emu.admin.setBaseApps(APP_TOKEN, [APP.appId, 'cli_other']);
		const other = sdkClient(k.emu.baseUrl, { appId: 'cli_other', appSecret: 's2' });
		const res = await body(
			other.bitable.appTableRecord.search({ path: { app_token: APP_TOKEN, table_id: k.tableId }, data: {} }),
		);
		expect(res.code).toBe(0);
	});

	it('allows 50 record writes per second and 10 field writes per second', async () => {
		expect(await burst(50, createRaw)).toEqual(Array(50).fill(200));
		const refused = await createRaw(50);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('x-ogw-ratelimit-limit')).toBe('50');
		const fieldsPath = `/open-apis/bitable/v1/apps/${APP_TOKEN}/tables/${k.tableId}/fields`;
		const fields = await burst(11, (i) => k.api('POST', fieldsPath, { field_name: `F${i}`, type: 2 }));
		expect(fields).toEqual([...Array(10).fill(200), 429]);
	});

	it('caps writes per minute too (1000/min, scaled by the multiplier)', async () => {
		await k.emu.admin.setRateLimits({ multiplier: 0.1 }); // 5/s and 100/min
		let i = 0;
		for (let second = 0; second < 20; second++) {
			expect(await burst(5, () => createRaw(i++))).toEqual(Array(5).fill(200));
			clockMs += 1000;
		}
		const refused = await createRaw(i);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('x-ogw-ratelimit-limit')).toBe('100');
		expect(Number(refused.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThan(1);
		expect(Number(refused.headers.get('x-ogw-ratelimit-reset'))).toBeLessThanOrEqual(60);
		expect((await k.emu.admin.dumpTable(APP_TOKEN, k.tableId)).records).toHaveLength(100);
	});

	it('takes per-endpoint overrides and can be switched off', async () => {
		await k.emu.admin.setRateLimits({ perEndpoint: { 'bitable.records.search': 2 } });
		expect(await burst(3, searchRaw)).toEqual([200, 200, 429]);
		await k.emu.admin.setRateLimits('off');
		expect((await burst(60, searchRaw)).every((s) => s === 200)).toBe(true);
	});

	it('the SDK sees the 429 as a thrown error carrying 99991400', async () => {
		await burst(20, searchRaw);
		const res = await body(
			k.client.bitable.appTableRecord.search({ path: { app_token: APP_TOKEN, table_id: k.tableId }, data: {} }),
		);
		expect(res.code).toBe(99991400);
	});
});

describe('concurrent writes to one base', () => {
	it('answer 1254291 while another write holds the base (writeLatencyMs), and succeed one at a time', async () => {
		await k.emu.admin.setRateLimits('off');
		await k.emu.admin.setWriteLatency(30);
		const [a, b] = await Promise.all([createRaw(1), createRaw(2)]);
		expect([a.json.code, b.json.code].sort()).toEqual([0, 1254291]);
		expect((await createRaw(3)).json.code).toBe(0);
		expect((await createRaw(4)).json.code).toBe(0);
		const counters = await k.emu.admin.counters();
		expect(counters.writeConflicts).toBe(1);
		expect((await k.emu.admin.dumpTable(APP_TOKEN, k.tableId)).records).toHaveLength(3);
		// reads do not hold the base
		const [w, r] = await Promise.all([createRaw(5), searchRaw()]);
		expect([w.json.code, r.json.code]).toEqual([0, 0]);
	});
});
