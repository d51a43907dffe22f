import { InvalidIdentifierError, escapeColumnList, escapeIdentifier } from '../../../lib/mysql';

test('names are backtick-quoted part by part, backticks doubled', () => {
	expect(escapeIdentifier('orders')).toBe('`orders`');
	expect(escapeIdentifier('shop.orders')).toBe('`shop`.`orders`');
	expect(escapeIdentifier('`my.db`.`t`')).toBe('`my.db`.`t`');
	expect(escapeIdentifier('a`b')).toBe('`a``b`');
	expect(escapeIdentifier('x`; DROP TABLE t; --')).toBe('`x``; DROP TABLE t; --`');
});

test('column lists quote each name; * stays', () => {
	expect(escapeColumnList('*')).toBe('*');
	expect(escapeColumnList(' id, name ,updated_at')).toBe('`id`, `name`, `updated_at`');
	expect(escapeColumnList('`a,b`, c')).toBe('`a,b`, `c`');
});

test('impossible names are refused', () => {
	expect(() => escapeIdentifier('')).toThrow(InvalidIdentifierError);
	expect(() => escapeIdentifier('`open')).toThrow('not closed');
	expect(() => escapeIdentifier('a.b.c.d')).toThrow(InvalidIdentifierError);
	expect(() => escapeIdentifier('x'.repeat(65))).toThrow('64');
});
