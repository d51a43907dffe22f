import { ColumnType, normaliseDateTimeText, parseTimeZone, rowConverter, type ColumnInfo } from '../../../lib/mysql';

const column = (name: string, columnType: number, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
	name,
	columnType,
	characterSet: 63,
	columnLength: 0,
	...extra,
});

/** The converter of `fields`' rows (undefined when no column needs converting); numbers as text, zone +08:00 unless given. */
const converter = (fields: ColumnInfo[], over: { numbers?: 'text' | 'number'; zone?: string } = {}) =>
	rowConverter(fields, {
		numbers: over.numbers ?? 'text',
		binary: 'base64',
		zone: parseTimeZone(over.zone ?? '+08:00'),
	});

test('DATETIME in every shape the two protocols send, in fixed and named zones', () => {
	const fields = [
		column('a', ColumnType.DATETIME),
		column('b', ColumnType.DATETIME, { decimals: 3 }),
		column('c', ColumnType.TIMESTAMP),
		column('d', ColumnType.DATETIME),
	];
	const row = { a: '2024-07-01 12:00:00', b: '2024-07-01 12:00:00', c: '2024-07-01', d: '0000-00-00 00:00:00' };
	converter(fields)!(row);
	expect(row).toEqual({
		a: '2024-07-01T12:00:00+08:00',
		b: '2024-07-01T12:00:00.000+08:00',
		c: '2024-07-01T00:00:00+08:00',
		d: null,
	});
	const summer = { a: '2024-07-01 12:00:00', b: '2024-01-01 12:00:00.5', c: '2024-01-01 00:00:00', d: undefined };
	converter(fields, { zone: 'Europe/Berlin' })!(summer);
	expect(summer).toEqual({
		a: '2024-07-01T12:00:00+02:00',
		b: '2024-01-01T12:00:00.500+01:00',
		c: '2024-01-01T00:00:00+01:00',
		d: null,
	});
});

test('numbers: exact text by default, JavaScript numbers by option; untouched columns cost nothing', () => {
	const fields = [
		column('big', ColumnType.LONGLONG),
		column('dec', ColumnType.NEWDECIMAL),
		column('name', ColumnType.VAR_STRING, { characterSet: 224 }),
	];
	const exact = { big: 9007199254740994, dec: '1.10', name: 'x' };
	converter(fields)!(exact);
	expect(exact).toEqual({ big: '9007199254740994', dec: '1.10', name: 'x' });
	const rounded = { big: '9007199254740993', dec: '1.10', name: 'x' };
	converter(fields, { numbers: 'number' })!(rounded);
	expect(rounded).toEqual({ big: 9007199254740992, dec: 1.1, name: 'x' });
	expect(converter([fields[2]])).toBeUndefined();
});

test('normaliseDateTimeText pads or trims fractions to the column scale', () => {
	expect(normaliseDateTimeText('2024-01-01 10:00:00.1', 3)).toBe('2024-01-01 10:00:00.100');
	expect(normaliseDateTimeText('2024-01-01 10:00:00.123456', 0)).toBe('2024-01-01 10:00:00');
	expect(normaliseDateTimeText('', 0)).toBeNull();
});
