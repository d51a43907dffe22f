/** The Feishu transport against the emulator: tokens, errors and hints, retries, breaker, write lock, paging, helpers. */
import { createHash } from 'crypto';
import { CircuitOpenError } from '../../../lib/resilience';
import {
	FeishuApiError,
	FeishuInputError,
	FeishuRegistry,
	feishuSession,
	type FeishuSession,
} from '../../../lib/feishu';
import { FakeClock } from '../resilience/fakeClock';
import { APP, APP_TOKEN, startSetup, type Setup } from './emulatorSetup';

async function failure(promise: Promise<unknown>): Promise<any> {
	// eslint-disable-line @typescript-eslint/no-explicit-any
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail');
}

describe('Feishu transport', () => {
	let setup: Setup;
	let tableId: string;
	const fast = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } };

	beforeAll(async () => {
		setup = await startSetup();
		tableId = setup.tableId;
	});
	afterAll(() => setup.close());
	beforeEach(async () => {
		await setup.emu.admin.clearFaultPlan();
		await setup.emu.admin.resetCounters();
	});

	const calls = async (endpoint: string) => (await setup.emu.admin.counters()).calls[endpoint] ?? 0;

	describe('tenant token', () => {
		it('is fetched once and shared by the sessions of one app in this process', async () => {
			const registry = new FeishuRegistry(new FakeClock());
			const a = feishuSession(setup.config, { registry });
			const b = feishuSession(setup.config, { registry });
			await Promise.all([a.listTables(APP_TOKEN), b.listTables(APP_TOKEN), a.listFields(APP_TOKEN, tableId)]);
			expect(await calls('auth.tenant_token')).toBe(1);
			expect([a.calls, b.calls]).toEqual([2, 1]);
		});

		it('is dropped and fetched again once when Feishu rejects it (99991663)', async () => {
			const session = setup.session();
			await session.listTables(APP_TOKEN);
			await setup.emu.admin.expireTokens();
			await setup.emu.admin.resetCounters();
			await expect(session.listTables(APP_TOKEN)).resolves.toHaveLength(1);
			expect(await calls('auth.tenant_token')).toBe(1);
			expect(await calls('bitable.tables.list')).toBe(2);
		});

		it("fails with Feishu's message and a hint on a wrong secret, without retrying or showing the secret", async () => {
			const logs: string[] = [];
			const session = feishuSession(
				{ ...setup.config, appSecret: 'wrong-secret-value' },
				{ registry: new FeishuRegistry(new FakeClock()), log: (_level, line) => logs.push(line) },
			);
			const error = await failure(session.listTables(APP_TOKEN));
			expect(error).toBeInstanceOf(FeishuApiError);
			expect(error.code).toBe(10014);
			expect(error.message).toContain('app secret invalid');
			expect(error.hint).toMatch(/App Secret is wrong/);
			expect(await calls('auth.tenant_token')).toBe(1);
			expect(await calls('bitable.tables.list')).toBe(0);
			for (const text of [error.message, error.hint, ...logs]) expect(text).not.toContain('wrong-secret-value');
		});
	});

	describe('errors a user must understand', () => {
		it('91403: says how to add the app to the base', async () => {
			await setup.emu.admin.createBase({ appToken: 'bascnNotShared000000001', apps: [] });
			const error = await failure(setup.session().listTables('bascnNotShared000000001'));
			expect(error.code).toBe(91403);
			expect(error.hint).toContain('添加文档应用');
			expect(error.hint).toContain('Add document app');
			expect(await calls('bitable.tables.list')).toBe(1);
		});

		it("1254045: names the missing field and the table's fields, without retrying", async () => {
			const session = setup.session();
			const error = await failure(
				session.batchCreateRecords(APP_TOKEN, tableId, [{ fields: { Key: 'x', Ammount: 3 } }]),
			);
			expect(error.code).toBe(1254045);
			expect(error.hint).toContain('"Ammount"');
			expect(error.hint).toContain('"Key", "Amount", "Note"');
			expect(await calls('bitable.records.batch_create')).toBe(1);
		});

		it('not found and validation errors are not retried', async () => {
			const session = setup.session({}, {});
			expect((await failure(session.listFields(APP_TOKEN, 'tblMissing0000001'))).code).toBe(1254041);
			expect((await failure(session.searchPage(APP_TOKEN, tableId, {}, 9999))).code).toBe(1254011);
			expect(await calls('bitable.fields.list')).toBe(1);
			expect(await calls('bitable.records.search')).toBe(1);
		});
	});

	describe('retries', () => {
		it('retries transient failures with backoff and succeeds', async () => {
			const clock = new FakeClock();
			const session = setup.session(fast, { clock, registry: new FeishuRegistry(clock) });
			await setup.emu.admin.setFaultPlan({
				seed: 1,
				kinds: ['1254290', '5xx', 'drop'],
				endpoints: ['bitable.tables.list'],
				onCalls: [1, 2, 3],
			});
			await expect(session.listTables(APP_TOKEN)).resolves.toHaveLength(1);
			expect(session.calls).toBe(4);
			expect(session.caller.retries).toBe(3);
		});

		it('gives up after the configured attempts with a clear error', async () => {
			const clock = new FakeClock();
			const session = setup.session(fast, { clock, registry: new FeishuRegistry(clock) });
			await setup.emu.admin.setFaultPlan({ seed: 1, rate: 1, kinds: ['1254291'], endpoints: ['bitable.tables.list'] });
			const error = await failure(session.listTables(APP_TOKEN));
			expect(error.code).toBe(1254291);
			expect(error.message).toMatch(/gave up after 4 attempts/);
			expect(error.hint).toMatch(/try again later/);
			expect(await calls('bitable.tables.list')).toBe(4);
		});

		it('waits at least the gateway reset on 429, then succeeds', async () => {
			const clock = new FakeClock();
			const registry = new FeishuRegistry(clock);
			const session = setup.session(fast, { clock, registry });
			await setup.emu.admin.setRateLimits({ perEndpoint: { 'bitable.tables.list': 1 } });
			try {
				// The emulator's own clock is real: the second call within a second is refused with reset 1 s.
				const results = await Promise.allSettled([session.listTables(APP_TOKEN), session.listTables(APP_TOKEN)]);
				const refused = (await setup.emu.admin.counters()).rateLimited;
				expect(refused).toBeGreaterThan(0);
				expect(clock.sleeps.some((ms) => ms >= 1000)).toBe(true);
				expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
			} finally {
				await setup.emu.admin.setRateLimits('off');
			}
		});

		it('a retried batch delete whose first attempt was applied counts as done', async () => {
			const session = setup.session(fast);
			const records = await session.batchCreateRecords(
				APP_TOKEN,
				tableId,
				[1, 2, 3].map((n) => ({ fields: { Key: `del${n}` } })),
			);
			await setup.emu.admin.setFaultPlan({
				seed: 2,
				kinds: ['applied_then_drop'],
				endpoints: ['bitable.records.batch_delete'],
				onCalls: [1],
			});
			await expect(
				session.batchDeleteRecords(
					APP_TOKEN,
					tableId,
					records.map((r) => r.record_id),
				),
			).resolves.toEqual({ deleted: 3 });
			const left = (await setup.emu.admin.dumpTable(APP_TOKEN, tableId)).records.filter((r) =>
				String(r.plain.Key).startsWith('del'),
			);
			expect(left).toEqual([]);
		});

		it('a create answered after the timeout is retried with the same client_token and stored once', async () => {
			const session = setup.session({ ...fast, timeoutMs: 150 });
			await setup.emu.admin.setFaultPlan({
				seed: 3,
				kinds: ['applied_then_slow'],
				endpoints: ['bitable.records.create'],
				onCalls: [1],
				slowMs: 400,
			});
			const record = await session.createRecord(APP_TOKEN, tableId, { Key: 'slow-one' });
			const stored = (await setup.emu.admin.dumpTable(APP_TOKEN, tableId)).records.filter(
				(r) => r.plain.Key === 'slow-one',
			);
			expect(stored.map((r) => r.record_id)).toEqual([record.record_id]);
			expect((await setup.emu.admin.counters()).idempotentReplays).toBe(1);
		});

		it('reads every page even when a page fails on the way (never a shortened list)', async () => {
			const session = setup.session(fast);
			const keys = Array.from({ length: 7 }, (_, n) => `page${n}`);
			await session.batchCreateRecords(
				APP_TOKEN,
				tableId,
				keys.map((Key) => ({ fields: { Key } })),
			);
			await setup.emu.admin.setFaultPlan({
				seed: 4,
				kinds: ['drop', '1254607'],
				endpoints: ['bitable.records.search'],
				onCalls: [2, 4],
			});
			const read = await session.searchRecords(
				APP_TOKEN,
				tableId,
				{ filter: { conjunction: 'and', conditions: [{ field_name: 'Key', operator: 'contains', value: ['page'] }] } },
				{ pageSize: 2 },
			);
			expect(read).toHaveLength(7);
			expect(await calls('bitable.records.search')).toBe(6);
		});
	});

	describe('circuit breaker', () => {
		it('fails fast while Feishu is down, says until when, and closes after a successful trial', async () => {
			const clock = new FakeClock();
			const session = setup.session(
				{
					...fast,
					retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
					breaker: { failureThreshold: 2, cooldownMs: 30_000 },
				},
				{ clock, registry: new FeishuRegistry(clock) },
			);
			await setup.emu.admin.setFaultPlan({ seed: 5, rate: 1, kinds: ['5xx'], endpoints: ['bitable.tables.list'] });
			await failure(session.listTables(APP_TOKEN));
			await failure(session.listTables(APP_TOKEN));
			const open = await failure(session.listTables(APP_TOKEN));
			expect(open).toBeInstanceOf(CircuitOpenError);
			expect(open.message).toMatch(/Feishu \(app cli_transport_app\) is unavailable/);
			expect(open.message).toContain(new Date(clock.now() + 30_000).toISOString());
			expect(await calls('bitable.tables.list')).toBe(4);
			await setup.emu.admin.clearFaultPlan();
			clock.t += 30_000; // the cooldown passes: one trial call goes through and closes the circuit
			await expect(session.listTables(APP_TOKEN)).resolves.toHaveLength(1);
			await expect(session.listFields(APP_TOKEN, tableId)).resolves.toHaveLength(3);
		});
	});

	describe('write serialisation', () => {
		it('sends one write at a time per base, while reads run in parallel', async () => {
			const original = globalThis.fetch;
			const inFlight = { writes: 0, maxWrites: 0, reads: 0, maxReads: 0 };
			globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
				const url = String(input);
				const kind = /batch_create|records\?|batch_update/.test(url)
					? 'writes'
					: /search/.test(url)
						? 'reads'
						: undefined;
				if (kind === 'writes') inFlight.maxWrites = Math.max(inFlight.maxWrites, ++inFlight.writes);
				if (kind === 'reads') inFlight.maxReads = Math.max(inFlight.maxReads, ++inFlight.reads);
				try {
					return await original(input, init);
				} finally {
					if (kind) inFlight[kind]--;
				}
			}) as typeof fetch;
			try {
				const registry = new FeishuRegistry(new FakeClock());
				const sessions: FeishuSession[] = [0, 1, 2].map(() => feishuSession(setup.config, { registry }));
				await sessions[0].listTables(APP_TOKEN);
				await Promise.all([
					...sessions.map((s, i) => s.batchCreateRecords(APP_TOKEN, tableId, [{ fields: { Key: `par${i}` } }])),
					...sessions.map((s, i) => s.createRecord(APP_TOKEN, tableId, { Key: `one${i}` })),
					...sessions.map((s) => s.searchPage(APP_TOKEN, tableId, {}, 10)),
				]);
			} finally {
				globalThis.fetch = original;
			}
			expect(inFlight.maxWrites).toBe(1);
			expect(inFlight.maxReads).toBeGreaterThan(1);
		});
	});

	describe('links, users and files', () => {
		it('resolves base links, wiki links and raw tokens', async () => {
			await setup.emu.admin.addWikiNode({
				nodeToken: 'wikcnBaseNode0001',
				objType: 'bitable',
				objToken: APP_TOKEN,
				title: 'Tasks',
			});
			await setup.emu.admin.addWikiNode({
				nodeToken: 'wikcnDocNode00001',
				objType: 'docx',
				objToken: 'doxcnX',
				title: 'Notes',
			});
			const session = setup.session();
			await expect(
				session.resolveBitable(`https://acme.feishu.cn/wiki/wikcnBaseNode0001?table=${tableId}`),
			).resolves.toEqual({
				appToken: APP_TOKEN,
				tableId,
				viewId: undefined,
			});
			await expect(
				session.resolveBitable(`https://acme.sg.larksuite.com/base/${APP_TOKEN}?table=${tableId}&view=vewAbc1234`),
			).resolves.toEqual({
				appToken: APP_TOKEN,
				tableId,
				viewId: 'vewAbc1234',
			});
			const notBase = await failure(session.resolveBitable('https://acme.feishu.cn/wiki/wikcnDocNode00001'));
			expect(notBase).toBeInstanceOf(FeishuInputError);
			expect(notBase.message).toContain('"Notes" is a docx, not a Bitable base');
			expect((await failure(session.resolveBitable('https://acme.feishu.cn/wiki/wikcnUnknown00001'))).code).toBe(
				131005,
			);
		});

		it('looks up user ids by email and mobile, null for unknown people', async () => {
			await setup.emu.admin.addUser({
				open_id: 'ou_bob',
				name: 'Bob',
				email: 'bob@example.com',
				mobile: '+8613900000002',
			});
			const ids = await setup
				.session()
				.batchGetUserIds({ emails: ['Bob@example.com', 'nobody@example.com'], mobiles: ['13900000002'] });
			expect(ids).toEqual({
				emails: { 'Bob@example.com': 'ou_bob', 'nobody@example.com': null },
				mobiles: { '13900000002': 'ou_bob' },
			});
		});

		it('uploads a file for an attachment field', async () => {
			const content = Buffer.from('a small PNG stand-in');
			const { fileToken } = await setup
				.session()
				.uploadMedia({ appToken: APP_TOKEN, fileName: 'pic.png', content, parentType: 'bitable_image' });
			const upload = (await setup.emu.admin.uploads()).find((u) => u.file_token === fileToken);
			expect(upload).toMatchObject({
				name: 'pic.png',
				size: content.length,
				parent_type: 'bitable_image',
				parent_node: APP_TOKEN,
				sha256: createHash('sha256').update(content).digest('hex'),
			});
		});
	});

	it('keeps secrets and tokens out of its log lines', async () => {
		const logs: string[] = [];
		const session = feishuSession(
			{ ...setup.config, ...fast, timeoutMs: 100 },
			{ registry: new FeishuRegistry(new FakeClock()), log: (level, line) => logs.push(`${level} ${line}`) },
		);
		await setup.emu.admin.setFaultPlan({
			seed: 6,
			rate: 1,
			kinds: ['drop', '5xx'],
			endpoints: ['bitable.tables.list'],
		});
		await failure(session.listTables(APP_TOKEN));
		expect(logs.length).toBeGreaterThan(0);
		for (const line of logs) {
			expect(line).not.toContain(APP.appSecret);
			expect(line).not.toMatch(/t-[A-Za-z0-9]{8,}/);
			expect(line.length).toBeLessThan(400);
		}
	});
});
