/**
 * The frames of Feishu's long connection: protobuf messages `Frame` {1 SeqID uint64, 2 LogID uint64, 3 service
 * int32, 4 method int32 (0 control, 1 data), 5 headers repeated Header{1 key, 2 value}, 6 payload_encoding,
 * 7 payload_type, 8 payload bytes, 9 LogIDNew}, as the official SDK's WSClient reads and writes them. Written
 * here by hand (varints and length-delimited fields only), so the emulator needs no protobuf library.
 */

export interface FrameHeader {
	key: string;
	value: string;
}

export interface Frame {
	SeqID: number;
	LogID: number;
	service: number;
	method: number;
	headers: FrameHeader[];
	payloadEncoding?: string;
	payloadType?: string;
	payload?: Uint8Array;
	LogIDNew?: string;
}

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

function varint(out: number[], value: number): void {
	let v = Math.floor(value);
	while (v >= 0x80) {
		out.push(v % 0x80 | 0x80);
		v = Math.floor(v / 0x80);
	}
	out.push(v);
}

function bytesField(out: number[], field: number, bytes: Uint8Array): void {
	varint(out, (field << 3) | 2);
	varint(out, bytes.length);
	for (const b of bytes) out.push(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(frame: Frame): Buffer {
	const out: number[] = [];
	const num = (field: number, v: number) => {
		varint(out, field << 3);
		varint(out, v);
	};
	num(1, frame.SeqID);
	num(2, frame.LogID);
	num(3, frame.service);
	num(4, frame.method);
	for (const h of frame.headers) {
		const inner: number[] = [];
		bytesField(inner, 1, utf8(h.key));
		bytesField(inner, 2, utf8(h.value));
		bytesField(out, 5, Uint8Array.from(inner));
	}
	if (frame.payloadEncoding !== undefined) bytesField(out, 6, utf8(frame.payloadEncoding));
	if (frame.payloadType !== undefined) bytesField(out, 7, utf8(frame.payloadType));
	if (frame.payload !== undefined) bytesField(out, 8, frame.payload);
	if (frame.LogIDNew !== undefined) bytesField(out, 9, utf8(frame.LogIDNew));
	return Buffer.from(out);
}

/** Reads the fields of one message: number -> varint value or bytes. */
function fields(buf: Uint8Array): { field: number; value: number | Uint8Array }[] {
	const found: { field: number; value: number | Uint8Array }[] = [];
	let at = 0;
	const readVarint = (): number => {
		let result = 0;
		let scale = 1;
		for (;;) {
			if (at >= buf.length) throw new Error('truncated varint');
			const b = buf[at++];
			result += (b & 0x7f) * scale;
			if (!(b & 0x80)) return result;
			scale *= 0x80;
		}
	};
	while (at < buf.length) {
		const tag = readVarint();
		const field = Math.floor(tag / 8);
		const wire = tag & 7;
		if (wire === 0) found.push({ field, value: readVarint() });
		else if (wire === 2) {
			const len = readVarint();
			found.push({ field, value: buf.subarray(at, at + len) });
			at += len;
		} else throw new Error(`unsupported wire type ${wire}`);
	}
	return found;
}

const text = (v: number | Uint8Array) => (typeof v === 'number' ? String(v) : new TextDecoder().decode(v));

export function decodeFrame(buf: Uint8Array): Frame {
	const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
	for (const { field, value } of fields(buf)) {
		if (field === 1) frame.SeqID = Number(value);
		else if (field === 2) frame.LogID = Number(value);
		else if (field === 3) frame.service = Number(value);
		else if (field === 4) frame.method = Number(value);
		else if (field === 5 && typeof value !== 'number') {
			const header: FrameHeader = { key: '', value: '' };
			for (const f of fields(value)) {
				if (f.field === 1) header.key = text(f.value);
				if (f.field === 2) header.value = text(f.value);
			}
			frame.headers.push(header);
		} else if (field === 6) frame.payloadEncoding = text(value);
		else if (field === 7) frame.payloadType = text(value);
		else if (field === 8 && typeof value !== 'number') frame.payload = Uint8Array.from(value);
		else if (field === 9) frame.LogIDNew = text(value);
	}
	return frame;
}

export const header = (frame: Frame, key: string): string | undefined =>
	frame.headers.find((h) => h.key === key)?.value;
