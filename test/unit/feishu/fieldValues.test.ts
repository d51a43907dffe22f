import {
	CoercionError,
	FieldType as T,
	coerceWriteValue,
	normaliseReadValue,
	parseDateString,
	plainOfWrite,
	valuesEqual,
	type FieldMeta,
} from '../../../lib/feishu/fieldValues';

const f = (type: number, extra: Partial<FieldMeta> = {}): FieldMeta => ({ field_name: `f${type}`, type, ...extra });
const tz = { timeZone: 'Asia/Shanghai' };
const write = (field: FieldMeta, v: unknown, opts = {}): unknown => coerceWriteValue(field, v, { ...tz, ...opts });
const refuse = (field: FieldMeta, v: unknown): CoercionError => {
	try {
		coerceWriteValue(field, v, tz);
	} catch (error) {
		expect(error).toBeInstanceOf(CoercionError);
		return error as CoercionError;
	}
	throw new Error(`expected ${JSON.stringify(v)} to be refused for type ${field.type}`);
};
/** What a re-run compares: the plain form of our write vs the table's read form. */
const same = (field: FieldMeta, input: unknown, read: unknown, opts = {}): boolean =>
	valuesEqual(field, plainOfWrite(field, write(field, input, opts)), normaliseReadValue(field, read, tz));

