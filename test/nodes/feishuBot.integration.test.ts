/** The Feishu Bot node through the workflow harness against the emulator's custom bot webhooks. */
import { createHmac } from 'crypto';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { botSign, startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu';
import { HarnessNodeTypes, MANUAL_TRIGGER, runWorkflow, type HarnessNode } from '../harness';

const nodeTypes = new HarnessNodeTypes();
const botType = nodeTypes.register(FeishuBot);

describe('Feishu Bot node', () => {
	let emu: FeishuEmulator;
	let n = 0;
	beforeAll(async () => {
		emu = await startFeishuEmulator({ seed: 5 });
	});
	afterAll(() => emu.close());

	/** A fresh bot per test, so throttling windows do not leak between tests. */
	async function bot(settings: { secret?: string; keyword?: string } = {}) {
		const token = `bot-${++n}-${Date.now()}`;
		const { webhookUrl } = await emu.admin.createBot({ token, ...settings });
		return { token, webhookUrl, messages: () => emu.admin.botMessages(token) };
	}

	async function send(
		credential: { webhookUrl: string; secret?: string; keyword?: string },
		parameters: Record<string, unknown>,
		options: { items?: number; onError?: HarnessNode['onError'] } = {},
	) {
		const items = options.items ?? 1;
		return runWorkflow(
			nodeTypes,
			{
				nodes: [
					MANUAL_TRIGGER,
					{ name: 'Bot', type: botType, parameters, credentials: ['feishuBotWebhookApi'], onError: options.onError },
				],
				connections: [['Start', 'Bot']],
			},
			{
				credentials: { feishuBotWebhookApi: { secret: '', keyword: '', ...credential } },
				pinData: items > 1 ? { Start: Array.from({ length: items }, (_, i) => ({ i })) } : undefined,
			},
		);
	}

	it('signs messages as the spec says when the credential has a secret', async () => {
		// The spec's test vector, as our emulator checks it.
		expect(botSign('1756800000', 'orbit-test-secret')).toBe('sN+9ZKa5w6BQmKyxCaxNA1DWEgtEnZaOcfEOCqZ26fg=');
		const b = await bot({ secret: 'group-secret' });
		const result = await send(
			{ webhookUrl: b.webhookUrl, secret: 'group-secret' },
			{ operation: 'sendText', text: 'build passed' },
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Bot')).toEqual([
			expect.objectContaining({ code: 0, StatusCode: 0, msg: 'success', msgType: 'text', attempts: 1 }),
		]);
		expect(result.outputs.Bot[0][0].pairedItem).toEqual({ item: 0 });
		const [message] = await b.messages();
		const { timestamp, sign } = message.body as { timestamp: string; sign: string };
		expect(timestamp).toMatch(/^\d{10}$/);
		expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
		expect(sign).toBe(createHmac('sha256', `${timestamp}\ngroup-secret`).update('').digest('base64'));
		expect(message.body).toMatchObject({ msg_type: 'text', content: { text: 'build passed' } });
	});

	it('sends rich posts and cards', async () => {
		const b = await bot();
		await send(
			{ webhookUrl: b.webhookUrl },
			{ operation: 'sendPost', title: 'Nightly sync', lines: 'created 3\nupdated 5\n', language: 'en_us' },
		);
		const card = {
			header: { title: { tag: 'plain_text', content: 'Done' } },
			elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**ok**' } }],
		};
		await send(
			{ webhookUrl: b.webhookUrl },
			{ operation: 'sendCard', card: JSON.stringify({ msg_type: 'interactive', card }) },
		);
		const bodies = (await b.messages()).map((m) => m.body);
		expect(bodies).toEqual([
			{
				msg_type: 'post',
				content: {
					post: {
						en_us: {
							title: 'Nightly sync',
							content: [[{ tag: 'text', text: 'created 3' }], [{ tag: 'text', text: 'updated 5' }]],
						},
					},
				},
			},
			{ msg_type: 'interactive', card },
		]);
	});

	it('explains a wrong secret (19021), and with Continue On Fail outputs the error per item', async () => {
		const b = await bot({ secret: 'right-secret' });
		const failed = await send(
			{ webhookUrl: b.webhookUrl, secret: 'wrong-secret' },
			{ operation: 'sendText', text: 'hi' },
		);
		expect(failed.error?.message).toContain('19021');
		expect((failed.error as { description?: string }).description).toMatch(/clock is more than an hour off/);
		expect((failed.error as { description?: string }).description).not.toContain('wrong-secret');
		const continued = await send(
			{ webhookUrl: b.webhookUrl, secret: 'wrong-secret' },
			{ operation: 'sendText', text: 'hi' },
			{ onError: 'continueRegularOutput' },
		);
		expect(continued.error).toBeUndefined();
		expect(continued.json('Bot')).toEqual([
			expect.objectContaining({ code: 19021, error: expect.stringContaining('sign match fail') }),
		]);
		expect(continued.outputs.Bot[0][0].pairedItem).toEqual({ item: 0 });
		expect(await b.messages()).toEqual([]);
	});

	it("adds the credential's keyword when missing, and explains a missing keyword (19024)", async () => {
		const b = await bot({ keyword: 'ALERT' });
		await send({ webhookUrl: b.webhookUrl, keyword: 'ALERT' }, { operation: 'sendText', text: 'disk almost full' });
		await send({ webhookUrl: b.webhookUrl, keyword: 'ALERT' }, { operation: 'sendText', text: 'ALERT: second' });
		expect((await b.messages()).map((m) => (m.body.content as { text: string }).text)).toEqual([
			'ALERT disk almost full',
			'ALERT: second',
		]);
		const failed = await send({ webhookUrl: b.webhookUrl }, { operation: 'sendText', text: 'no keyword here' });
		expect(failed.error?.message).toContain('19024');
		expect((failed.error as { description?: string }).description).toMatch(/Keyword field/);
	});

	it('waits and retries when Feishu throttles the bot (11232), and paces its own items within 5/s', async () => {
		const b = await bot();
		// Someone else used up this second's 5 messages.
		for (let i = 0; i < 5; i++) {
			await fetch(b.webhookUrl, {
				method: 'POST',
				body: JSON.stringify({ msg_type: 'text', content: { text: `other ${i}` } }),
			});
		}
		const started = Date.now();
		const result = await send(
			{ webhookUrl: b.webhookUrl },
			{ operation: 'sendText', text: '={{ "item " + $json.i }}' },
			{ items: 7 },
		);
		expect(result.error).toBeUndefined();
		const out = result.json('Bot');
		expect(out).toHaveLength(7);
		expect(out.every((o) => o.code === 0)).toBe(true);
		expect(out[0].attempts).toBeGreaterThan(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		const texts = (await b.messages()).map((m) => (m.body.content as { text: string }).text);
		expect(texts.slice(5)).toEqual(Array.from({ length: 7 }, (_, i) => `item ${i}`));
	});

	it('rejects a URL that is not a bot webhook and invalid card JSON before sending', async () => {
		const bad = await send({ webhookUrl: 'https://example.com/hook' }, { operation: 'sendText', text: 'x' });
		expect(bad.error?.message).toMatch(/not a Feishu custom bot webhook/);
		const b = await bot();
		const card = await send({ webhookUrl: b.webhookUrl }, { operation: 'sendCard', card: '{ not json' });
		expect(card.error?.message).toMatch(/Card JSON is not valid JSON/);
		expect(await b.messages()).toEqual([]);
	});
});
