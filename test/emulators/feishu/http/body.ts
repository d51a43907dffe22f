/** Request body reading: a size cap, JSON and a small multipart/form-data parser (no dependency). */
import type { IncomingMessage } from 'http';

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > maxBytes) {
				if (!failed) reject(new BodyTooLarge());
				failed = true;
				return; // keep draining so the answer can still be written
			}
			chunks.push(c);
		});
		req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
		req.on('error', (e) => !failed && reject(e));
	});
}

export interface Part {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): Part[] | undefined {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
	if (!m) return undefined;
	const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
	const parts: Part[] = [];
	let pos = body.indexOf(delimiter);
	if (pos < 0) return undefined;
	for (;;) {
		pos += delimiter.length;
		if (body.slice(pos, pos + 2).toString() === '--') break;
		pos += 2; // CRLF after the delimiter
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) return undefined;
		const headers = body.slice(pos, headerEnd).toString('utf8');
		const next = body.indexOf(delimiter, headerEnd + 4);
		if (next < 0) return undefined;
		const data = body.slice(headerEnd + 4, next - 2); // the CRLF before the next delimiter is not data
		const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (name === undefined) return undefined;
		parts.push({
			name,
			filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
			contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
			data,
		});
		pos = next;
	}
	return parts;
}
