import { randomUUID } from 'crypto';
import { startFeishuEmulator, type FaultKind, type FaultPlan } from './index';
import { APP_TOKEN, startKit, type Kit } from './testkit';

let k: Kit;
beforeEach(async () => {
	k = await startKit();
});
afterEach(() => k.close());

type Outcome = { status: number; code?: number } | 'dropped' | 'timeout';

async function outcome(call: Promise<{ status: number; json: any }>): Promise<Outcome> {
	// eslint-disable-line @typescript-eslint/no-explicit-any
	try {
		const r = await call;
		return { status: r.status, code: typeof r.json === 'object' ? r.json.code : undefined };
	} catch (e) {
		return (e as Error).name === 'TimeoutError' || (e as { cause?: Error }).cause?.name === 'TimeoutError'
			? 'timeout'
			: 'dropped';
	}
}

const rows = async () => (await k.emu.admin.dumpTable(APP_TOKEN, k.tableId)).records;

async function write(
	name: string,
	opts: { clientToken?: string; timeoutMs?: number } = {},
	kit: Kit = k,
): Promise<Outcome> {
	const query = opts.clientToken ? `?client_token=${opts.clientToken}` : '';
	return outcome(
		fetch(`${kit.emu.baseUrl}${kit.records}/batch_create${query}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${await kit.token()}`, 'content-type': 'application/json' },
			body: JSON.stringify({ records: [{ fields: { Name: name } }] }),
			signal: opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined,
		}).then(async (r) => {
			const text = await r.text();
			let json: unknown = text;
			try {
				json = JSON.parse(text);
			} catch {
				// gateway pages are not JSON
			}
			return { status: r.status, json };
		}),
	);
}

const plan = (kind: FaultKind, extra: Partial<FaultPlan> = {}): FaultPlan => ({
	seed: 1,
	kinds: [kind],
	onCalls: [1],
	...extra,
});

describe('fault kinds (injected on the first matching call, then normal service)', () => {
	it.each([
		['1254290', { status: 400, code: 1254290 }],
		['1254291', { status: 200, code: 1254291 }],
		['1254607', { status: 400, code: 1254607 }],
	] as const)('%s answers %j and writes nothing', async (kind, expected) => {
		await k.token();
		await k.emu.admin.setFaultPlan(plan(kind));
		expect(await write('a')).toEqual(expected);
		expect(await rows()).toHaveLength(0);
		expect(await write('b')).toEqual({ status: 200, code: 0 });
		const c = await k.emu.admin.counters();
		expect(c.faultsInjected).toEqual({ [kind]: 1 });
		expect(c.faultsOnWrites).toEqual({ [kind]: 1 });
		expect(c.writeCalls).toBe(1);
	});

	it('5xx answers a gateway error and writes nothing', async () => {
		await k.token();
		await k.emu.admin.setFaultPlan(plan('5xx'));
		const got = await write('a');
		expect(got).not.toBe('dropped');
		expect((got as { status: number }).status).toBeGreaterThanOrEqual(500);
		expect(await rows()).toHaveLength(0);
	});

	it('drop cuts the connection without writing', async () => {
		await k.token();
		await k.emu.admin.setFaultPlan(plan('drop'));
		expect(await write('a')).toBe('dropped');
		expect(await rows()).toHaveLength(0);
	});

	it('applied_then_drop writes, then cuts the connection; a retry with the same client_token does not duplicate', async () => {
		await k.token();
		await k.emu.admin.setFaultPlan(plan('applied_then_drop'));
		const token = randomUUID();
		expect(await write('a', { clientToken: token })).toBe('dropped');
		expect((await rows()).map((r) => r.plain.Name)).toEqual(['a']);
		expect(await write('a', { clientToken: token })).toEqual({ status: 200, code: 0 });
		expect(await rows()).toHaveLength(1);
		const c = await k.emu.admin.counters();
		expect(c.writeCalls).toBe(1);
		expect(c.idempotentReplays).toBe(1);
		expect(c.faultsOnWrites).toEqual({ applied_then_drop: 1 });
	});

	it('applied_then_slow writes, then answers after slowMs (past a client timeout)', async () => {
		await k.token();
		await k.emu.admin.setFaultPlan(plan('applied_then_slow', { slowMs: 2000 }));
		expect(await write('a', { timeoutMs: 100 })).toBe('timeout');
		expect((await rows()).map((r) => r.plain.Name)).toEqual(['a']);
	});
});

describe('fault plans', () => {
	it('apply only to the endpoints they name (default: every bitable endpoint)', async () => {
		await k.token();
		await k.emu.admin.setFaultPlan({ seed: 3, kinds: ['1254291'], rate: 1, endpoints: ['bitable.records.search'] });
		expect(await write('a')).toEqual({ status: 200, code: 0 });
		expect((await k.api('POST', `${k.records}/search`, {})).json.code).toBe(1254291);
		await k.emu.admin.setFaultPlan({ seed: 3, kinds: ['1254291'], rate: 1 });
		expect((await k.api('GET', `/open-apis/bitable/v1/apps/${APP_TOKEN}/tables`)).json.code).toBe(1254291);
		expect(
			(await fetch(`${k.emu.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', body: '{}' }))
				.status,
		).toBe(400);
		await k.emu.admin.clearFaultPlan();
		expect((await k.api('POST', `${k.records}/search`, {})).json.code).toBe(0);
	});

	it('inject at the given rate, deal every kind onto writes, and replay exactly from the seed', async () => {
		const kinds: FaultKind[] = ['1254290', '1254291', '1254607', '5xx', 'drop', 'applied_then_drop'];
		const run = async (seed: number) => {
			const fresh = await startKit({ seed: 5 });
			await fresh.token();
			await fresh.emu.admin.setFaultPlan({ seed, kinds, rate: 0.3 });
			const outcomes: string[] = [];
			for (let i = 0; i < 60; i++) outcomes.push(JSON.stringify(await write(`r${i}`, {}, fresh)));
			const counters = await fresh.emu.admin.counters();
			await fresh.close();
			return { outcomes, counters };
		};
		const a = await run(42);
		const b = await run(42);
		const c = await run(43);
		expect(b.outcomes).toEqual(a.outcomes);
		expect(c.outcomes).not.toEqual(a.outcomes);
		const injected = Object.values(a.counters.faultsInjected).reduce((s, n) => s + n, 0);
		expect(injected).toBeGreaterThan(8);
		expect(injected).toBeLessThan(32);
		expect(Object.keys(a.counters.faultsOnWrites).sort()).toEqual([...kinds].sort());
	});

	it('refuses an unknown kind', async () => {
		await expect(k.emu.admin.setFaultPlan({ seed: 1, kinds: ['boom' as FaultKind] })).rejects.toThrow(
			/unknown fault kind/,
		);
	});

	it('close() does not wait for a pending slow answer', async () => {
		const emu = await startFeishuEmulator();
		await emu.admin.setFaultPlan({
			seed: 1,
			kinds: ['applied_then_slow'],
			rate: 1,
			endpoints: ['auth.tenant_token'],
			slowMs: 60_000,
		});
		const pending = fetch(`${emu.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			body: '{}',
		}).catch(() => 'closed');
		await new Promise((r) => setTimeout(r, 20));
		const started = Date.now();
		await emu.close();
		expect(await pending).toBe('closed');
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
