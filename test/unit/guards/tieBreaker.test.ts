/** Read Changes' tie-breaker check, from information_schema rows alone (the node test runs it on MariaDB). */
import { tieBreakerProblem, uniqueIndexQuery, type PageSpec, type UniqueIndexRow } from '../../../lib/mysql/watermark';

const spec = (more: Partial<PageSpec> = {}): PageSpec => ({
	table: 'orders',
	columns: '*',
	watermarkColumn: 'updated_at',
	tieBreaker: 'id',
	overlap: 0,
	limit: 100,
	...more,
});
const table = (indexes: Record<string, string[]>): UniqueIndexRow[] => {
	const rows = Object.entries(indexes).flatMap(([indexName, columns]) =>
		columns.map((columnName) => ({ tableType: 'BASE TABLE', indexName, columnName })),
	);
	return rows.length ? rows : [{ tableType: 'BASE TABLE', indexName: null, columnName: null }];
};

it('asks information_schema for the table in the named or the current database', () => {
	expect(uniqueIndexQuery('orders').values).toEqual([null, 'orders']);
	expect(uniqueIndexQuery('shop.`my orders`').values).toEqual(['shop', 'my orders']);
});

it('accepts a tie-breaker (or watermark) that a unique index covers, whatever the case of the names', () => {
	expect(tieBreakerProblem(spec(), table({ PRIMARY: ['id'] }))).toBeUndefined();
	expect(tieBreakerProblem(spec({ tieBreaker: '`ID`' }), table({ PRIMARY: ['id'] }))).toBeUndefined();
	expect(tieBreakerProblem(spec({ tieBreaker: 'code' }), table({ one: ['updated_at', 'code'] }))).toBeUndefined();
	expect(
		tieBreakerProblem(spec({ watermarkColumn: 'id', tieBreaker: '' }), table({ PRIMARY: ['id'] })),
	).toBeUndefined();
});

it('refuses a pair no unique index covers, naming the columns', () => {
	expect(tieBreakerProblem(spec({ tieBreaker: 'code' }), table({ PRIMARY: ['id'] }))).toBe(
		'No unique index of orders covers "code" (with the watermark column "updated_at"), so rows sharing a watermark value could be skipped or read twice between runs',
	);
	expect(tieBreakerProblem(spec({ tieBreaker: '' }), table({ PRIMARY: ['id'] }))).toMatch(
		/^No unique index of orders covers "updated_at", so/,
	);
	expect(tieBreakerProblem(spec({ tieBreaker: 'code' }), table({ wide: ['updated_at', 'code', 'shop'] }))).toMatch(
		/^No unique index/,
	);
	expect(tieBreakerProblem(spec(), table({}))).toMatch(/^No unique index/);
});

it('a view must name a tie-breaker; an unknown table is left to the page query', () => {
	const view: UniqueIndexRow[] = [{ tableType: 'VIEW', indexName: null, columnName: null }];
	expect(tieBreakerProblem(spec({ tieBreaker: '' }), view)).toMatch(/is a view, whose columns cannot be checked/);
	expect(tieBreakerProblem(spec(), view)).toBeUndefined();
	expect(tieBreakerProblem(spec({ tieBreaker: '' }), [])).toBeUndefined();
});
