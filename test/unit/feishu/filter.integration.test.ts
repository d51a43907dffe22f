/**
 * Filters Feishu accepts (docs/feishu-api.md, "Filters"): date, created-time and modified-time fields take only
 * is / isGreater / isLess / isEmpty / isNotEmpty with a day, counted in the base's time zone; the editor offers
 * only operators that pass; key lookups stay under the 2,000-character limit.
 */
import {
	ALL_FILTER_OPERATORS,
	batchConditions,
	buildConditions,
	conditionChars,
	filterOperatorsFor,
	MAX_FILTER_CHARS,
} from '../../../lib/feishu/filter';
import { FeishuInputError } from '../../../lib/feishu/errors';
import { DATE_FIELD_OPERATORS } from './filterOperators';
import type { FieldMeta } from '../../../lib/feishu/fieldValues';
import { APP, startSetup, type Setup } from './emulatorSetup';

const SH = 'Asia/Shanghai';
const fields = new Map<string, FieldMeta>([
	['Due', { field_name: 'Due', type: 5 }],
	['Created', { field_name: 'Created', type: 1001 }],
	['Modified', { field_name: 'Modified', type: 1002 }],
	['Name', { field_name: 'Name', type: 1 }],
]);

describe('buildConditions on dates', () => {
	it('sends midnight of the day in the base zone; >= and <= become > and < on the neighbouring day', () => {
		const [is, ge, le] = buildConditions(
			[
				{ field: 'Due', operator: 'is', value: '2026-03-01' },
				{ field: 'Created', operator: 'isGreaterEqual', value: '2026-03-01' },
				{ field: 'Modified', operator: 'isLessEqual', value: '2026-03-01' },
			],
			fields,
			SH,
		);
		expect(is).toEqual({ field_name: 'Due', operator: 'is', value: ['ExactDate', String(Date.UTC(2026, 1, 28, 16))] });
		expect(ge).toEqual({
			field_name: 'Created',
			operator: 'isGreater',
			value: ['ExactDate', String(Date.UTC(2026, 1, 27, 16))],
		});
		expect(le).toEqual({
			field_name: 'Modified',
			operator: 'isLess',
			value: ['ExactDate', String(Date.UTC(2026, 2, 1, 16))],
		});
	});

	it('counts the day in the base time zone when it differs from the credential zone', () => {
		const [c] = buildConditions([{ field: 'Due', operator: 'is', value: '2026-03-01' }], fields, SH, 'UTC');
		expect(c.value).toEqual(['ExactDate', String(Date.UTC(2026, 2, 1))]);
		// an instant is the calendar day it falls on for the user (credential zone), expressed in the base zone
		const [d] = buildConditions(
			[{ field: 'Due', operator: 'is', value: String(Date.UTC(2026, 2, 1, 20)) }],
			fields,
			SH,
			'UTC',
		);
		expect(d.value).toEqual(['ExactDate', String(Date.UTC(2026, 2, 2))]);
	});

	it('refuses operators Feishu refuses on dates, naming the field and what to use', () => {
		for (const operator of ['isNot', 'contains', 'doesNotContain']) {
			expect(() => buildConditions([{ field: 'Modified', operator, value: '2026-03-01' }], fields, SH)).toThrow(
				FeishuInputError,
			);
		}
		expect(() => buildConditions([{ field: 'Due', operator: 'isNot', value: '2026-03-01' }], fields, SH)).toThrow(
			/date field "Due".*"isNot"/,
		);
		expect(() => buildConditions([{ field: 'Due', operator: 'is', value: 'soon' }], fields, SH)).toThrow(/needs a day/);
	});

	it('offers every operator on other types, and on dates only those Feishu accepts', () => {
		expect(filterOperatorsFor(1)).toEqual(ALL_FILTER_OPERATORS);
		expect(filterOperatorsFor(undefined)).toEqual(ALL_FILTER_OPERATORS);
		for (const type of [5, 1001, 1002]) expect([...filterOperatorsFor(type)].sort()).toEqual(DATE_FIELD_OPERATORS);
	});
});

describe('against the emulator (as strict as Feishu)', () => {
	let setup: Setup;
	beforeAll(async () => {
		setup = await startSetup({}, [
			{ field_name: 'Key', type: 1 },
			{ field_name: 'Due', type: 5 },
			{ field_name: 'Created', type: 1001 },
			{ field_name: 'Modified', type: 1002 },
		]);
	});
	afterAll(() => setup.close());

	it('every operator the editor offers on a date, created or modified time field is accepted (no 1254018)', async () => {
		const session = setup.session();
		const tableFields = new Map(
			(await session.listFields('bascnTransportBase0000001', setup.tableId)).map((f) => [f.field_name, f as FieldMeta]),
		);
		for (const field of ['Due', 'Created', 'Modified']) {
			for (const operator of filterOperatorsFor(tableFields.get(field)?.type)) {
				const conditions = buildConditions([{ field, operator, value: '2026-03-01' }], tableFields, SH);
				await expect(
					session.searchRecords('bascnTransportBase0000001', setup.tableId, {
						filter: { conjunction: 'and', conditions },
					}),
				).resolves.toEqual([]);
			}
		}
	});

	it('finds a record by day in a base whose zone is not the credential zone', async () => {
		await setup.emu.admin.createBase({ appToken: 'bascnUtcZone', apps: [APP.appId], timeZone: 'UTC' });
		const tableId = await setup.emu.admin.createTable({
			appToken: 'bascnUtcZone',
			name: 'T',
			fields: [
				{ field_name: 'Key', type: 1 },
				{ field_name: 'Due', type: 5 },
			],
		});
		// 20:00 UTC on 1 March: 1 March in the base, already 2 March in Shanghai
		await setup.emu.admin.seedRecords({
			appToken: 'bascnUtcZone',
			tableId,
			records: [{ fields: { Key: 'late', Due: Date.UTC(2026, 2, 1, 20) } }],
		});
		const session = setup.session({ timeZone: SH });
		const zone = (await session.baseInfo('bascnUtcZone')).timeZone;
		expect(zone).toBe('UTC');
		const dueFields = new Map<string, FieldMeta>([['Due', { field_name: 'Due', type: 5 }]]);
		const conditions = buildConditions([{ field: 'Due', operator: 'is', value: '2026-03-01' }], dueFields, SH, zone);
		const found = await session.searchRecords('bascnUtcZone', tableId, { filter: { conjunction: 'and', conditions } });
		expect(found.map((r) => r.record_id)).toHaveLength(1);
	});
});

describe('batchConditions', () => {
	it('keeps each group within 50 conditions and under the filter length limit', () => {
		const conditions = Array.from({ length: 200 }, (_, i) => ({
			field_name: 'Order number',
			operator: 'is',
			value: [`${'x'.repeat(60)}${i}`],
		}));
		const groups = batchConditions(conditions, 50);
		expect(groups.flat()).toEqual(conditions);
		for (const g of groups) {
			expect(g.length).toBeLessThanOrEqual(50);
			expect(g.reduce((n, c) => n + conditionChars(c), 0)).toBeLessThan(MAX_FILTER_CHARS);
		}
		const short = Array.from({ length: 120 }, (_, i) => ({ field_name: 'K', operator: 'is', value: [String(i)] }));
		expect(batchConditions(short, 50).map((g) => g.length)).toEqual([50, 50, 20]);
	});
});
