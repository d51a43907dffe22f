/** The diff and plan without any network: keys, modes, duplicates, thresholds, and the cost of 100,000 rows. */
import { buildPlan, indexTable } from '../../../lib/bitableSync/plan';
import { prepareItems } from '../../../lib/bitableSync/prepare';
import { resolveSchema } from '../../../lib/bitableSync/schema';
import { buildKey, displayKey } from '../../../lib/bitableSync/keys';
import { inferField } from '../../../lib/bitableSync/inferTypes';
import { autoMapItem, parseRenames } from '../../../lib/bitableSync/mapping';
import { DuplicateKeysError, ThresholdError } from '../../../lib/bitableSync/errors';
import type { BitableClient, BitableRecord, SyncInputItem, SyncMode } from '../../../lib/bitableSync/types';
import type { FieldMeta } from '../../../lib/feishu/fieldValues';

/** Pure planning makes no calls: any call is a bug. */
const noCalls = new Proxy(
	{},
	{
		get: (_t, p) =>
			p === 'calls'
				? 0
				: () => {
						throw new Error(`unexpected call ${String(p)}`);
					},
	},
) as BitableClient;

const FIELDS: FieldMeta[] = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
	{ field_name: 'When', type: 5 },
	{ field_name: 'Note', type: 1 },
	{ field_name: 'Mine', type: 1 },
];
const opts = (mode: SyncMode, extra = {}) => ({
	mode,
	duplicateInputKeys: 'error' as const,
	dedupe: false,
	thresholds: { maxDeleteCount: -1, maxDeletePercent: 100 },
	timeZone: 'Asia/Shanghai',
	attachmentHashes: {},
	...extra,
});
const seg = (s: string) => [
	{ type: 'text', text: s.slice(0, 3) },
	{ type: 'text', text: s.slice(3) },
];

async function plan(
	mode: SyncMode,
	items: Record<string, unknown>[],
	records: BitableRecord[],
	extra = {},
	keyFields = ['Code'],
) {
	const input: SyncInputItem[] = items.map((values, index) => ({ index, values }));
	const schema = resolveSchema(FIELDS, input, {
		keyFields,
		createMissingFields: false,
		strategy: 'base',
		timeZone: 'Asia/Shanghai',
	});
	const prepared = await prepareItems(noCalls, schema, input, { timeZone: 'Asia/Shanghai' });
	return buildPlan(
		prepared,
		schema,
		indexTable(records, schema.keyFields, { timeZone: 'Asia/Shanghai' }),
		opts(mode, extra),
	);
}

const rec = (id: string, fields: Record<string, unknown>): BitableRecord => ({ record_id: id, fields });

describe('keys', () => {
	it('builds single and composite keys; an empty part means no key', () => {
		expect(buildKey(['A'])).toBe('A');
		expect(buildKey([12])).toBe('12');
		expect(displayKey(buildKey(['A', 1714521600000]) as string)).toBe('A + 1714521600000');
		expect(buildKey(['A', null])).toBeUndefined();
		expect(buildKey([''])).toBeUndefined();
	});
});

describe('mapping and inference', () => {
	it('maps by name with renames and exclusions', () => {
		expect(autoMapItem({ id: 1, name: 'x', secret: 's' }, { renames: { id: 'Code' }, exclude: ['secret'] })).toEqual({
			Code: 1,
			name: 'x',
		});
		expect(parseRenames('id=Code, 名称 -> Name')).toEqual({ id: 'Code', 名称: 'Name' });
	});
	it('infers types per strategy, never a type a value cannot take', () => {
		expect(inferField('a', [1, '2.5'], 'base').type).toBe(2);
		expect(inferField('a', ['007', '1'], 'base').type).toBe(1);
		expect(inferField('a', [1, 'x'], 'auto').type).toBe(1);
		expect(inferField('a', ['2024-05-01 10:00:00', null], 'base').type).toBe(5);
		expect(inferField('a', [true, false], 'raw').type).toBe(1);
		expect(inferField('a', ['a', 'b', 'a', 'b'], 'auto').type).toBe(3);
		expect(inferField('a', ['a', 'b', 'c', 'd'], 'auto').type).toBe(1);
		expect(inferField('a', ['13800000000', '+86 138 0000 0001'], 'auto').type).toBe(13);
		expect(inferField('a', ['13800000000'], 'base').type).toBe(2);
	});
});

