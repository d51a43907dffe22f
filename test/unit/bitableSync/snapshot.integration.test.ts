/**
 * Re-syncs that pay only for what changed (lib/bitableSync/snapshot.ts): an unchanged re-sync costs 3 calls, edits
 * and creations made in Feishu since the last run are still seen, deletions made in Feishu are caught by the size
 * check (or a full read every N runs), and Mirror never deletes from the snapshot.
 */
import { APP_TOKEN } from '../feishu/emulatorSetup';
import { useSyncTable } from './syncTable';
import { runSync, sessionClient, type SyncRequest, type SyncResult, type SyncSnapshot } from '../../../lib/bitableSync';

const t = useSyncTable('Snap', [
	{ field_name: 'Key', type: 1 },
	{ field_name: 'Amount', type: 2 },
	{ field_name: 'Note', type: 1 },
	{ field_name: 'Modified', type: 1002 },
]);
beforeAll(() => t.setup.emu.admin.addUser({ open_id: 'ou_someone', name: 'Someone' }));

const N = 1200;
const items = (n: number, amount = (i: number) => i) =>
	Array.from({ length: n }, (_, i) => ({ index: i, values: { Key: `k${i}`, Amount: amount(i) } }));
const request = (over: Partial<SyncRequest>): SyncRequest => t.request({ items: items(N), ...over });
const sync = async (
	over: Partial<SyncRequest>,
	previous?: SyncSnapshot,
	extra: { fullReadEvery?: number; fullRead?: boolean } = {},
): Promise<SyncResult> =>
	runSync(
		sessionClient(t.session),
		request({ ...over, snapshot: { previous, fullReadEvery: extra.fullReadEvery ?? 0, fullRead: extra.fullRead } }),
	);
const plain = async () => (await t.setup.emu.admin.dumpTable(APP_TOKEN, t.tableId)).records;
const byKey = async () => new Map((await plain()).map((r) => [String(r.plain.Key), r]));
/** A person edits in Feishu after the run (Feishu's clock moves on; the test does not wait). */
const later = () => Date.now() + 60_000;

describe('an unchanged re-sync', () => {
	it('costs at most 3 calls and reports every item unchanged', async () => {
		const first = await sync({});
		expect(first.summary.created).toBe(N);
		expect(first.summary.snapshot).toMatchObject({ used: false, fullReadReason: 'noSnapshot' });
		expect(Object.keys(first.snapshot!.records)).toHaveLength(N);

		const again = await sync({}, first.snapshot);
		expect(again.summary).toMatchObject({
			unchanged: N,
			created: 0,
			updated: 0,
			deleted: 0,
			tableRead: 'changedSince',
		});
		expect(again.summary.snapshot).toMatchObject({ used: true, modifiedRead: 0 });
		expect(again.summary.apiCalls).toBeLessThanOrEqual(3);
		// and the one after costs the same
		const third = await sync({}, again.snapshot);
		expect(third.summary.apiCalls).toBeLessThanOrEqual(3);
	});

	it('writes changed input rows without reading them, and only those', async () => {
		const first = await sync({});
		const changed = await sync({ items: items(N, (i) => (i % 100 === 0 ? i + 0.5 : i)) }, first.snapshot);
		expect(changed.summary).toMatchObject({ updated: 12, unchanged: N - 12, created: 0, tableRead: 'changedSince' });
		// fields, changed-since, size, one batch update, the newest Modified time after writing
		expect(changed.summary.apiCalls).toBeLessThanOrEqual(5);
		const table = await byKey();
		expect(table.get('k100')!.plain.Amount).toBe(100.5);
		expect(table.get('k101')!.plain.Amount).toBe(101);
		const after = await sync({ items: items(N, (i) => (i % 100 === 0 ? i + 0.5 : i)) }, changed.snapshot);
		expect(after.summary).toMatchObject({ unchanged: N, updated: 0 });
		expect(after.summary.apiCalls).toBeLessThanOrEqual(3);
	});
});

