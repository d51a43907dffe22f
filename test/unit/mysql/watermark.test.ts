import { buildPageQuery, parseTimeZone, watermarkConfigKey } from '../../../lib/mysql';
import type { PageSpec } from '../../../lib/mysql';

const zone = parseTimeZone('+08:00');
const spec: PageSpec = {
	table: 'shop.orders',
	columns: '*',
	watermarkColumn: 'updated_at',
	tieBreaker: 'id',
	overlap: 0,
	limit: 100,
};

test('first read: every row with a watermark value, in keyset order, capped by LIMIT', () => {
	const q = buildPageQuery(spec, undefined, zone);
	expect(q.sql).toBe(
		'SELECT *, `updated_at` AS `__n8n_watermark`, `id` AS `__n8n_tie` FROM `shop`.`orders` WHERE `updated_at` IS NOT NULL ORDER BY `updated_at`, `id` LIMIT 100',
	);
	expect(q.values).toEqual([]);
});

test('start value is inclusive; a position continues strictly after (value, tie)', () => {
	expect(buildPageQuery({ ...spec, startValue: '2024-01-01' }, undefined, zone)).toMatchObject({
		sql: expect.stringContaining('WHERE `updated_at` >= ? ORDER BY'),
		values: ['2024-01-01'],
	});
	const after = { value: '2024-01-01 10:00:00', tie: 42, kind: 'temporal' as const, caughtUp: false };
	expect(buildPageQuery(spec, after, zone)).toMatchObject({
		sql: expect.stringContaining('WHERE (`updated_at` > ? OR (`updated_at` = ? AND `id` > ?)) ORDER BY'),
		values: ['2024-01-01 10:00:00', '2024-01-01 10:00:00', 42],
	});
});

test('overlap re-reads behind a caught-up position only', () => {
	const caughtUp = { value: '2024-01-01 10:00:00', tie: 42, kind: 'temporal' as const, caughtUp: true };
	expect(buildPageQuery({ ...spec, overlap: 30 }, caughtUp, zone)).toMatchObject({
		sql: expect.stringContaining('WHERE `updated_at` >= ? - INTERVAL ? SECOND ORDER BY'),
		values: ['2024-01-01 10:00:00', 30],
	});
	expect(buildPageQuery({ ...spec, overlap: 30 }, { ...caughtUp, caughtUp: false }, zone).sql).toContain('`id` > ?');
	expect(
		buildPageQuery(
			{ ...spec, watermarkColumn: 'id', overlap: 5 },
			{ value: 9, tie: null, kind: 'number', caughtUp: true },
			zone,
		),
	).toMatchObject({
		sql: expect.stringContaining('WHERE `id` >= ? - ? ORDER BY `id` LIMIT 100'),
		values: [9, 5],
	});
});

test('condition values are bound; names are escaped; the setup key changes with what matters', () => {
	const q = buildPageQuery(
		{ ...spec, table: 'o`rders', condition: 'status <> ?', conditionValues: ["x'; DROP TABLE o; --"] },
		undefined,
		zone,
	);
	expect(q.sql).toContain('FROM `o``rders` WHERE (status <> ?) AND');
	expect(q.values).toEqual(["x'; DROP TABLE o; --"]);
	expect(watermarkConfigKey(spec)).toBe(watermarkConfigKey({ ...spec, columns: 'id', limit: 5, overlap: 9 }));
	expect(watermarkConfigKey(spec)).not.toBe(watermarkConfigKey({ ...spec, startValue: '2024-01-01' }));
	expect(() => buildPageQuery({ ...spec, limit: 0 }, undefined, zone)).toThrow('at least 1');
});

test('exact-text BIGINT positions compare as DECIMAL (MySQL compares an integer column with a string as doubles)', () => {
	const big = {
		value: '9223372036854775801',
		tie: '9223372036854775807',
		kind: 'number' as const,
		tieKind: 'number' as const,
		caughtUp: false,
	};
	expect(buildPageQuery({ ...spec, watermarkColumn: 'batch' }, big, zone).sql).toContain(
		'WHERE (`batch` > CAST(? AS DECIMAL(65,30)) OR (`batch` = CAST(? AS DECIMAL(65,30)) AND `id` > CAST(? AS DECIMAL(65,30)))) ORDER BY',
	);
	// A text tie-breaker keeps its own comparison; a numeric value read as a number needs no cast.
	expect(buildPageQuery(spec, { ...big, value: 5, tieKind: 'text' }, zone).sql).toContain(
		'WHERE (`updated_at` > ? OR (`updated_at` = ? AND `id` > ?))',
	);
	expect(buildPageQuery({ ...spec, tieBreaker: '' }, { ...big, tie: null, caughtUp: true }, zone).sql).toContain(
		'`updated_at` > CAST(? AS DECIMAL(65,30))',
	);
	expect(
		buildPageQuery({ ...spec, tieBreaker: '', overlap: 10 }, { ...big, tie: null, caughtUp: true }, zone).sql,
	).toContain('`updated_at` >= CAST(? AS DECIMAL(65,30)) - ?');
});
