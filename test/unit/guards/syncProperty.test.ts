/**
 * Property: a Bitable sync of random items against random field types either writes exactly the valid
 * plan or writes nothing. The oracle decides each item from the field coercion alone (an item is valid
 * when every mapped value coerces and its key is not empty); the sync must then
 * - refuse the run with nothing written when an item is invalid (without Continue On Fail) or two valid
 *   items share a key, and
 * - otherwise leave the table as the mode says: every valid item's record holds its values, records of
 *   keys not in the input are untouched (deleted by Mirror, unless an invalid item names the key).
 * Runs: BITABLE_PROPERTY_RUNS (default 1000; a run is a few ms, the table lives in memory).
 */
import fc from 'fast-check';
import { runSync } from '../../../lib/bitableSync/runSync';
import type { SyncMode } from '../../../lib/bitableSync/types';
import {
	coerceWriteValue,
	normaliseReadValue,
	plainOfWrite,
	valuesEqual,
	type FieldMeta,
	type PlainValue,
} from '../../../lib/feishu/fieldValues';
import { memoryTable } from './memoryBitable';

const RUNS = Number(process.env.BITABLE_PROPERTY_RUNS ?? 1000);
const ZONE = { timeZone: 'Asia/Shanghai' };
const KEY: FieldMeta = { field_name: 'Code', type: 1 };

const TYPES: FieldMeta[] = [
	{ field_name: 'Text', type: 1 },
	{ field_name: 'Number', type: 2 },
	{ field_name: 'Single', type: 3, property: { options: [{ name: 'a' }, { name: 'b' }] } },
	{ field_name: 'Multi', type: 4, property: { options: [{ name: 'a' }, { name: 'b' }] } },
	{ field_name: 'Date', type: 5 },
	{ field_name: 'Check', type: 7 },
	{ field_name: 'Phone', type: 13 },
	{ field_name: 'Link', type: 15 },
];

/** Values of every kind; which are valid depends on the field's type. */
const VALUE = fc.oneof(
	fc.constantFrom<unknown>(
		null,
		'',
		'a',
		'b',
		'a, b',
		['a', 'b'],
		'five',
		'42',
		42,
		-3.5,
		0,
		true,
		false,
		'yes',
		'maybe',
		'2024-05-01',
		'2024-05-01 08:00:00',
		'20240101',
		'20241341',
		20240101,
		1714521600000,
		'2024-02-31',
		'+86 138 0000 0001',
		'call me',
		'https://example.com/x',
		'not a url',
		{ a: 1 },
		[{ a: 1 }],
	),
	fc.integer({ min: -1000, max: 1000 }),
	fc.string({ maxLength: 6 }),
);
const KEY_VALUE = fc.constantFrom<unknown>('K1', 'K2', 'K3', 'K4', 'K5', 'K6', 7, '', null, undefined, { k: 1 });

const scenario = fc.record({
	fields: fc.subarray(TYPES, { minLength: 1, maxLength: 4 }),
	table: fc.uniqueArray(fc.constantFrom('K1', 'K2', 'K3', 'K4', 'K5', 'K6'), { maxLength: 6 }),
	items: fc.array(fc.record({ key: KEY_VALUE, values: fc.array(VALUE, { minLength: 4, maxLength: 4 }) }), {
		maxLength: 6,
	}),
	mode: fc.constantFrom<SyncMode>('upsert', 'insert', 'mirror'),
	continueOnFail: fc.boolean(),
});

/** An input item's coerced values and key, or undefined when the oracle finds it invalid. */
function oracle(
	fields: FieldMeta[],
	values: Record<string, unknown>,
): { key: string; writes: Map<string, unknown> } | undefined {
	const writes = new Map<string, unknown>();
	for (const field of [KEY, ...fields]) {
		const raw = values[field.field_name];
		if (raw === undefined) {
			if (field === KEY) return undefined;
			continue;
		}
		try {
			writes.set(field.field_name, coerceWriteValue(field, raw, ZONE));
		} catch {
			return undefined;
		}
	}
	const key = plainOfWrite(KEY, writes.get('Code'));
	return key === null || key === '' ? undefined : { key: String(key), writes };
}

const plainOf = (field: FieldMeta, stored: unknown): PlainValue => normaliseReadValue(field, stored, ZONE);

it(`a sync writes exactly the valid plan or nothing (${RUNS} random runs)`, async () => {
	await fc.assert(
		fc.asyncProperty(scenario, async ({ fields, table, items, mode, continueOnFail }) => {
			const all = [KEY, ...fields];
			const seeded = table.map((key, i) =>
				Object.fromEntries(
					[['Code', key], ...fields.map((f) => [f.field_name, i % 2 ? null : undefined])].filter(
						([, v]) => v !== undefined,
					),
				),
			);
			const t = memoryTable(
				all.map((f) => ({ ...f })),
				seeded,
			);
			const before = JSON.stringify(t.records);
			const input = items.map((it, index) => {
				const values: Record<string, unknown> = {};
				if (it.key !== undefined) values.Code = it.key;
				fields.forEach((f, i) => (values[f.field_name] = it.values[i]));
				return { index, values };
			});
			const verdicts = input.map((i) => oracle(fields, i.values));
			const valid = verdicts.filter((v): v is NonNullable<typeof v> => !!v);
			const validKeys = valid.map((v) => v.key);
			const refused = (!continueOnFail && verdicts.some((v) => !v)) || new Set(validKeys).size !== validKeys.length;

			let error: unknown;
			await runSync(t.client, {
				appToken: 'app',
				tableId: 'tbl',
				mode,
				keyFields: ['Code'],
				items: input,
				continueOnFail,
				thresholds: { maxDeleteCount: -1, maxDeletePercent: 100 },
				timeZone: ZONE.timeZone,
			}).catch((e: unknown) => (error = e));

			if (refused) {
				expect(error).toBeDefined();
				expect(t.writes()).toEqual([]);
				expect(JSON.stringify(t.records)).toBe(before);
				return;
			}
			expect(error).toBeUndefined();
			// the table as the mode says, record by record
			const byKey = new Map(t.records.map((r) => [String(plainOf(KEY, r.fields.Code)), r]));
			expect(byKey.size).toBe(t.records.length); // no key twice
			for (const v of valid) {
				const record = byKey.get(v.key);
				expect(record).toBeDefined();
				if (mode === 'insert' && table.includes(v.key)) continue; // insert-only leaves existing records
				for (const field of fields) {
					if (!v.writes.has(field.field_name)) continue;
					const expected = plainOfWrite(field, v.writes.get(field.field_name));
					expect(valuesEqual(field, expected, plainOf(field, record?.fields[field.field_name]))).toBe(true);
				}
			}
			const named = new Set([
				...validKeys,
				...input.map((i) =>
					typeof i.values.Code === 'string' || typeof i.values.Code === 'number' ? String(i.values.Code) : '',
				),
			]);
			for (const key of table) {
				if (validKeys.includes(key)) continue;
				// absent keys: Mirror deletes them unless an invalid item still names them; other modes keep them
				expect(byKey.has(key)).toBe(mode !== 'mirror' || named.has(key));
			}
			expect(t.records.length).toBe(new Set([...validKeys, ...table.filter((k) => byKey.has(k))]).size);
		}),
		{ numRuns: RUNS, seed: Number(process.env.BITABLE_PROPERTY_SEED ?? 20240101) },
	);
});
