/** The bot sender's limits over virtual time: the emulator and the sender share one fake clock. */
import { sendBotMessage } from '../../../lib/feishu/botSender';
import { FeishuApiError, FeishuInputError } from '../../../lib/feishu';
import type { RateLimiter } from '../../../lib/resilience';
import { startFeishuEmulator, type FeishuEmulator } from '../../emulators/feishu';
import { FakeClock } from '../resilience/fakeClock';

describe('sendBotMessage', () => {
	let emu: FeishuEmulator;
	const clock = new FakeClock(Date.now());
	beforeAll(async () => {
		emu = await startFeishuEmulator({ seed: 9, now: () => clock.now() });
	});
	afterAll(() => emu.close());

	it('keeps within 100 messages a minute, so 105 messages all arrive without being throttled', async () => {
		const { webhookUrl } = await emu.admin.createBot({ token: 'minute-bot', secret: 's3cret' });
		const startedAt = clock.now();
		const limiters = new Map<string, RateLimiter>();
		const responses = [];
		for (let i = 0; i < 105; i++) {
			responses.push(
				await sendBotMessage({ webhookUrl, secret: 's3cret' }, { kind: 'text', text: `m${i}` }, { clock, limiters }),
			);
		}
		expect(responses.every((r) => r.code === 0 && r.attempts === 1)).toBe(true);
		expect(await emu.admin.botMessages('minute-bot')).toHaveLength(105);
		expect(clock.now() - startedAt).toBeGreaterThanOrEqual(60_000);
	});

	it('gives up on a bot that stays throttled, saying so', async () => {
		const { webhookUrl } = await emu.admin.createBot({ token: 'busy-bot' });
		for (let i = 0; i < 5; i++)
			await sendBotMessage({ webhookUrl }, { kind: 'text', text: `x${i}` }, { clock, limiters: new Map() });
		// Without our limiter's memory and with time standing still, Feishu keeps refusing.
		const frozen = { now: () => clock.now(), sleep: async () => undefined };
		const error = await sendBotMessage(
			{ webhookUrl },
			{ kind: 'text', text: 'late' },
			{ clock: frozen, limiters: new Map(), maxAttempts: 3 },
		).catch((e) => e);
		expect(error).toBeInstanceOf(FeishuApiError);
		expect(error.code).toBe(11232);
		expect(error.message).toMatch(/gave up after 3 attempts/);
		expect(error.hint).toMatch(/5 messages per second and 100 per minute/);
	});

	it('refuses bodies over 20 KB before sending', async () => {
		const { webhookUrl } = await emu.admin.createBot({ token: 'big-bot' });
		const error = await sendBotMessage(
			{ webhookUrl },
			{ kind: 'text', text: 'x'.repeat(21 * 1024) },
			{ clock, limiters: new Map() },
		).catch((e) => e);
		expect(error).toBeInstanceOf(FeishuInputError);
		expect(await emu.admin.botMessages('big-bot')).toEqual([]);
	});
});
