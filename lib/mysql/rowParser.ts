import type { ColumnInfo, ValueOptions } from './types';
import { BINARY_CHARSET, ColumnType, converterFor } from './types';

/**
 * The parts of mysql2's row packet (mysql2/lib/packets/packet.js, pinned in package.json) that the
 * text-protocol readers below call: the same calls mysql2's own generated row parser makes.
 */
export interface RowPacket {
	buffer: Buffer;
	offset: number;
	readLengthCodedNumber(): number | null;
	readLengthCodedString(encoding: string): string | null;
	readLengthCodedBuffer(): Buffer | null;
	parseLengthCodedIntNoBigCheck(): number | null;
	parseLengthCodedInt(supportBigNumbers: boolean): number | string | null;
	parseLengthCodedFloat(): number | null;
	parseJson(encoding: string, supportBigNumbers: boolean): unknown;
	parseGeometryValue(): unknown;
	parseVector(): unknown;
}

type Reader = (packet: RowPacket) => unknown;

/** Node's own per-encoding decoders behind Buffer#toString, without its dispatch on the encoding name. */
interface Slices {
	utf8Slice(start: number, end: number): string;
	latin1Slice(start: number, end: number): string;
	asciiSlice(start: number, end: number): string;
}
const hasSlices = ['utf8Slice', 'latin1Slice', 'asciiSlice'].every(
	(name) => typeof (Buffer.prototype as unknown as Record<string, unknown>)[name] === 'function',
);

/** Length of the next length-coded value, null for NULL (one byte in the common case). */
function lengthOf(p: RowPacket): number | null {
	const first = p.buffer[p.offset];
	if (first < 0xfb) {
		p.offset++;
		return first;
	}
	return p.readLengthCodedNumber();
}

/** Steps over the next length-coded value: where it starts (p.offset is then its end), or -1 for NULL. */
function skipValue(p: RowPacket): number {
	const len = lengthOf(p);
	if (len === null) return -1;
	const start = p.offset;
	p.offset = start + len;
	return start;
}

// One plain function per encoding (not one closure over a decoder): each call site in a row
// parser then sees one target, which V8 inlines.
function readUtf8(p: RowPacket): string | null {
	const start = skipValue(p);
	return start < 0 ? null : (p.buffer as unknown as Slices).utf8Slice(start, p.offset);
}

function readLatin1(p: RowPacket): string | null {
	const start = skipValue(p);
	return start < 0 ? null : (p.buffer as unknown as Slices).latin1Slice(start, p.offset);
}

function readAscii(p: RowPacket): string | null {
	const start = skipValue(p);
	return start < 0 ? null : (p.buffer as unknown as Slices).asciiSlice(start, p.offset);
}

/**
 * Length-coded text in `encoding`, as mysql2's readLengthCodedString gives it; the decoder is
 * chosen once per column (mysql2 looks the encoding up for every value).
 */
function textReader(encoding: string): Reader {
	if (hasSlices) {
		switch (encoding) {
			case 'utf8':
			case 'utf-8':
				return readUtf8;
			case 'latin1':
			case 'binary':
				return readLatin1;
			case 'ascii':
				return readAscii;
		}
	}
	return (p) => p.readLengthCodedString(encoding);
}

/** A row parser as mysql2's Query command calls it (`next(packet, fields, options)`). */
export interface TextRowParser {
	next(packet: RowPacket): Record<string, unknown>;
}

const VECTOR = 242;

/**
 * The value exactly as mysql2 reads it with the pool's options (supportBigNumbers, dateStrings,
 * no decimalNumbers): mirrors readCodeFor in mysql2/lib/parsers/text_parser.js.
 */
function driverReader(field: ColumnInfo): Reader {
	const encoding = field.encoding ?? 'utf8';
	if (field.extendedFormat === 'json') return (p) => p.parseJson(encoding, true);
	switch (field.columnType) {
		case 1: // TINY
		case 2: // SHORT
		case 3: // LONG
		case 9: // INT24
		case 13: // YEAR
			return (p) => p.parseLengthCodedIntNoBigCheck();
		case ColumnType.LONGLONG:
			return (p) => p.parseLengthCodedInt(true);
		case 4: // FLOAT
		case 5: // DOUBLE
			return (p) => p.parseLengthCodedFloat();
		case 6: // NULL
			return (p) => p.readLengthCodedNumber();
		case ColumnType.DECIMAL:
		case ColumnType.NEWDECIMAL:
		case ColumnType.DATE:
		case ColumnType.DATETIME:
		case ColumnType.TIMESTAMP:
		case 11: // TIME
			return textReader('ascii');
		case ColumnType.GEOMETRY:
			return (p) => p.parseGeometryValue();
		case VECTOR:
			return (p) => p.parseVector();
		case ColumnType.JSON:
			return (p) => p.parseJson('utf8', true);
		default:
			if (field.characterSet === BINARY_CHARSET) return (p) => p.readLengthCodedBuffer();
			return textReader(encoding);
	}
}

/**
 * DATETIME/TIMESTAMP straight from the packet's bytes to ISO 8601 in a fixed-offset zone: one
 * string per value instead of mysql2's text plus a converted copy (the largest per-value cost at a
 * million rows, see docs/mysql-performance.md). Other shapes (zero dates, fractions of another
 * length) take the general converter.
 */
