/** Verify: read back what was written, by batch_get or one table read (whichever costs fewer calls), and name mismatches. */
import { verifyWritten } from '../../../lib/bitableSync/apply';
import { VerifyError } from '../../../lib/bitableSync/errors';
import type { Prepared } from '../../../lib/bitableSync/prepare';
import type { BitableClient, BitableRecord } from '../../../lib/bitableSync/types';

const prepared = {
	fields: [
		{ field_name: 'Code', type: 1 },
		{ field_name: 'Qty', type: 2 },
		{ field_name: 'Tags', type: 4 },
	],
} as unknown as Prepared;

function client(records: BitableRecord[]) {
	const calls: string[] = [];
	const c = {
		calls: 0,
		batchGetRecords: async (_a: string, _t: string, ids: string[]) => {
			calls.push(`batch_get ${ids.length}`);
			return records.filter((r) => ids.includes(r.record_id));
		},
	} as unknown as BitableClient;
	return { c, calls };
}

it('passes when the read-back values equal what was sent (after normalisation)', async () => {
	const { c, calls } = client([
		{ record_id: 'rec1', fields: { Code: [{ type: 'text', text: 'A' }], Qty: 1, Tags: ['y', 'x'] } },
	]);
	await verifyWritten(
		{ client: c, appToken: 'a', tableId: 't' },
		prepared,
		[{ record_id: 'rec1', key: 'A', fields: { Code: 'A', Qty: 1, Tags: ['x', 'y'] } }],
		10_000,
		async () => [],
		{},
	);
	expect(calls).toEqual(['batch_get 1']);
});

it('stops naming the records and fields that differ, and records that are gone', async () => {
	const { c } = client([{ record_id: 'rec1', fields: { Code: 'A', Qty: 2 } }]);
	const written = [
		{ record_id: 'rec1', key: 'A', fields: { Code: 'A', Qty: 1 } },
		{ record_id: 'rec2', key: 'B', fields: { Code: 'B' } },
	];
	const error = await verifyWritten(
		{ client: c, appToken: 'a', tableId: 't' },
		prepared,
		written,
		10_000,
		async () => [],
		{},
	).catch((e) => e);
	expect(error).toBeInstanceOf(VerifyError);
	expect(error.message).toBe(
		'Verify found 2 records that differ from what was written: rec1 (key A: Qty); rec2 (key B: (record missing))',
	);
});

it('reads the whole table instead when that costs fewer calls', async () => {
	const { c, calls } = client([]);
	let reads = 0;
	const written = Array.from({ length: 1000 }, (_, i) => ({ record_id: `rec${i}`, key: `K${i}`, fields: { Qty: i } }));
	const table = written.map((w) => ({ record_id: w.record_id, fields: { Qty: w.fields.Qty } }));
	await verifyWritten(
		{ client: c, appToken: 'a', tableId: 't' },
		prepared,
		written,
		1000,
		async () => (reads++, table),
		{},
	);
	expect(reads).toBe(1);
	expect(calls).toEqual([]);
});
