import {
	MultipleStatementsError,
	PlaceholderCountError,
	bindStatements,
	parseTimeZone,
	scanStatements,
} from '../../../lib/mysql';

const zone = parseTimeZone('+08:00');

describe('scanStatements', () => {
	test('one statement, trailing semicolon and comments are not extra statements', () => {
		expect(scanStatements('SELECT 1;').map((s) => s.sql)).toEqual(['SELECT 1']);
		expect(scanStatements('SELECT 1; -- done\n').length).toBe(1);
		expect(scanStatements('SELECT 1; /* note */').length).toBe(1);
	});

	test('semicolons and ? inside strings, names and comments belong to them', () => {
		const [only, ...rest] = scanStatements(
			'SELECT \'a;b?\', "c;?", `we;ird?` FROM t WHERE x = ? -- why? ;\n AND y = ? # ok? ;\n /* ?; */',
		);
		expect(rest).toEqual([]);
		expect(only.placeholders.length).toBe(2);
		for (const at of only.placeholders) expect(only.sql[at]).toBe('?');
	});

	test('escaped quotes do not end a string', () => {
		const statements = scanStatements("SELECT 'it''s; fine', 'back\\'slash;'; SELECT 2");
		expect(statements.map((s) => s.sql)).toEqual(["SELECT 'it''s; fine', 'back\\'slash;'", 'SELECT 2']);
	});

	test('executable comments count as code', () => {
		expect(scanStatements('SELECT 1; /*!40101 SET NAMES utf8 */').length).toBe(2);
	});
});

describe('bindStatements', () => {
	test('values stay apart from the SQL, in order', () => {
		const [s] = bindStatements('SELECT * FROM t WHERE a = ? AND b = ?', ["x' OR '1'='1", 5], {
			allowMultipleStatements: false,
			zone,
		});
		expect(s.sql).toBe('SELECT * FROM t WHERE a = ? AND b = ?');
		expect(s.values).toEqual(["x' OR '1'='1", 5]);
	});

	test('a list value becomes one placeholder per element; an empty list binds NULL', () => {
		const [s] = bindStatements('SELECT * FROM t WHERE id IN (?) AND k = ?', [[1, 2, 3], 'k'], {
			allowMultipleStatements: false,
			zone,
		});
		expect(s.sql).toBe('SELECT * FROM t WHERE id IN (?, ?, ?) AND k = ?');
		expect(s.values).toEqual([1, 2, 3, 'k']);
		const [empty] = bindStatements('SELECT * FROM t WHERE id IN (?)', [[]], { allowMultipleStatements: false, zone });
		expect(empty.sql).toBe('SELECT * FROM t WHERE id IN (?)');
		expect(empty.values).toEqual([null]);
	});

	test('dates, objects, undefined and bigint become bindable values', () => {
		const [s] = bindStatements('SELECT ?, ?, ?, ?', [new Date('2024-01-01T00:00:00Z'), { a: 1 }, undefined, 10n], {
			allowMultipleStatements: false,
			zone,
		});
		expect(s.values).toEqual(['2024-01-01 08:00:00.000', '{"a":1}', null, '10']);
	});

	test('multiple statements are refused unless allowed, then each gets its own values', () => {
		expect(() => bindStatements('SELECT 1; DROP TABLE t', [], { allowMultipleStatements: false, zone })).toThrow(
			MultipleStatementsError,
		);
		const statements = bindStatements('UPDATE t SET a = ? WHERE id = ?; SELECT ?', [1, 2, 3], {
			allowMultipleStatements: true,
			zone,
		});
		expect(statements.map((s) => s.values)).toEqual([[1, 2], [3]]);
	});

	test('placeholder and value counts must match', () => {
		expect(() => bindStatements('SELECT ?', [], { allowMultipleStatements: false, zone })).toThrow(
			PlaceholderCountError,
		);
		expect(() => bindStatements('SELECT 1', [1], { allowMultipleStatements: false, zone })).toThrow(
			'has 0 "?" placeholder(s) but 1 value(s)',
		);
	});
});