describe('plan', () => {
	const table = [
		rec('rec1', { Code: seg('K-1'), Qty: 1, When: Date.UTC(2024, 4, 1), Mine: 'm' }),
		rec('rec2', { Code: seg('K-2'), Qty: 2 }),
		rec('rec3', { Code: seg('K-3'), Qty: 3 }),
		rec('rec4', { Qty: 4 }),
	];
	const input = [
		{ Code: 'K-1', Qty: '1.0', When: '2024-05-01 08:00:00' },
		{ Code: 'K-2', Qty: 20 },
		{ Code: 'K-5', Qty: 5 },
	];

	it('upsert: unchanged by normalisation, updates only changed columns, creates new keys', async () => {
		const p = await plan('upsert', input, table);
		expect(p.unchanged.map((u) => u.record_id)).toEqual(['rec1']);
		expect(p.updates.map((u) => [u.record_id, u.cols])).toEqual([['rec2', [1]]]);
		expect(p.creates.map((c) => c.key)).toEqual(['K-5']);
		expect(p.deletes).toEqual([]);
		expect(p.recordsWithoutKey).toBe(1);
	});

	it('mirror deletes absent keys (not keyless records); prune the same from keys only', async () => {
		expect((await plan('mirror', input, table)).deletes.map((d) => d.record_id)).toEqual(['rec3']);
		expect((await plan('prune', [{ Code: 'K-1' }, { Code: 'K-3' }], table)).deletes.map((d) => d.record_id)).toEqual([
			'rec2',
		]);
	});

	it('overwrite and clone keep only identical records; clone deletes everything else', async () => {
		const o = await plan(
			'overwrite',
			[
				{ Code: 'K-2', Qty: 2 },
				{ Code: 'K-1', Qty: 1, When: '2024-05-01 08:00:00' },
			],
			table,
		);
		expect(o.unchanged.map((u) => u.record_id)).toEqual(['rec2']);
		expect(o.deletes.map((d) => d.record_id)).toEqual(['rec1']); // rec1 has an unmapped value (Mine)
		const c = await plan('clone', [{ Code: 'K-2', Qty: 2 }], table);
		expect(c.deletes.map((d) => d.record_id).sort()).toEqual(['rec1', 'rec3', 'rec4']);
		expect(c.deletesFirst).toBe(true);
	});

	it('input duplicates: refused with the keys and items, or last wins', async () => {
		await expect(plan('upsert', [{ Code: 'A' }, { Code: 'A' }], [])).rejects.toBeInstanceOf(DuplicateKeysError);
		const p = await plan(
			'upsert',
			[
				{ Code: 'A', Qty: 1 },
				{ Code: 'A', Qty: 2 },
			],
			[],
			{ duplicateInputKeys: 'lastWins' },
		);
		expect(p.creates.map((c) => c.index)).toEqual([1]);
		expect(p.skipped.map((s) => s.index)).toEqual([0]);
	});

	it('table duplicates: reported; dedupe keeps the closest and deletes the rest', async () => {
		const dup = [
			rec('recA', { Code: 'D', Qty: 9 }),
			rec('recB', { Code: 'D', Qty: 1 }),
			rec('recC', { Code: 'D', Qty: 7 }),
		];
		const plain = await plan('upsert', [{ Code: 'D', Qty: 1 }], dup);
		expect(plain.duplicateKeysInTable).toEqual(['D']);
		expect(plain.updates.map((u) => u.record_id)).toEqual(['recA', 'recC']);
		const deduped = await plan('upsert', [{ Code: 'D', Qty: 1 }], dup, { dedupe: true });
		expect(deduped.unchanged.map((u) => u.record_id)).toEqual(['recB']);
		expect(deduped.deletes.map((d) => d.record_id)).toEqual(['recA', 'recC']);
	});

	it('threshold: count and percent of keyed records, checked before anything is written', async () => {
		const many = Array.from({ length: 10 }, (_, i) => rec(`r${i}`, { Code: `C${i}` }));
		await expect(
			plan('mirror', [{ Code: 'C0' }], many, { thresholds: { maxDeleteCount: 5, maxDeletePercent: 100 } }),
		).rejects.toBeInstanceOf(ThresholdError);
		await expect(
			plan(
				'mirror',
				Array.from({ length: 7 }, (_, i) => ({ Code: `C${i}` })),
				many,
				{ thresholds: { maxDeleteCount: -1, maxDeletePercent: 20 } },
			),
		).rejects.toThrow(/3 of 10 records \(30\.0%\)/);
		expect(
			(
				await plan(
					'mirror',
					Array.from({ length: 8 }, (_, i) => ({ Code: `C${i}` })),
					many,
					{ thresholds: { maxDeleteCount: -1, maxDeletePercent: 20 } },
				)
			).deletes,
		).toHaveLength(2);
	});

	it('composite keys', async () => {
		const t = [
			rec('r1', { Code: 'A', When: Date.UTC(2024, 4, 1) }),
			rec('r2', { Code: 'A', When: Date.UTC(2024, 4, 2) }),
		];
		const p = await plan(
			'upsert',
			[
				{ Code: 'A', When: '2024-05-02 08:00:00', Qty: 1 },
				{ Code: 'A', When: '2024-05-03', Qty: 1 },
			],
			t,
			{},
			['Code', 'When'],
		);
		expect(p.updates.map((u) => u.record_id)).toEqual(['r2']);
		expect(p.creates).toHaveLength(1);
	});
});

describe('cost', () => {
	it('the diff of 100,000 rows (coerce, normalise both sides, index, plan) takes under 2 s of CPU', async () => {
		const N = 100_000;
		const items = Array.from({ length: N }, (_, i) => ({
			Code: `K${i}`,
			Qty: `${i}.0`,
			When: '2024-05-01 08:00:00',
			Note: `note ${i} `.repeat(6),
		}));
		const records = Array.from({ length: N }, (_, i) =>
			rec(`rec${i}`, {
				Code: [{ type: 'text', text: `K${i}` }],
				Qty: i + (i % 100 === 0 ? 1 : 0),
				When: Date.UTC(2024, 4, 1),
				Note: seg(`note ${i} `.repeat(6)),
			}),
		);
		const start = process.cpuUsage();
		const p = await plan('upsert', items, records);
		const cpu = process.cpuUsage(start);
		const ms = (cpu.user + cpu.system) / 1000;
		expect(p.updates).toHaveLength(N / 100);
		expect(p.unchanged).toHaveLength(N - N / 100);
		expect(ms).toBeLessThan(2000);
	});
});
