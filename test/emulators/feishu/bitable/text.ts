/**
 * Text cells read back as rich-text segments. Real Feishu splits on mentions, links and formatting; the emulator
 * splits on URLs, after every newline and every SEGMENT_CHARS characters, so a client that reads only the first
 * segment (or does not join) is caught.
 */
export type Segment = { type: 'text'; text: string } | { type: 'url'; text: string; link: string };

const SEGMENT_CHARS = 50;
const URL_RE = /https?:\/\/[^\s]+/g;

export function toSegments(s: string): Segment[] {
	const out: Segment[] = [];
	let last = 0;
	for (const m of s.matchAll(URL_RE)) {
		const at = m.index ?? 0;
		pushText(out, s.slice(last, at));
		out.push({ type: 'url', text: m[0], link: m[0] });
		last = at + m[0].length;
	}
	pushText(out, s.slice(last));
	return out;
}

function pushText(out: Segment[], s: string): void {
	let start = 0;
	while (start < s.length) {
		const nl = s.indexOf('\n', start);
		let end = Math.min(nl === -1 ? s.length : nl + 1, start + SEGMENT_CHARS);
		// never cut a surrogate pair in two
		if (end < s.length && isHighSurrogate(s.charCodeAt(end - 1))) end += 1;
		out.push({ type: 'text', text: s.slice(start, end) });
		start = end;
	}
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

export function joinSegments(segments: unknown): string {
	if (!Array.isArray(segments)) return typeof segments === 'string' ? segments : '';
	return segments.map((s) => (s && typeof s === 'object' ? String((s as { text?: unknown }).text ?? '') : '')).join('');
}
