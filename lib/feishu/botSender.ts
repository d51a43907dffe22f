/**
 * Sends custom bot messages: signs when a secret is set, adds the keyword, keeps within the bot's
 * 5 messages/s and 100/min (a process-level limiter per webhook) and, when Feishu still answers
 * 11232 (throttled), waits and tries again. Errors explain 19021 (signature) and 19024 (keyword).
 */
import { createHash } from 'crypto';
import type { CoordinationStore } from '../coordination';
import { RateLimiter, systemClock, withRetry, type Clock } from '../resilience';
import { buildBotBody, signBot, type BotMessage } from './botMessage';
import { FeishuApiError, FeishuInputError, FeishuNetworkError } from './errors';
import { WINDOW_SLACK_MS } from './endpoints';

export interface BotWebhookConfig {
	webhookUrl: string;
	secret?: string;
	keyword?: string;
}

export interface BotSendOptions {
	clock?: Clock;
	random?: () => number;
	timeoutMs?: number;
	maxAttempts?: number;
	/** Where the per-webhook limiters live; default one map per process. */
	limiters?: Map<string, RateLimiter>;
	/** A shared coordination store (Redis): the bot's limits then hold across queue-mode workers. */
	coordination?: CoordinationStore;
}

export interface BotResponse {
	code: number;
	msg: string;
	StatusCode?: number;
	StatusMessage?: string;
	data?: unknown;
	/** Attempts it took (more than 1 when Feishu throttled the bot). */
	attempts: number;
}

export const BOT_THROTTLED = 11232;
export const BOT_SIGNATURE_REFUSED = 19021;
export const BOT_KEYWORD_MISSING = 19024;
const MAX_BODY_BYTES = 20 * 1024;

const processLimiters = new Map<string, RateLimiter>();
/** 5 per second and 100 per minute per bot. */
const BOT_WINDOWS = [
	{ limit: 5, windowMs: 1000 + WINDOW_SLACK_MS },
	{ limit: 100, windowMs: 60_000 + WINDOW_SLACK_MS },
];

function limiterFor(map: Map<string, RateLimiter>, webhookUrl: string, clock: Clock): RateLimiter {
	let limiter = map.get(webhookUrl);
	if (!limiter) {
		limiter = new RateLimiter(BOT_WINDOWS, clock);
		map.set(webhookUrl, limiter);
	}
	return limiter;
}

export function validateWebhookUrl(webhookUrl: string): URL {
	let url: URL;
	try {
		url = new URL(webhookUrl.trim());
	} catch {
		throw new FeishuInputError(
			'The bot webhook URL is not a valid URL',
			'Copy it from the group: Settings -> Bots -> your custom bot -> Webhook URL.',
		);
	}
	if (!/^https?:$/.test(url.protocol) || !/\/bot\/v2\/hook\/[^/]+$/.test(url.pathname)) {
		throw new FeishuInputError(
			'The bot webhook URL is not a Feishu custom bot webhook (…/open-apis/bot/v2/hook/<token>)',
			'Copy it from the group: Settings -> Bots -> your custom bot -> Webhook URL.',
		);
	}
	return url;
}

function hintForBot(code: number | undefined, config: BotWebhookConfig): string | undefined {
	switch (code) {
		case BOT_SIGNATURE_REFUSED:
			return config.secret
				? "Feishu refused the signature: either the secret in the credential is not the bot's signing secret (group -> Settings -> Bots -> the bot -> Security settings), or this machine's clock is more than an hour off (check the system time / NTP)."
				: "The bot has signature verification on but the credential has no secret: copy the signing secret from the bot's Security settings into the credential.";
		case BOT_KEYWORD_MISSING:
			return config.keyword
				? `The message lacks the bot's keyword: the credential's keyword "${config.keyword}" does not match a custom keyword of the bot's Security settings exactly.`
				: "The bot only accepts messages containing one of its custom keywords: put that keyword in the credential's Keyword field (it is added to messages that lack it).";
		case BOT_THROTTLED:
			return 'The bot is throttled (Feishu allows 5 messages per second and 100 per minute per bot): send fewer messages, or batch them into one.';
		case 19001:
			return 'The webhook token is not valid: the bot may have been removed; copy the webhook URL again.';
		case 9499:
			return 'Feishu could not read the message: check the card JSON (and that the body stays under 20 KB).';
		case 10208:
			return 'The message type is not accepted by custom bots.';
		default:
			return undefined;
	}
}

async function postOnce(url: string, body: string, timeoutMs: number): Promise<Record<string, unknown>> {
	let response: Response;
	let text: string;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			body,
			signal: AbortSignal.timeout(timeoutMs),
		});
		text = await response.text();
	} catch (error) {
		const name = (error as Error).name;
		throw new FeishuNetworkError('bot.send', name === 'TimeoutError' ? 'timeout' : 'network', (error as Error).message);
	}
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// a gateway page: judged by the status below
	}
	const code =
		typeof json.code === 'number' ? json.code : typeof json.StatusCode === 'number' ? json.StatusCode : undefined;
	if (!response.ok || (code !== undefined && code !== 0)) {
		const msg =
			typeof json.msg === 'string'
				? json.msg
				: typeof json.StatusMessage === 'string'
					? json.StatusMessage
					: response.statusText;
		throw new FeishuApiError(code, msg || 'no message', 'bot.send', response.status);
	}
	return json;
}

export async function sendBotMessage(
	config: BotWebhookConfig,
	message: BotMessage,
	options: BotSendOptions = {},
): Promise<BotResponse> {
	const clock = options.clock ?? systemClock;
	const url = validateWebhookUrl(config.webhookUrl).toString();
	const base = buildBotBody(message, config.keyword || undefined);
	const limiter = options.coordination?.shared
		? options.coordination.limiter(
				`feishu-bot:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`,
				BOT_WINDOWS,
			)
		: limiterFor(options.limiters ?? processLimiters, url, clock);
	let attempts = 0;
	try {
		const json = await withRetry(
			async () => {
				await limiter.acquire();
				attempts++;
				// Signed at each attempt: the timestamp must be current.
				const signed = config.secret ? { ...signBot(config.secret, Math.floor(clock.now() / 1000)), ...base } : base;
				const body = JSON.stringify(signed);
				if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
					throw new FeishuInputError(
						`The message is ${Buffer.byteLength(body)} bytes; Feishu bots accept at most 20 KB`,
					);
				}
				return postOnce(url, body, options.timeoutMs ?? 15_000);
			},
			{
				maxAttempts: options.maxAttempts ?? 6,
				baseDelayMs: 1000,
				maxDelayMs: 20_000,
				clock,
				random: options.random,
				classify: (error) => {
					if (error instanceof FeishuApiError && (error.code === BOT_THROTTLED || error.httpStatus === 429)) {
						return { retry: true, minDelayMs: 1000 };
					}
					// 5xx and refused connections were not delivered; a timeout might have been, so it is not retried.
					if (error instanceof FeishuApiError && (error.httpStatus ?? 0) >= 500) return { retry: true };
					if (error instanceof FeishuNetworkError && error.failure === 'network') return { retry: true };
					return { retry: false };
				},
			},
		);
		return { ...(json as Omit<BotResponse, 'attempts'>), attempts };
	} catch (raw) {
		const error = (raw as { lastError?: unknown }).lastError ?? raw;
		if (error instanceof FeishuApiError) {
			error.hint = hintForBot(error.code, config) ?? error.hint;
			error.attempts = attempts;
			if (attempts > 1) error.message = `${error.message} (gave up after ${attempts} attempts)`;
		}
		throw error;
	}
}