describe('changes made in Feishu since the last run', () => {
	it('an edit is seen and the input value written back', async () => {
		const first = await sync({});
		const rec = (await byKey()).get('k7')!;
		await t.setup.emu.admin.editRecord({
			appToken: APP_TOKEN,
			tableId: t.tableId,
			recordId: rec.record_id,
			fields: { Amount: 999 },
			asUser: 'ou_someone',
			modifiedTime: later(),
		});
		const again = await sync({}, first.snapshot);
		expect(again.summary).toMatchObject({ updated: 1, unchanged: N - 1, tableRead: 'changedSince' });
		expect(again.summary.snapshot?.modifiedRead).toBe(1);
		expect((await byKey()).get('k7')!.plain.Amount).toBe(7);
	});

	it('a record created in Feishu with an input key is updated, not created twice', async () => {
		const first = await sync({ items: items(N - 1) });
		await t.setup.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: t.tableId,
			records: [{ fields: { Key: `k${N - 1}`, Amount: 1 }, modifiedTime: later() }],
		});
		const again = await sync({}, first.snapshot);
		expect(again.summary).toMatchObject({ created: 0, updated: 1, tableRead: 'changedSince' });
		expect((await plain()).filter((r) => r.plain.Key === `k${N - 1}`)).toHaveLength(1);
	});

	it('a record deleted in Feishu is caught by the size check and created again', async () => {
		const first = await sync({});
		const rec = (await byKey()).get('k3')!;
		await t.setup.emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId: t.tableId, recordIds: [rec.record_id] });
		const again = await sync({}, first.snapshot);
		expect(again.summary.snapshot).toMatchObject({ used: false, fullReadReason: 'countMismatch' });
		expect(again.summary).toMatchObject({ created: 1, tableRead: 'full' });
		expect((await byKey()).has('k3')).toBe(true);
	});

	it('a full read every N runs, and on demand', async () => {
		let snap = (await sync({})).snapshot;
		const reasons: (string | undefined)[] = [];
		for (let run = 0; run < 3; run++) {
			const r = await sync({}, snap, { fullReadEvery: 3 });
			reasons.push(r.summary.snapshot?.fullReadReason);
			snap = r.snapshot;
		}
		expect(reasons).toEqual([undefined, undefined, 'everyN']);
		expect((await sync({}, snap, { fullRead: true })).summary.snapshot?.fullReadReason).toBe('onDemand');
	});

	it('a changed mapping or key reads the whole table', async () => {
		const first = await sync({});
		const other = await sync(
			{ items: items(N).map((i) => ({ ...i, values: { ...i.values, Note: 'x' } })) },
			first.snapshot,
		);
		expect(other.summary.snapshot?.fullReadReason).toBe('changedSetup');
	});
});

describe('Mirror never deletes on a stale snapshot', () => {
	it('a key dropped from the input is deleted after a full read, and only that key', async () => {
		const first = await sync({ mode: 'mirror' });
		// someone deleted k5 in Feishu and created a record the input does not hold
		const k5 = (await byKey()).get('k5')!;
		await t.setup.emu.admin.deleteRecords({ appToken: APP_TOKEN, tableId: t.tableId, recordIds: [k5.record_id] });
		const dropped = items(N).filter((i) => i.values.Key !== 'k9');
		const again = await sync({ mode: 'mirror', items: dropped }, first.snapshot);
		expect(again.summary.tableRead).toBe('full');
		expect(again.summary.deleted).toBe(1);
		const table = await byKey();
		expect(table.has('k9')).toBe(false);
		expect(table.has('k5')).toBe(true);
		expect(table.size).toBe(N - 1);
	});

	it('a dropped key with an intact table still reads the whole table before deleting', async () => {
		const first = await sync({ mode: 'mirror' });
		const again = await sync({ mode: 'mirror', items: items(N).filter((i) => i.values.Key !== 'k9') }, first.snapshot);
		expect(again.summary.snapshot).toMatchObject({ used: false, fullReadReason: 'wouldDelete' });
		expect(again.summary).toMatchObject({ tableRead: 'full', deleted: 1 });
	});

	it('a dry run returns no snapshot', async () => {
		const first = await sync({});
		const dry = await sync({ dryRun: true }, first.snapshot);
		expect(dry.snapshot).toBeUndefined();
		expect(dry.summary.snapshot?.used).toBe(true);
	});
});
