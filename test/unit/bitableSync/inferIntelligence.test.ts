/**
 * Field type strategy "Intelligence": the whole column decides, and whatever it picks, every value of the column
 * can be written to that type (checked with the same coercion the sync uses before any write).
 */
import { inferField } from '../../../lib/bitableSync/inferTypes';
import { coerceWriteValue, FieldType as T } from '../../../lib/feishu/fieldValues';

const infer = (values: unknown[], name = 'col') => inferField(name, values, 'intelligence');
const typeOf = (values: unknown[], name?: string) => infer(values, name).type;

describe('Intelligence', () => {
	it('checkboxes from yes/no words, 是/否, true/false strings, and 0/1 over a few rows with both values', () => {
		expect(typeOf(['yes', 'no', 'Yes', ''])).toBe(T.Checkbox);
		expect(typeOf(['是', '否', '是'])).toBe(T.Checkbox);
		expect(typeOf(['true', 'false'])).toBe(T.Checkbox);
		expect(typeOf([1, 0, 0, 1, 1])).toBe(T.Checkbox);
		expect(typeOf(['1', '0', '1', '1'])).toBe(T.Checkbox);
		// a column of ones, or 0/1 over too few rows, stays a number
		expect(typeOf([1, 1, 1, 1, 1])).toBe(T.Number);
		expect(typeOf([1, 0])).toBe(T.Number);
		// auto (and base) would not read words as checkboxes
		expect(inferField('col', ['yes', 'no', 'yes'], 'auto').type).not.toBe(T.Checkbox);
	});

	it('dates from epoch milliseconds, and from epoch seconds when the column is named like a time', () => {
		expect(typeOf([1714550400000, 1714636800000])).toBe(T.DateTime);
		expect(typeOf([1714550400, 1714636800], 'created_at')).toBe(T.DateTime);
		expect(typeOf([1714550400, 1714636800], '下单时间')).toBe(T.DateTime);
		// ten-digit numbers under another name are ids, not dates
		expect(typeOf([1714550400, 1714636800], 'order_id')).toBe(T.Number);
		// numbers and dates inside strings, as base reads them
		expect(typeOf(['12.5', '3', '-4'])).toBe(T.Number);
		expect(typeOf(['2024-05-01', '2024-05-02 10:00'])).toBe(T.DateTime);
	});

	it('multi selects from delimited text whose items repeat; single selects from few distinct values', () => {
		const tags = infer(['red, blue', 'blue；green', 'red', 'green,red']);
		expect(tags.type).toBe(T.MultiSelect);
		expect((tags.property!.options as { name: string }[]).map((o) => o.name).sort()).toEqual(['blue', 'green', 'red']);
		expect(typeOf([['a', 'b'], ['b']])).toBe(T.MultiSelect);
		// sentences with commas that never repeat stay text
		expect(typeOf(['Hello, world', 'Good morning, Ann', 'See you, Bob'])).toBe(T.Text);
		expect(typeOf(['new', 'paid', 'new', 'shipped', 'paid', 'new'])).toBe(T.SingleSelect);
	});

	it('URLs, emails and phone numbers as auto reads them', () => {
		expect(typeOf(['https://a.example/x', 'http://b.example'])).toBe(T.Url);
		expect(infer(['ann@example.com', 'bob@example.cn'])).toMatchObject({ type: T.Text, ui_type: 'Email' });
		expect(typeOf(['13800138000', '+86 139 0000 0000'])).toBe(T.Phone);
	});

	it('every value of a column can be written to the type it picked (seeded columns of mixed shapes)', () => {
		let seed = 7;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const pools: unknown[][] = [
			['yes', 'no', '是', '否', 'true', '0', '1', ''],
			[0, 1, 1, 0],
			[1714550400000, 1700000000000, 1600000000000],
			['a, b', 'b', 'c；a', 'a'],
			['new', 'paid', 'shipped'],
			['12', '3.5', '-1', 7],
			['2024-05-01', '2024/05/02', new Date(0)],
			['x', 1, true, null],
		];
		for (let run = 0; run < 300; run++) {
			const pool = pools[Math.floor(rand() * pools.length)];
			const column = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pool[Math.floor(rand() * pool.length)]);
			const spec = inferField(run % 2 ? 'created_at' : 'col', column, 'intelligence');
			const field = {
				field_name: spec.field_name,
				type: spec.type,
				property: spec.property ?? null,
				ui_type: spec.ui_type,
			};
			for (const value of column)
				expect(() => coerceWriteValue(field, value, { timeZone: 'Asia/Shanghai' })).not.toThrow();
		}
	});
});
