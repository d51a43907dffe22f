import { EventEmitter } from 'events';
import * as path from 'path';
import {
	ColumnType,
	parseTimeZone,
	textRowParser,
	useRowParser,
	type ColumnInfo,
	type RowPacket,
	type ValueOptions,
} from '../../../lib/mysql';

// mysql2's own packet class: the parser must read exactly what mysql2 hands it.
// (By path: mysql2's package exports do not list its internals.)
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Packet = require(path.join(path.dirname(require.resolve('mysql2')), 'lib/packets/packet.js')) as new (
	id: number,
	buffer: Buffer,
	start: number,
	end: number,
) => RowPacket;

/** A text-protocol row packet: each value length-coded, null as 0xfb. */
function rowPacket(values: Array<string | Buffer | null>): RowPacket {
	const parts: Buffer[] = [Buffer.alloc(4)];
	for (const value of values) {
		if (value === null) {
			parts.push(Buffer.from([0xfb]));
			continue;
		}
		const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
		if (bytes.length < 251) parts.push(Buffer.from([bytes.length]));
		else parts.push(Buffer.from([0xfc, bytes.length & 0xff, bytes.length >> 8]));
		parts.push(bytes);
	}
	const buffer = Buffer.concat(parts);
	return new Packet(0, buffer, 0, buffer.length);
}

const field = (name: string, columnType: number, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
	name,
	columnType,
	characterSet: 224,
	columnLength: 0,
	encoding: 'utf8',
	...extra,
});

const text: ValueOptions = { numbers: 'text', binary: 'base64', zone: parseTimeZone('+08:00') };

test('DATETIME straight to ISO: plain, with fractions, zero date, another length, NULL', () => {
	const fields = [
		field('a', ColumnType.DATETIME),
		field('b', ColumnType.DATETIME, { decimals: 3 }),
		field('c', ColumnType.TIMESTAMP),
		field('d', ColumnType.DATETIME, { decimals: 2 }),
		field('e', ColumnType.DATETIME),
	];
	const parser = textRowParser(fields, text);
	const row = parser.next(
		rowPacket(['2024-02-29 23:59:59', '2024-01-01 10:00:00.250', '0000-00-00 00:00:00', '2024-01-01 10:00:00.5', null]),
	);
	expect(row).toEqual({
		a: '2024-02-29T23:59:59+08:00',
		b: '2024-01-01T10:00:00.250+08:00',
		c: null,
		d: '2024-01-01T10:00:00.50+08:00',
		e: null,
	});
	// Column order kept, as a user sees it in the output.
	expect(Object.keys(row)).toEqual(['a', 'b', 'c', 'd', 'e']);
});

test('BIGINT one type per column: text by default, numbers by option; raw columns as mysql2 reads them', () => {
	const fields = [
		field('big', ColumnType.LONGLONG, { characterSet: 63, encoding: 'binary' }),
		field('tie', ColumnType.LONGLONG),
	];
	const values = ['42', '9007199254740993'];
	expect(textRowParser(fields, text).next(rowPacket(values))).toEqual({ big: '42', tie: '9007199254740993' });
	expect(textRowParser(fields, { ...text, numbers: 'number' }).next(rowPacket(values))).toEqual({
		big: 42,
		tie: 9007199254740992,
	});
	// The watermark's own columns keep the driver's shape (a number when exact, else text).
	expect(textRowParser(fields, text, new Set(['big'])).next(rowPacket(values))).toEqual({
		big: 42,
		tie: '9007199254740993',
	});
});

test('text in its column encoding (long values too), binary as base64, JSON parsed, a column named __proto__ stays data', () => {
	const fields = [
		field('u', ColumnType.VAR_STRING),
		field('g', ColumnType.VAR_STRING, { characterSet: 28, encoding: 'gbk' }),
		field('b', ColumnType.BLOB, { characterSet: 63, encoding: 'binary' }),
		field('j', ColumnType.JSON, { characterSet: 63, encoding: 'binary' }),
		field('__proto__', ColumnType.VAR_STRING),
	];
	const long = '飞'.repeat(100); // 300 bytes: a three-byte length prefix
	const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文 in GBK
	const row = textRowParser(fields, text).next(
		rowPacket([long, gbk, Buffer.from([0, 255]), '{"a":[1,"x"]}', 'polluted?']),
	);
	expect(row).toEqual({ u: long, g: '中文', b: 'AP8=', j: { a: [1, 'x'] }, ['__proto__']: 'polluted?' });
	expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
	expect(Object.prototype.hasOwnProperty.call(row, '__proto__')).toBe(true);
});

test('mysql2 storing its own parser is caught; if it stops doing so the session converts rows itself', () => {
	const parser = textRowParser([field('a', ColumnType.VAR_STRING)], text);
	const command = new EventEmitter() as unknown as Parameters<typeof useRowParser>[0] & { _rowParser?: unknown };
	const parsedByUs = useRowParser(command, parser);
	expect(parsedByUs()).toBe(false);
	// What mysql2's Query#readField does right after the 'fields' event.
	command._rowParser = { next: () => ({ a: 'mysql2 shape' }) };
	expect(parsedByUs()).toBe(true);
	expect(command._rowParser).toBe(parser);
});
