import type { FaultKind, FaultPlanSpec } from './faults';
import { SPEC_PER_SECOND } from './index';
import { err, rawCall, rawToken, startTenant, type TenantFixture, wpsErrorBodyProblem } from './rawHttp';

describe('WPS emulator: per-app rate limit', () => {
	let t: TenantFixture;
	let now = 1_700_000_000_000;
	beforeAll(async () => {
		t = await startTenant({}, { rateLimits: 'spec', now: () => now });
	});
	afterAll(() => t.emu.close());

	async function burst(n: number, token = t.token): Promise<number> {
		let limited = 0;
		for (let i = 0; i < n; i++) {
			const res = await rawCall(t.emu.baseUrl, 'GET', '/v7/depts/root', { token });
			if (res.json.code === 429000001) {
				expect(res.status).toBe(429);
				expect(res.reason).toBe('too_many_requests');
				expect(wpsErrorBodyProblem(res)).toBe('');
				limited++;
			}
		}
		return limited;
	}

	it('answers 429000001 past 10 requests per second per app, and lets calls through a second later', async () => {
		expect(SPEC_PER_SECOND).toBe(10);
		expect(await burst(10)).toBe(0);
		expect(await burst(3)).toBe(3);
		// Another app of the same tenant has its own budget.
		await t.emu.admin.addApp({ clientId: 'other', clientSecret: 'o', sameTenantAs: 'app-1' });
		expect(await burst(10, await rawToken(t.emu.baseUrl, 'other', 'o'))).toBe(0);
		now += 1000;
		expect(await burst(10)).toBe(0);
		expect((await t.emu.admin.counters()).rateLimited).toBe(3);
	});

	it('can be raised, set per second or switched off', async () => {
		now += 10_000;
		await t.emu.admin.setRateLimits({ multiplier: 3 });
		expect(await burst(32)).toBe(2);
		now += 10_000;
		await t.emu.admin.setRateLimits({ perSecond: 4 });
		expect(await burst(5)).toBe(1);
		await t.emu.admin.setRateLimits('off');
		expect(await burst(60)).toBe(0);
	});
});

describe('WPS emulator: fault plans and counters', () => {
	let t: TenantFixture;
	beforeEach(async () => {
		t = await startTenant();
	});
	afterEach(() => t.emu.close());

	const createDept = (name: string) => t.api('POST', '/v7/depts/create', { name, parent_id: t.rootId });
	const deptNames = async () => (await t.emu.admin.dump()).depts.map((d) => d.name).slice(1);
	/** Faults the dept creations numbered `onCalls` (1-based) with `kind`. */
	const faultCreates = (kind: FaultKind, onCalls: number[], plan: Partial<FaultPlanSpec> = {}) =>
		t.emu.admin.setFaultPlan({ seed: 1, kinds: [kind], endpoints: ['POST /v7/depts/create'], onCalls, ...plan });

	it('5xx answers a server error (sometimes not even JSON) and applies nothing', async () => {
		await faultCreates('5xx', [1, 2, 3, 4, 5, 6], { seed: 7 });
		const statuses = new Set<number>();
		for (let i = 0; i < 6; i++) {
			const res = await createDept(`A${i}`);
			expect(res.status).toBeGreaterThanOrEqual(500);
			if (res.json) {
				expect(res.json.code).toBe(500000004);
				expect(wpsErrorBodyProblem(res)).toBe('');
			}
			statuses.add(res.status);
		}
		expect(await deptNames()).toEqual([]);
		expect([...statuses].every((s) => [500, 502, 503].includes(s))).toBe(true);
	});

	it('drop closes the connection without an answer and applies nothing', async () => {
		await faultCreates('drop', [1]);
		await expect(createDept('A')).rejects.toThrow();
		expect(await deptNames()).toEqual([]);
	});

	it('applied_then_timeout applies the write and answers only after slowMs', async () => {
		await faultCreates('applied_then_timeout', [1], { slowMs: 200 });
		const started = Date.now();
		const give_up = fetch(`${t.emu.baseUrl}/v7/depts/create`, {
			method: 'POST',
			headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'A', parent_id: t.rootId }),
			signal: AbortSignal.timeout(50),
		});
		await expect(give_up).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(190);
		expect(await deptNames()).toEqual(['A']);
		const counters = await t.emu.admin.counters();
		expect(counters.faultsInjected).toEqual({ applied_then_timeout: 1 });
		expect(counters.faultsOnWrites).toEqual({ applied_then_timeout: 1 });
		expect(counters.writes).toBe(1);
	});

	it('draws faults from the seed: the same seed fails the same calls, only on the named endpoints', async () => {
		async function pattern(seed: number): Promise<string> {
			await t.emu.admin.setFaultPlan({ seed, rate: 0.3, kinds: ['5xx', 'drop'], endpoints: ['GET /v7/depts/root'] });
			let out = '';
			// '.' answered, 'x' a server error, 'd' a dropped connection.
			for (let i = 0; i < 40; i++) {
				out += await t.api('GET', '/v7/depts/root').then(
					(a) => (a.json?.code === 0 ? '.' : 'x'),
					() => 'd',
				);
			}
			return out;
		}
		const a = await pattern(42);
		expect(await pattern(42)).toBe(a);
		expect(a).toContain('x');
		expect(a).toContain('d');
		expect(a).toContain('.');
		expect(await pattern(43)).not.toBe(a);
		// Other endpoints are untouched by this plan.
		for (let i = 0; i < 20; i++) expect((await createDept(`N${i}`)).json.code).toBe(0);
		await t.emu.admin.clearFaultPlan();
		for (let i = 0; i < 20; i++) expect((await t.api('GET', '/v7/depts/root')).json.code).toBe(0);
	});

	it('refuses a plan that names an endpoint that does not exist', async () => {
		await expect(
			t.emu.admin.setFaultPlan({ seed: 1, kinds: ['5xx'], endpoints: ['POST /v7/dept/create'] }),
		).rejects.toThrow(/unknown endpoint/);
		await expect(t.emu.admin.setFaultPlan({ seed: 1, kinds: ['boom' as never] })).rejects.toThrow(/unknown fault kind/);
		// No documented source for a "department order is being rebuilt" refusal: not a fault kind any more.
		await expect(t.emu.admin.setFaultPlan({ seed: 1, kinds: ['dept_order_is_refactoring' as never] })).rejects.toThrow(
			/unknown fault kind/,
		);
	});

	it('counts calls per endpoint and applied writes, and resets them', async () => {
		await t.emu.admin.resetCounters();
		await createDept('A');
		await createDept('A'); // refused: not a write
		await t.api('GET', `/v7/depts/${t.rootId}/children`);
		const counters = await t.emu.admin.counters();
		expect(counters.calls).toEqual({ 'POST /v7/depts/create': 2, 'GET /v7/depts/{dept_id}/children': 1 });
		expect(counters.writes).toBe(1);
		await t.emu.admin.resetCounters();
		expect((await t.emu.admin.counters()).calls).toEqual({});
	});

	it('reset() forgets tenants, apps and tokens', async () => {
		await t.emu.admin.reset();
		expect(err(await t.api('GET', '/v7/depts/root')).reason).toBe('invalid_token');
		await expect(t.emu.admin.dump()).rejects.toThrow(/no tenant/);
	});
});
