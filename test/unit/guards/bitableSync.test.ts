/**
 * Bitable Sync's fail-safe guards, each shown failing safe: no key field, deletions that count toward
 * the limits whatever the mode, limits that are not numbers, and "20240101" as a date.
 */
import { buildKey } from '../../../lib/bitableSync/keys';
import { SyncRefusedError, ThresholdError } from '../../../lib/bitableSync/errors';
import { runSync } from '../../../lib/bitableSync/runSync';
import type { SyncInputItem, SyncMode, SyncRequest } from '../../../lib/bitableSync/types';
import { buildConditions } from '../../../lib/feishu/filter';
import { CoercionError, coerceWriteValue, type FieldMeta } from '../../../lib/feishu/fieldValues';
import { parseDateString } from '../../../lib/feishu/values/time';
import { memoryTable } from './memoryBitable';

const FIELDS: FieldMeta[] = [
	{ field_name: 'Code', type: 1 },
	{ field_name: 'Qty', type: 2 },
];
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ Code: `C${i}`, Qty: i }));
const items = (values: Record<string, unknown>[]): SyncInputItem[] => values.map((v, index) => ({ index, values: v }));

function request(mode: SyncMode, input: SyncInputItem[], extra: Partial<SyncRequest> = {}): SyncRequest {
	return {
		appToken: 'app',
		tableId: 'tbl',
		mode,
		keyFields: ['Code'],
		items: input,
		timeZone: 'Asia/Shanghai',
		...extra,
	};
}

describe('an empty key-field list', () => {
	it.each([
		['no key field', []],
		['an expression that gave an empty name', ['']],
		['a blank name', ['  ']],
	])('is refused before the first read (%s), in every mode', async (_case, keyFields) => {
		for (const mode of ['upsert', 'mirror', 'prune', 'clone'] as SyncMode[]) {
			const t = memoryTable(FIELDS, rows(3));
			const error = await runSync(t.client, request(mode, items(rows(1)), { keyFields: keyFields as string[] })).catch(
				(e: unknown) => e,
			);
			expect(error).toBeInstanceOf(SyncRefusedError);
			expect((error as Error).message).toMatch(/No key field is set: "Key Field Names or IDs" is empty/);
			expect((error as SyncRefusedError).hint).toMatch(/^Nothing was read or written\. Pick the field/);
			expect(t.log).toEqual([]);
			expect(t.records).toHaveLength(3);
		}
	});

	it('no key parts never make the empty string a key', () => {
		expect(buildKey([])).toBeUndefined();
		expect(buildKey([''])).toBeUndefined();
		expect(buildKey(['A', ''])).toBeUndefined();
	});
});

describe('deletions by soft delete and by Clone count toward the delete limits', () => {
	it('soft deletes above Max Delete Percent stop an upsert before any write', async () => {
		const t = memoryTable(FIELDS, rows(10));
		const input = items(rows(3).map((r) => ({ ...r })));
		input.forEach((i) => (i.deleted = true));
		const error = await runSync(t.client, request('upsert', input, { thresholds: { maxDeletePercent: 20 } })).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(ThresholdError);
		expect((error as Error).message).toBe(
			'This run would delete 3 of 10 records (30.0%), more than the limit of 20% of the table',
		);
		expect(t.writes()).toEqual([]);
		expect(t.records).toHaveLength(10);
	});

	it('soft deletes above Max Deletes stop the run too; within the limits they apply', async () => {
		const t = memoryTable(FIELDS, rows(10));
		const flagged = items(rows(2));
		flagged.forEach((i) => (i.deleted = true));
		await expect(
			runSync(t.client, request('upsert', flagged, { thresholds: { maxDeleteCount: 1, maxDeletePercent: 100 } })),
		).rejects.toBeInstanceOf(ThresholdError);
		expect(t.writes()).toEqual([]);
		const done = await runSync(
			t.client,
			request('upsert', flagged, { thresholds: { maxDeleteCount: 2, maxDeletePercent: 100 } }),
		);
		expect(done.summary.deleted).toBe(2);
		expect(t.records.map((r) => r.fields.Code)).not.toContain('C0');
	});

	it('the records Clone removes stop it before any write (a failed query feeding two rows into a full table)', async () => {
		const t = memoryTable(FIELDS, [...rows(6), { Qty: 99 }]);
		const error = await runSync(t.client, request('clone', items(rows(2)))).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ThresholdError);
		expect((error as Error).message).toMatch(/^This run would delete 5 of 7 records/);
		expect(t.writes()).toEqual([]);
		expect(t.records).toHaveLength(7);
	});

	it('records Overwrite replaces by the same key are not removals', async () => {
		const t = memoryTable(FIELDS, rows(4));
		const result = await runSync(
			t.client,
			request('overwrite', items(rows(4).map((r) => ({ ...r, Qty: r.Qty + 100 }))), {
				thresholds: { maxDeleteCount: 0 },
			}),
		);
		expect(result.summary).toMatchObject({ created: 4, deleted: 4 });
	});
});