describe('coerceWriteValue: every writable type, and a refusal for each', () => {
	it('text: strings, numbers, booleans, dates in the time zone, objects as JSON; refuses over-long text', () => {
		expect(write(f(T.Text), 'abc')).toBe('abc');
		expect(write(f(T.Text), 12.5)).toBe('12.5');
		expect(write(f(T.Text), true)).toBe('true');
		expect(write(f(T.Text), new Date('2024-05-01T00:00:00Z'))).toBe('2024-05-01 08:00:00');
		expect(write(f(T.Text), '')).toBeNull();
		// a MySQL JSON column: objects and arrays of objects become JSON text instead of failing the item
		expect(write(f(T.Text), { a: 1, b: [1, 'x'] })).toBe('{"a":1,"b":[1,"x"]}');
		expect(write(f(T.Text), [{ id: 1 }, { id: 2 }])).toBe('[{"id":1},{"id":2}]');
		expect(write(f(T.Text), { big: 9007199254740993n })).toBe('{"big":"9007199254740993"}');
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(refuse(f(T.Text), cyclic).expected).toMatch(/text/);
		expect(refuse(f(T.Text), 'x'.repeat(100_001)).expected).toMatch(/100000/);
	});
	it('number: numbers and numeric strings; refuses words and NaN', () => {
		expect(write(f(T.Number), '12.50')).toBe(12.5);
		expect(write(f(T.Number), ' -3e2 ')).toBe(-300);
		expect(write(f(T.Number), BigInt(7))).toBe(7);
		expect(write(f(T.Number), null)).toBeNull();
		expect(refuse(f(T.Number), 'twelve').message).toContain('"twelve"');
		refuse(f(T.Number), NaN);
		refuse(f(T.Number), true);
	});
	it('single select: a name, or an option id mapped to its name; refuses several values', () => {
		const field = f(T.SingleSelect, { property: { options: [{ id: 'optA', name: 'Done' }] } });
		expect(write(field, ' Done ')).toBe('Done');
		expect(write(field, 'optA')).toBe('Done');
		expect(write(field, 'New')).toBe('New');
		expect(refuse(field, ['a', 'b']).message).toMatch(/several/);
		refuse(field, { name: 'x' });
	});
	it('multi select: arrays or "a, b"; refuses objects', () => {
		expect(write(f(T.MultiSelect), 'a, b，c')).toEqual(['a', 'b', 'c']);
		expect(write(f(T.MultiSelect), ['x', 'x', ' y'])).toEqual(['x', 'y']);
		const withComma = f(T.MultiSelect, { property: { options: [{ name: 'A, B' }] } });
		expect(write(withComma, 'A, B')).toEqual(['A, B']);
		refuse(f(T.MultiSelect), [{ a: 1 }]);
	});
	it('date: zone-less strings in the credential time zone, ISO with zone, ms, seconds, Date; refuses nonsense', () => {
		expect(write(f(T.DateTime), '2024-05-01 08:00:00')).toBe(Date.UTC(2024, 4, 1, 0, 0, 0));
		expect(write(f(T.DateTime), '2024-05-01')).toBe(Date.UTC(2024, 3, 30, 16));
		expect(write(f(T.DateTime), '2024-05-01T08:00:00Z')).toBe(Date.UTC(2024, 4, 1, 8));
		expect(write(f(T.DateTime), '2024-05-01T08:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 6));
		expect(write(f(T.DateTime), 1714550400)).toBe(1714550400000);
		expect(write(f(T.DateTime), 1714550400000)).toBe(1714550400000);
		expect(write(f(T.DateTime), '2024-05-01 08:00:00', { timeZone: '+00:00' })).toBe(Date.UTC(2024, 4, 1, 8));
		expect(write(f(T.DateTime), '2024-03-10 12:00:00', { timeZone: 'America/New_York' })).toBe(
			Date.UTC(2024, 2, 10, 16),
		);
		refuse(f(T.DateTime), 'next tuesday');
		refuse(f(T.DateTime), '2024-02-31');
		refuse(f(T.DateTime), true);
	});
	it('checkbox: booleans, 1/0, yes/no, 是/否; null is false; refuses other words', () => {
		expect(write(f(T.Checkbox), 1)).toBe(true);
		expect(write(f(T.Checkbox), 'no')).toBe(false);
		expect(write(f(T.Checkbox), '是')).toBe(true);
		expect(write(f(T.Checkbox), null)).toBe(false);
		refuse(f(T.Checkbox), 'maybe');
	});
	it('user: open ids, and emails / mobiles through the resolved map; refuses unknown people and other strings', () => {
		const userIds = new Map([
			['ann@example.com', 'ou_ann'],
			['+8613800000000', 'ou_bob'],
		]);
		expect(write(f(T.User), 'ou_x')).toEqual([{ id: 'ou_x' }]);
		expect(write(f(T.User), ['Ann@Example.com', '+86 138-0000-0000'], { userIds })).toEqual([
			{ id: 'ou_ann' },
			{ id: 'ou_bob' },
		]);
		expect(refuse(f(T.User), 'zed@example.com').message).toMatch(/no Feishu user has the email/);
		refuse(f(T.User), 'bob');
	});
	it('phone: strips separators; refuses letters', () => {
		expect(write(f(T.Phone), '+86 138-0000-0000')).toBe('+8613800000000');
		expect(write(f(T.Phone), 13800000000)).toBe('13800000000');
		refuse(f(T.Phone), 'call me');
	});
	it('url: strings and {text, link}; refuses relative or non-URLs', () => {
		expect(write(f(T.Url), 'https://a.example/x')).toEqual({
			text: 'https://a.example/x',
			link: 'https://a.example/x',
		});
		expect(write(f(T.Url), { text: 'Home', link: 'https://a.example' })).toEqual({
			text: 'Home',
			link: 'https://a.example',
		});
		expect(write(f(T.Url), 'www.a.example')).toEqual({ text: 'https://www.a.example', link: 'https://www.a.example' });
		refuse(f(T.Url), 'not a link');
	});
	it('attachment: uploaded file tokens only (the sync uploads URLs and binaries first); refuses a bare string', () => {
		expect(write(f(T.Attachment), [{ file_token: 'box1' }])).toEqual([{ file_token: 'box1' }]);
		refuse(f(T.Attachment), 'somefile.pdf');
	});
	it('link: record ids as array, "rec1,rec2" or {link_record_ids}; refuses other ids', () => {
		expect(write(f(T.SingleLink), 'recA, recB')).toEqual(['recA', 'recB']);
		expect(write(f(T.DuplexLink), { link_record_ids: ['recC'] })).toEqual(['recC']);
		refuse(f(T.SingleLink), ['row-1']);
	});
	it('location: "lng,lat", [lng, lat] or {lng, lat}; refuses out of range', () => {
		expect(write(f(T.Location), '116.40, 39.90')).toBe('116.4,39.9');
		expect(write(f(T.Location), { lng: 116.4, lat: 39.9 })).toBe('116.4,39.9');
		refuse(f(T.Location), '200,10');
	});
	it('read-only and unsupported types are refused with the reason', () => {
		for (const type of [
			T.Formula,
			T.Lookup,
			T.CreatedTime,
			T.ModifiedTime,
			T.CreatedUser,
			T.ModifiedUser,
			T.AutoNumber,
			T.Stage,
			T.Button,
		]) {
			expect(refuse(f(type), 'x').message).toMatch(/Feishu computes itself/);
		}
		refuse(f(23), 'x');
	});
});

describe('normalisation: values only normalisation can match compare equal', () => {
	it('text held in several segments (text, url, mention) equals the joined input', () => {
		const read = [
			{ type: 'text', text: 'See ' },
			{ type: 'url', text: 'https://x.example', link: 'https://x.example' },
			{ type: 'text', text: ' now' },
		];
		expect(same(f(T.Text), 'See https://x.example now', read)).toBe(true);
		expect(same(f(T.Text), 'See https://x.example later', read)).toBe(false);
	});
	it('a zone-less DATETIME equals the ms the table holds; a shifted one does not', () => {
		expect(same(f(T.DateTime), '2024-05-01 08:00:00', Date.UTC(2024, 4, 1))).toBe(true);
		expect(same(f(T.DateTime), '2024-05-01 08:00:00', Date.UTC(2024, 4, 1, 8))).toBe(false);
	});
	it('1 vs 1.0 vs "1.00"', () => {
		expect(same(f(T.Number), '1.00', 1)).toBe(true);
		expect(same(f(T.Number), 1.0, 1)).toBe(true);
		expect(same(f(T.Number), 2, 1)).toBe(false);
	});
	it('select options by name or id; multi selects as sets', () => {
		const field = f(T.SingleSelect, { property: { options: [{ id: 'optA', name: 'Done' }] } });
		expect(same(field, 'optA', 'Done')).toBe(true);
		expect(same(f(T.MultiSelect), 'b, a', ['a', 'b'])).toBe(true);
		expect(same(f(T.MultiSelect), 'a', ['a', 'b'])).toBe(false);
	});
	it('empty forms: absent, "", [] and a false checkbox', () => {
		expect(same(f(T.Text), '', undefined)).toBe(true);
		expect(same(f(T.Checkbox), false, undefined)).toBe(true);
		expect(same(f(T.Checkbox), null, undefined)).toBe(true);
		expect(same(f(T.MultiSelect), [], undefined)).toBe(true);
		expect(same(f(T.Number), 0, undefined)).toBe(false);
	});
	it('users, links, urls, locations', () => {
		expect(
			same(
				f(T.User),
				['ou_b', 'ou_a'],
				[
					{ id: 'ou_a', name: 'A' },
					{ id: 'ou_b', name: 'B' },
				],
			),
		).toBe(true);
		expect(same(f(T.SingleLink), 'recB,recA', { link_record_ids: ['recA', 'recB'] })).toBe(true);
		expect(same(f(T.Url), 'https://a.example', { text: 'https://a.example', link: 'https://a.example' })).toBe(true);
		expect(same(f(T.Location), '116.40,39.9', { location: '116.4,39.90', pname: '' })).toBe(true);
	});
	it('formula and lookup cells are unwrapped', () => {
		expect(
			normaliseReadValue(f(T.Formula), {
				type: 1,
				value: [
					{ type: 'text', text: 'a' },
					{ type: 'text', text: 'b' },
				],
			}),
		).toBe('ab');
		expect(normaliseReadValue(f(T.Formula), { type: 2, value: [42] })).toBe(42);
		expect(normaliseReadValue(f(T.Lookup), { type: 1, value: ['x', 'y'] })).toBe('xy');
		expect(normaliseReadValue(f(T.CreatedUser), [{ id: 'ou_a' }])).toEqual(['ou_a']);
		expect(normaliseReadValue(f(T.AutoNumber), '12')).toBe('12');
	});
	it('parses zone-less strings across DST and rejects impossible dates', () => {
		expect(parseDateString('2024-11-03 01:30', 'America/New_York')).toBe(Date.UTC(2024, 10, 3, 5, 30));
		expect(parseDateString('2024/5/1 8:00', 'Asia/Shanghai')).toBe(Date.UTC(2024, 4, 1));
		expect(parseDateString('2023-02-29', 'UTC')).toBeUndefined();
	});
});
