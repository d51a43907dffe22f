/**
 * Names that become object keys cannot reach prototypes: watermark names in static data, the trigger's
 * per-record state, attachment hashes by file token.
 */
import { sameAttachments } from '../../../lib/bitableSync/attachments';
import { decideChanges, emptyCursor, type ChangeOptions, type PolledRecord } from '../../../lib/bitableTrigger/cursor';
import {
	InvalidWatermarkNameError,
	StaticDataWatermarkStore,
	type PendingWatermark,
	type ReadStats,
} from '../../../lib/mysql/watermarkStore';

const pending = (executionId: string): PendingWatermark => ({
	executionId,
	position: { value: 5, tie: null, kind: 'number', caughtUp: true },
	config: 'cfg',
	rows: 1,
	readAt: '2024-01-01T00:00:00.000Z',
});
const stats = (executionId: string): ReadStats => ({
	executionId,
	rows: 1,
	full: false,
	at: '2024-01-01T00:00:00.000Z',
});

afterEach(() => {
	// a guard that failed would have left these on every object
	expect(({} as Record<string, unknown>).pending).toBeUndefined();
	expect(({} as Record<string, unknown>).lastRead).toBeUndefined();
});

describe('watermark names', () => {
	it.each(['__proto__', 'constructor', 'prototype'])(
		'"%s" is refused by every step, and no object gains state',
		async (name) => {
			const data: Record<string, unknown> = {};
			const store = new StaticDataWatermarkStore(data);
			await expect(store.recordRead(name, pending('e1'), stats('e1'))).rejects.toBeInstanceOf(
				InvalidWatermarkNameError,
			);
			await expect(store.load(name)).rejects.toThrow(`The watermark name "${name}" is reserved`);
			await expect(store.commit(name, 'e1', 'now')).rejects.toBeInstanceOf(InvalidWatermarkNameError);
			await expect(store.reset(name)).rejects.toBeInstanceOf(InvalidWatermarkNameError);
			expect(JSON.parse(JSON.stringify(data))).toEqual({});
		},
	);

	it('inherited names such as "toString" and "hasOwnProperty" are ordinary watermarks', async () => {
		const data: Record<string, unknown> = {};
		const store = new StaticDataWatermarkStore(data);
		expect(await store.load('toString')).toEqual({});
		expect(await store.commit('hasOwnProperty', 'e1', 'now')).toEqual({ committed: false });
		await store.recordRead('toString', pending('e1'), stats('e1'));
		expect(await store.commit('toString', 'e1', 'now')).toMatchObject({ committed: true });
		const reloaded = new StaticDataWatermarkStore(JSON.parse(JSON.stringify(data)));
		expect((await reloaded.load('toString')).committed?.position.value).toBe(5);
		expect(await reloaded.load('valueOf')).toEqual({});
	});
});

describe("the trigger's state by record id", () => {
	const options: ChangeOptions = {
		created: true,
		updated: true,
		watchFields: ['prompt'],
		lookbackMs: 60_000,
		ignoreModifiedBy: [],
	};
	const rec = (id: string, prompt: string): PolledRecord => ({
		recordId: id,
		modifiedMs: 5000,
		createdMs: 5000,
		fields: { prompt },
	});

	it('ids such as "__proto__" and "constructor" are remembered like any other: each change once', () => {
		const records = ['__proto__', 'constructor', 'toString', 'rec1'].map((id) => rec(id, 'p'));
		const first = decideChanges(emptyCursor(1000), records, options);
		expect(first.changes.map((c) => c.record.recordId).sort()).toEqual([
			'__proto__',
			'constructor',
			'rec1',
			'toString',
		]);
		// as n8n keeps static data: JSON between executions
		const second = decideChanges(JSON.parse(JSON.stringify(first.next)), records, options);
		expect(second.changes).toEqual([]);
		expect(Object.keys(JSON.parse(JSON.stringify(second.next)).seen).sort()).toEqual([
			'__proto__',
			'constructor',
			'rec1',
			'toString',
		]);
	});
});

describe('attachment hashes by file token', () => {
	it('a file token named like an inherited property is not taken for a known hash', () => {
		const file = { name: 'a.png', mimeType: 'image/png', data: Buffer.from('abc'), sha256: 'h1' };
		const table = [{ file_token: 'constructor', name: 'a.png', size: 3 }];
		expect(sameAttachments(table, [{ file }], {})).toBe(true); // by name and size
		expect(
			sameAttachments(table, [{ file: { ...file, sha256: 'h2' } }], { constructor: 'h1' } as Record<string, string>),
		).toBe(false);
	});
});
