import { botSign, startFeishuEmulator, type FeishuEmulator } from './index';

let emu: FeishuEmulator;
let clockMs: number;
const TS = 1756800000;

beforeEach(async () => {
	clockMs = TS * 1000;
	emu = await startFeishuEmulator({ now: () => clockMs });
	await emu.admin.createBot({ token: 'plain' });
	await emu.admin.createBot({ token: 'signed', secret: 'orbit-test-secret' });
	await emu.admin.createBot({ token: 'keyword', keyword: 'ALERT' });
});
afterEach(() => emu.close());

async function post(token: string, payload: unknown) {
	const res = await fetch(`${emu.baseUrl}/open-apis/bot/v2/hook/${token}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof payload === 'string' ? payload : JSON.stringify(payload),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const text = (t: string) => ({ msg_type: 'text', content: { text: t } });

it('signs as the spec test vector says', () => {
	expect(botSign('1756800000', 'orbit-test-secret')).toBe('sN+9ZKa5w6BQmKyxCaxNA1DWEgtEnZaOcfEOCqZ26fg=');
});

it('accepts text, post and card messages with the documented success shape, and records them', async () => {
	const ok = await post('plain', text('hello'));
	expect(ok).toEqual({
		status: 200,
		json: { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' },
	});
	clockMs += 1000;
	const postMsg = {
		msg_type: 'post',
		content: { post: { zh_cn: { title: 'T', content: [[{ tag: 'text', text: 'x' }]] } } },
	};
	expect((await post('plain', postMsg)).json.code).toBe(0);
	expect((await post('plain', { msg_type: 'interactive', card: { elements: [] } })).json.code).toBe(0);
	const got = await emu.admin.botMessages('plain');
	expect(got.map((m) => m.body.msg_type)).toEqual(['text', 'post', 'interactive']);
	expect(got[0]).toEqual({ at: TS * 1000, body: text('hello') });
});

it('checks the signature and a +-1 h timestamp window (19021)', async () => {
	const signed = (ts: number, sign = botSign(String(ts), 'orbit-test-secret')) =>
		post('signed', { timestamp: String(ts), sign, ...text('hi') });
	expect((await signed(TS)).json.code).toBe(0);
	expect((await post('signed', text('unsigned'))).json.code).toBe(19021);
	expect((await signed(TS, botSign(String(TS), 'other-secret'))).json.code).toBe(19021);
	expect((await signed(TS - 3600)).json.code).toBe(0);
	expect((await signed(TS - 3601)).json.code).toBe(19021);
	expect((await signed(TS + 3601)).json.code).toBe(19021);
	expect(await emu.admin.botMessages('signed')).toHaveLength(2);
});

it('requires the keyword somewhere in the message (19024)', async () => {
	expect((await post('keyword', text('all good'))).json.code).toBe(19024);
	expect((await post('keyword', text('ALERT: sync failed'))).json.code).toBe(0);
	clockMs += 1000;
	const card = { msg_type: 'interactive', card: { header: { title: { tag: 'plain_text', content: 'ALERT' } } } };
	expect((await post('keyword', card)).json.code).toBe(0);
});

it('refuses bodies over 20 KB and unparsable bodies with 9499, unknown msg_type with 10208', async () => {
	expect((await post('plain', text('x'.repeat(20 * 1024)))).json.code).toBe(9499);
	expect((await post('plain', text('x'.repeat(19 * 1024)))).json.code).toBe(0);
	expect((await post('plain', '{not json')).json.code).toBe(9499);
	expect((await post('plain', { msg_type: 'sms', content: { text: 'x' } })).json.code).toBe(10208);
	expect((await post('plain', { msg_type: 'text', content: {} })).json.code).toBe(9499);
	expect((await post('nobody', text('x'))).json.code).toBe(19001);
});

it('throttles at 5 messages per second and 100 per minute (11232)', async () => {
	const codes: number[] = [];
	for (let i = 0; i < 6; i++) codes.push((await post('plain', text(`m${i}`))).json.code as number);
	expect(codes).toEqual([0, 0, 0, 0, 0, 11232]);
	let sent = 5;
	while (sent < 100) {
		clockMs += 1000;
		for (let i = 0; i < 5 && sent < 100; i++, sent++) expect((await post('plain', text('m'))).json.code).toBe(0);
	}
	clockMs += 1000;
	expect((await post('plain', text('over'))).json.code).toBe(11232);
	clockMs += 60_000;
	expect((await post('plain', text('later'))).json.code).toBe(0);
	expect(await emu.admin.botMessages('plain')).toHaveLength(101);
});
