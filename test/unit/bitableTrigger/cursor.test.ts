import {
	type ChangeOptions,
	type PolledRecord,
	dayBeforeMs,
	decideChanges,
	emptyCursor,
} from '../../../lib/bitableTrigger/cursor';

const options: ChangeOptions = {
	created: true,
	updated: true,
	watchFields: ['prompt'],
	lookbackMs: 60_000,
	ignoreModifiedBy: ['ou_app'],
};
const rec = (
	id: string,
	modifiedMs: number,
	createdMs: number,
	prompt: string,
	modifiedBy = 'ou_user',
): PolledRecord => ({
	recordId: id,
	modifiedMs,
	createdMs,
	modifiedBy,
	fields: { prompt, status: 'Pending' },
});

describe('trigger cursor', () => {
	it('emits each of many records sharing one timestamp exactly once, whatever the order or repetition', () => {
		const batch = Array.from({ length: 500 }, (_, i) => rec(`rec${i}`, 5000, 5000, `p${i}`));
		const first = decideChanges(emptyCursor(1000), [...batch].reverse(), options);
		expect(first.changes.map((c) => c.record.recordId).sort()).toEqual(batch.map((r) => r.recordId).sort());
		expect(first.changes.every((c) => c.event === 'created')).toBe(true);
		const shuffled = [...batch].sort(() => Math.random() - 0.5);
		const second = decideChanges(JSON.parse(JSON.stringify(first.next)), [...shuffled, ...shuffled], options);
		expect(second.changes).toEqual([]);
	});

	it('catches a record that reaches the index late but inside the look-back window', () => {
		const first = decideChanges(emptyCursor(0), [rec('a', 10_000, 10_000, 'x')], options);
		const late = rec('b', 9_500, 9_500, 'y');
		const second = decideChanges(first.next, [rec('a', 10_000, 10_000, 'x'), late], options);
		expect(second.changes.map((c) => c.record.recordId)).toEqual(['b']);
	});

	it('reports an edit as an update with the watched fields that changed, and skips unwatched edits', () => {
		const first = decideChanges(emptyCursor(0), [rec('a', 1000, 1000, 'cat')], options);
		const unwatched = { ...rec('a', 2000, 1000, 'cat'), fields: { prompt: 'cat', status: 'Processing' } };
		const second = decideChanges(first.next, [unwatched], options);
		expect(second.changes).toEqual([]);
		const third = decideChanges(second.next, [rec('a', 3000, 1000, 'dog')], options);
		expect(third.changes).toHaveLength(1);
		expect(third.changes[0]).toMatchObject({ event: 'updated', changedFields: ['prompt'], previousKnown: true });
	});

	it("skips the app's own edits but remembers their values", () => {
		const first = decideChanges(emptyCursor(0), [rec('a', 1000, 1000, 'cat')], options);
		const echo = decideChanges(first.next, [rec('a', 2000, 1000, 'dog', 'ou_app')], options);
		expect(echo.changes).toEqual([]);
		const human = decideChanges(echo.next, [rec('a', 3000, 1000, 'dog')], { ...options, watchFields: [] });
		expect(human.changes.map((c) => c.event)).toEqual(['updated']);
	});

	it('emits nothing on a silent first poll but remembers what it saw', () => {
		const silent = decideChanges(emptyCursor(5000), [rec('a', 4990, 4990, 'x')], options, true);
		expect(silent.changes).toEqual([]);
		expect(decideChanges(silent.next, [rec('a', 4990, 4990, 'x')], options).changes).toEqual([]);
	});

	it('forgets handled records once they leave the look-back window', () => {
		const first = decideChanges(emptyCursor(0), [rec('a', 1000, 1000, 'x')], options);
		const later = decideChanges(first.next, [rec('b', 200_000, 200_000, 'y')], options);
		expect(Object.keys(later.next.seen)).toEqual(['b']);
	});

	it('turns an instant into the previous midnight in the table time zone', () => {
		const ms = Date.parse('2026-11-23T01:30:00+08:00');
		expect(new Date(dayBeforeMs(ms, 'Asia/Shanghai')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
	});
});

describe('filter builder rows', () => {
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const { buildConditions } = require('../../../lib/feishu/filter') as typeof import('../../../lib/feishu/filter');
	it('splits several values, drops values for empty checks and turns dates into a day', () => {
		const fields = new Map([['Due', { field_name: 'Due', type: 5 }]]);
		expect(
			buildConditions(
				[
					{ field: 'Tags', operator: 'contains', value: 'a，b, c' },
					{ field: 'Note', operator: 'isEmpty', value: 'ignored' },
					{ field: 'Due', operator: 'is', value: '2026-11-23' },
				],
				fields,
				'Asia/Shanghai',
			),
		).toEqual([
			{ field_name: 'Tags', operator: 'contains', value: ['a', 'b', 'c'] },
			{ field_name: 'Note', operator: 'isEmpty', value: [] },
			{ field_name: 'Due', operator: 'is', value: ['ExactDate', String(Date.parse('2026-11-23T00:00:00+08:00'))] },
		]);
	});
});
