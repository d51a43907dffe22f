/** Custom group bot webhooks: signature, keyword, size and throttle checks, and the messages received. */
import { createHmac } from 'crypto';
import { RawReply, route } from './http/route';
import type { Bot, State } from './state';

export const MAX_BOT_BODY = 20 * 1024;
const MSG_TYPES = ['text', 'post', 'image', 'share_chat', 'interactive'];
const SKEW_S = 3600;
const PER_SECOND = 5;
const PER_MINUTE = 100;

/** base64(HMAC_SHA256(key = timestamp + "\n" + secret, message = "")). */
export function botSign(timestamp: string, secret: string): string {
	return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

const fail = (code: number, msg: string, status = 200): RawReply => new RawReply(status, { code, msg, data: {} });

const SUCCESS = { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' };

function strings(v: unknown, out: string[] = []): string[] {
	if (typeof v === 'string') out.push(v);
	else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
	else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
	return out;
}

function throttled(bot: Bot, now: number): boolean {
	while (bot.sent.length && bot.sent[0] <= now - 60_000) bot.sent.shift();
	const lastSecond = bot.sent.filter((t) => t > now - 1000).length;
	return lastSecond >= PER_SECOND || bot.sent.length >= PER_MINUTE;
}

function badContent(body: Record<string, unknown>): boolean {
	const content = body.content as Record<string, unknown> | undefined;
	switch (body.msg_type) {
		case 'text':
			return typeof content?.text !== 'string';
		case 'post':
			return !content?.post || typeof content.post !== 'object';
		case 'interactive':
			return !body.card || typeof body.card !== 'object';
		default:
			return !content || typeof content !== 'object';
	}
}

export function handleBot(state: State, token: string, raw: Buffer): RawReply {
	const bot = state.bots.get(token);
	if (!bot) return fail(19001, 'param invalid: incoming webhook access token invalid');
	if (raw.length > MAX_BOT_BODY) return fail(9499, 'Bad Request: body exceeds 20 KB', 400);
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(raw.toString('utf8'));
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
	} catch {
		return fail(9499, 'Bad Request', 400);
	}
	const now = state.now();
	if (bot.secret) {
		const ts = String(body.timestamp ?? '');
		const sign = typeof body.sign === 'string' ? body.sign : '';
		const skewOk = /^\d+$/.test(ts) && Math.abs(Number(ts) - now / 1000) <= SKEW_S;
		if (!skewOk || sign !== botSign(ts, bot.secret)) {
			return fail(19021, 'sign match fail or timestamp is not within one hour from current time');
		}
	}
	if (throttled(bot, now)) return fail(11232, 'frequency limited');
	if (typeof body.msg_type !== 'string' || !MSG_TYPES.includes(body.msg_type))
		return fail(10208, 'msg_type is invalid');
	if (badContent(body)) return fail(9499, 'Bad Request: content does not match msg_type', 400);
	if (bot.keyword) {
		const { timestamp: _t, sign: _s, ...message } = body;
		if (!strings(message).some((s) => s.includes(bot.keyword as string))) {
			return fail(19024, 'Key Words Not Found');
		}
	}
	bot.sent.push(now);
	bot.messages.push({ at: now, body });
	return new RawReply(200, SUCCESS);
}

// read raw: the 20 KB rule applies to the bytes
export const botRoute = route(
	'POST',
	'/open-apis/bot/v2/hook/:token',
	'bot.send',
	'none',
	(ctx) => {
		return handleBot(ctx.state, ctx.params.token, ctx.raw);
	},
	{ auth: false },
);