describe('limits that are not numbers are refused, never read as "no limit"', () => {
	it.each([
		['maxDeleteCount', -5],
		['maxDeleteCount', Number.NaN],
		['maxDeleteCount', 1.5],
		['maxDeleteCount', '10' as unknown as number],
		['maxDeletePercent', -1],
		['maxDeletePercent', 101],
		['maxDeletePercent', Number.POSITIVE_INFINITY],
	])('%s = %p', async (name, value) => {
		const t = memoryTable(FIELDS, rows(5));
		const error = await runSync(t.client, request('mirror', items(rows(1)), { thresholds: { [name]: value } })).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(SyncRefusedError);
		expect((error as Error).message).toMatch(
			name === 'maxDeleteCount'
				? /^"Max Deletes" must be a whole number/
				: /^"Max Delete Percent" must be a number from 0 to 100/,
		);
		expect(t.log).toEqual([]);
		expect(t.records).toHaveLength(5);
	});
});

describe('"20240101" is a date, never epoch seconds', () => {
	const date: FieldMeta = { field_name: 'When', type: 5 };
	const day = parseDateString('2024-01-01', 'Asia/Shanghai') as number;

	it('as text or as a number, written to a date field', () => {
		expect(new Date(day).toISOString()).toBe('2023-12-31T16:00:00.000Z');
		expect(coerceWriteValue(date, '20240101', { timeZone: 'Asia/Shanghai' })).toBe(day);
		expect(coerceWriteValue(date, 20240101, { timeZone: 'Asia/Shanghai' })).toBe(day);
		expect(coerceWriteValue(date, ' 20240229 ', { timeZone: 'UTC' })).toBe(Date.UTC(2024, 1, 29));
	});

	it('eight digits that are no calendar date are refused, not read as seconds', () => {
		for (const value of ['20241341', 20240230, '12345678']) {
			expect(() => coerceWriteValue(date, value, { timeZone: 'Asia/Shanghai' })).toThrow(CoercionError);
		}
		expect(() => coerceWriteValue(date, '20240230', { timeZone: 'Asia/Shanghai' })).toThrow(
			/eight digits that are not a date \(YYYYMMDD\)/,
		);
	});

	it('epoch seconds and ms of other lengths keep their meaning', () => {
		expect(coerceWriteValue(date, 1714521600, {})).toBe(1714521600000);
		expect(coerceWriteValue(date, '1714521600000', {})).toBe(1714521600000);
	});

	it('in a date filter too', () => {
		const fields = new Map([['When', date]]);
		const [condition] = buildConditions(
			[{ field: 'When', operator: 'is', value: '20240101' }],
			fields,
			'Asia/Shanghai',
		);
		expect(condition.value).toEqual(['ExactDate', String(day)]);
		expect(() =>
			buildConditions([{ field: 'When', operator: 'is', value: '20241399' }], fields, 'Asia/Shanghai'),
		).toThrow(/needs a day/);
	});
});