function isoDateTimeReader(decimals: number, offset: string, general: (text: unknown) => unknown): Reader {
	const digits = decimals > 0 && decimals <= 6 ? decimals : 0;
	const length = digits ? 20 + digits : 19;
	const [o0, o1, o2, o3, o4, o5] = [...offset].map((c) => c.charCodeAt(0));
	const codes: number[] = new Array(length + 6).fill(0);
	codes[10] = 0x54; // 'T'
	for (let i = 0; i < 6; i++) codes[length + i] = offset.charCodeAt(i);
	return (p) => {
		const len = lengthOf(p);
		if (len === null) return null;
		const b = p.buffer;
		const s = p.offset;
		p.offset += len;
		// A leading '0' may be a zero date: the general path decides.
		if (len !== length || b[s] === 0x30) return general(b.toString('latin1', s, s + len));
		if (length === 19) {
			// One call with the bytes as arguments: as cheap as mysql2 reading the plain text.
			return String.fromCharCode(
				b[s],
				b[s + 1],
				b[s + 2],
				b[s + 3],
				b[s + 4],
				b[s + 5],
				b[s + 6],
				b[s + 7],
				b[s + 8],
				b[s + 9],
				0x54,
				b[s + 11],
				b[s + 12],
				b[s + 13],
				b[s + 14],
				b[s + 15],
				b[s + 16],
				b[s + 17],
				b[s + 18],
				o0,
				o1,
				o2,
				o3,
				o4,
				o5,
			);
		}
		for (let i = 0; i < 10; i++) codes[i] = b[s + i];
		for (let i = 11; i < length; i++) codes[i] = b[s + i];
		return String.fromCharCode.apply(null, codes);
	};
}

/** The reader of one column: the driver's read, with the column's conversion decided here once. */
function readerFor(field: ColumnInfo, options: ValueOptions): Reader {
	switch (field.columnType) {
		case ColumnType.LONGLONG:
			// Read once, in the column's one type: exact text, or a number (may round) by option.
			return options.numbers === 'text' ? textReader('latin1') : (p) => p.parseLengthCodedInt(false);
		case ColumnType.DATETIME:
		case ColumnType.TIMESTAMP:
			if (options.zone.fixed) {
				return isoDateTimeReader(field.decimals ?? 0, options.zone.sessionOffset, converterFor(field, options)!);
			}
			break;
		case ColumnType.DECIMAL:
		case ColumnType.NEWDECIMAL:
			if (options.numbers === 'number') {
				const read = textReader('ascii');
				return (p) => {
					const text = read(p);
					return text === null ? null : Number(text);
				};
			}
			break;
		default:
			if (field.characterSet === BINARY_CHARSET && options.binary === 'base64' && isPlainBinary(field)) {
				// Base64 straight from the packet: no Buffer per value.
				return (p) => {
					const len = lengthOf(p);
					if (len === null) return null;
					const s = p.offset;
					p.offset += len;
					return p.buffer.toString('base64', s, s + len);
				};
			}
	}
	const read = driverReader(field);
	const convert = converterFor(field, options);
	if (!convert) return read;
	return (p) => {
		const value = read(p);
		return value === null ? null : convert(value);
	};
}

/** BLOB/BINARY/VARBINARY (charset binary) that mysql2 reads as a plain Buffer. */
function isPlainBinary(field: ColumnInfo): boolean {
	switch (field.columnType) {
		case ColumnType.TINY_BLOB:
		case ColumnType.MEDIUM_BLOB:
		case ColumnType.LONG_BLOB:
		case ColumnType.BLOB:
		case ColumnType.VAR_STRING:
		case ColumnType.STRING:
		case 15: // VARCHAR
			return field.extendedFormat !== 'json';
		default:
			return false;
	}
}

/**
 * A text-protocol row parser that converts each value while reading it, with every column's
 * conversion chosen once from its metadata (mysql2 would otherwise give its own shapes that a
 * second pass converts value by value). Like mysql2, the row is built by generated code with one
 * constant property per column, so every row object gets the same fast shape. Columns in
 * `rawColumns` are read exactly as mysql2 reads them.
 */
export function textRowParser(
	fields: ColumnInfo[],
	options: ValueOptions,
	rawColumns?: ReadonlySet<string>,
): TextRowParser {
	const readers = fields.map((field) =>
		rawColumns?.has(field.name) ? driverReader(field) : readerFor(field, options),
	);
	// One object literal with every column: V8 then allocates each row once with all its properties
	// in the object (mysql2's `{}` plus assignments also allocates, and regrows, a property array).
	// Literal keys are evaluated in order, so the readers run in column order. Names come from the
	// server: JSON.stringify makes each a plain string literal, and a computed key keeps a column
	// named __proto__ an own property instead of setting the prototype.
	const properties = fields.map((field, i) => {
		const key = JSON.stringify(field.name);
		return `${field.name === '__proto__' ? `[${key}]` : key}: r[${i}](packet)`;
	});
	const next = new Function('r', `return function next(packet) {\nreturn {\n${properties.join(',\n')}\n};\n}`)(
		readers,
	) as (packet: RowPacket) => Record<string, unknown>;
	return { next };
}
