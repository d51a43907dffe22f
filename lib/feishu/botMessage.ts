/**
 * Custom group bot messages: the request bodies Feishu expects, the signature, and the keyword a
 * bot with a keyword check requires (added when the message lacks it).
 */
import { createHmac } from 'crypto';

export type BotMessage =
	| { kind: 'text'; text: string }
	/** Rich post: a title and lines of plain text (or prepared post elements per line). */
	| { kind: 'post'; title: string; lines: Array<string | Array<Record<string, unknown>>>; locale?: string }
	/** Interactive card JSON, sent as is at the top level. */
	| { kind: 'card'; card: Record<string, unknown> };

/** `sign = base64(HMAC_SHA256(key = timestamp + "\n" + secret, message = ""))`, timestamp in seconds. */
export function signBot(secret: string, timestampSeconds: number | string): { timestamp: string; sign: string } {
	const timestamp = String(timestampSeconds);
	return { timestamp, sign: createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64') };
}

function allStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
	return out;
}

export function containsKeyword(body: unknown, keyword: string): boolean {
	return allStrings(body).some((s) => s.includes(keyword));
}

function postContent(lines: Array<string | Array<Record<string, unknown>>>): Array<Array<Record<string, unknown>>> {
	return lines.map((line) => (typeof line === 'string' ? [{ tag: 'text', text: line }] : line));
}

/** The parts of a card that cardWithKeyword reads; the rest is copied as it is. */
interface CardParts {
	header?: { title?: { content?: unknown } };
	body?: { elements?: unknown };
	elements?: unknown;
	[key: string]: unknown;
}

/** Puts the keyword into a card: in the header title when there is one, else as a first line. */
function cardWithKeyword(card: Record<string, unknown>, keyword: string): Record<string, unknown> {
	const copy = structuredClone(card) as CardParts;
	const title = copy.header?.title;
	if (title && typeof title.content === 'string') {
		title.content = `${keyword} ${title.content}`;
		return copy;
	}
	const line = { tag: 'div', text: { tag: 'plain_text', content: keyword } };
	const holder = copy.body && Array.isArray(copy.body.elements) ? copy.body : copy;
	holder.elements = [line, ...(Array.isArray(holder.elements) ? holder.elements : [])];
	return copy;
}

/** The JSON body for a message (without signature), with the keyword added when required and missing. */
export function buildBotBody(message: BotMessage, keyword?: string): Record<string, unknown> {
	const needs = (body: Record<string, unknown>) => !!keyword && !containsKeyword(body, keyword);
	switch (message.kind) {
		case 'text': {
			const body = { msg_type: 'text', content: { text: message.text } };
			return needs(body) ? { msg_type: 'text', content: { text: `${keyword} ${message.text}` } } : body;
		}
		case 'post': {
			const make = (title: string) => ({
				msg_type: 'post',
				content: { post: { [message.locale ?? 'zh_cn']: { title, content: postContent(message.lines) } } },
			});
			const body = make(message.title);
			return needs(body) ? make(message.title ? `${keyword} ${message.title}` : keyword!) : body;
		}
		case 'card': {
			const body = { msg_type: 'interactive', card: message.card };
			return needs(body) ? { msg_type: 'interactive', card: cardWithKeyword(message.card, keyword!) } : body;
		}
	}
}
