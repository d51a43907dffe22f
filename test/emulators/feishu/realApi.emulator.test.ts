/**
 * The emulator behaves as Feishu's pages say where it used to be lenient (docs/feishu-api.md): date operators,
 * filter length, advanced-permission bases, the base's time zone, field name trimming, response size, and the read
 * anomalies a client must survive (pages that shift, search that lags writes).
 */
import { APP, APP_TOKEN, body, seedBase, startKit, type Kit } from './testkit';
import { joinSegments } from './index';

let k: Kit;
const path = () => ({ app_token: APP_TOKEN, table_id: k.tableId });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const search = (data: Record<string, any> = {}, params: Record<string, any> = {}) =>
	body(k.client.bitable.appTableRecord.search({ path: path(), params, data }));
const names = (res: any): string[] => res.data.items.map((i: any) => joinSegments(i.fields.Name)); // eslint-disable-line @typescript-eslint/no-explicit-any
const cond = (field_name: string, operator: string, value?: string[]) => ({
	field_name,
	operator,
	...(value ? { value } : {}),
});
const where = (conditions: unknown[], conjunction = 'or') =>
	search({ filter: { conjunction, conditions } }, { page_size: 500 });

beforeEach(async () => {
	k = await startKit();
});
afterEach(() => k.close());

describe('date filters', () => {
	it('accept only is, isGreater, isLess, isEmpty, isNotEmpty on date, created and modified time (1254018 otherwise)', async () => {
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [{ fields: { Name: 'a', Due: Date.UTC(2026, 2, 1, 4) } }],
		});
		const day = ['ExactDate', String(Date.UTC(2026, 2, 1, 4))];
		for (const field of ['Due', 'Created', 'Modified']) {
			for (const op of ['is', 'isGreater', 'isLess']) expect((await where([cond(field, op, day)])).code).toBe(0);
			for (const op of ['isEmpty', 'isNotEmpty']) expect((await where([cond(field, op, [])])).code).toBe(0);
			for (const op of ['isNot', 'contains', 'doesNotContain', 'isGreaterEqual', 'isLessEqual']) {
				expect((await where([cond(field, op, day)])).code).toBe(1254018);
			}
		}
		// numbers keep every comparison
		expect((await where([cond('Amount', 'isGreaterEqual', ['1'])])).code).toBe(0);
	});

	it('count days in the base time zone', async () => {
		// 2026-03-01 20:00 UTC is 2 March in Shanghai but 1 March in the base's zone
		const tableId = await seedBase(
			k.emu,
			{ appToken: 'bascnUtcBase', timeZone: 'UTC' },
			[
				{ field_name: 'Name', type: 1 },
				{ field_name: 'Due', type: 5 },
			],
			[{ fields: { Name: 'late', Due: Date.UTC(2026, 2, 1, 20) } }],
		);
		const res = await body(
			k.client.bitable.appTableRecord.search({
				path: { app_token: 'bascnUtcBase', table_id: tableId },
				data: {
					filter: {
						conjunction: 'and',
						conditions: [{ field_name: 'Due', operator: 'is', value: ['ExactDate', String(Date.UTC(2026, 2, 1))] }],
					},
				},
			}),
		);
		expect(names(res)).toEqual(['late']);
		const app = await body(k.client.bitable.app.get({ path: { app_token: 'bascnUtcBase' } }));
		expect(app.data.app.time_zone).toBe('UTC');
	});
});

describe('filter size', () => {
	it('refuses a filter over 2,000 characters (1254107) and more than 10 values in a condition', async () => {
		const long = Array.from({ length: 45 }, (_, i) => cond('Name', 'is', [`${'k'.repeat(40)}${i}`]));
		expect((await where(long)).code).toBe(1254107);
		expect((await where(long.slice(0, 40))).code).toBe(0);
		expect(
			(
				await where([
					cond(
						'Tags',
						'contains',
						Array.from({ length: 11 }, (_, i) => `t${i}`),
					),
				])
			).code,
		).toBe(1254018);
	});
});

describe('a base with advanced permissions', () => {
	it('answers an app without manage rights with success and no records; app get tells is_advanced', async () => {
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [{ fields: { Name: 'a' } }, { fields: { Name: 'b' } }],
		});
		await k.emu.admin.setBaseAdvanced(APP_TOKEN, true);
		const res = await search({}, { page_size: 10 });
		expect(res.code).toBe(0);
		expect(res.data.items).toEqual([]);
		expect(res.data.total).toBe(0);
		expect((await body(k.client.bitable.app.get({ path: { app_token: APP_TOKEN } }))).data.app.is_advanced).toBe(true);
		await k.emu.admin.setBaseAdvanced(APP_TOKEN, true, [APP.appId]);
		expect(names(await search({}, { page_size: 10 })).sort()).toEqual(['a', 'b']);
	});
});

describe('fields', () => {
	it('trims a new field name, as Feishu does', async () => {
		const res = await body(
			k.client.bitable.appTableField.create({ path: path(), data: { field_name: '  Spaced  ', type: 1 } }),
		);
		expect(res.data.field.field_name).toBe('Spaced');
	});
});

describe('response size', () => {
	it('answers 1254030 when a page is too large, and smaller pages pass', async () => {
		await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: Array.from({ length: 40 }, (_, i) => ({ fields: { Name: `r${i}` } })),
		});
		await k.emu.admin.setSearchBehaviour({ maxResponseBytes: 2000 });
		expect((await search({}, { page_size: 40 })).code).toBe(1254030);
		expect((await search({}, { page_size: 5 })).code).toBe(0);
	});
});

describe('page-shift mode', () => {
	it('walks a fresh result per page: a record edited during the read comes twice and another is skipped', async () => {
		const ids = await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: Array.from({ length: 6 }, (_, i) => ({ fields: { Name: `r${i}` }, modifiedTime: 1_000_000 + i })),
		});
		await k.emu.admin.setSearchBehaviour({ pageShift: true });
		const first = await search({}, { page_size: 3 });
		expect(names(first)).toEqual(['r0', 'r1', 'r2']);
		await k.editByHand(ids[0], { Name: 'r0 edited' }, 'ou_base_owner');
		const second = await search({}, { page_size: 3, page_token: first.data.page_token });
		expect(names(second)).toEqual(['r4', 'r5', 'r0 edited']); // r3 skipped, r0 twice
	});
});

describe('search lag mode', () => {
	it('shows creations, edits and deletions only after the lag (emulator clock)', async () => {
		const [kept, gone] = await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [{ fields: { Name: 'kept' } }, { fields: { Name: 'gone' } }],
		});
		await k.emu.admin.setSearchBehaviour({ searchLagMs: 5000 });
		await body(k.client.bitable.appTableRecord.create({ path: path(), data: { fields: { Name: 'new' } } }));
		await k.editByHand(kept, { Name: 'kept edited' }, 'ou_base_owner');
		await body(k.client.bitable.appTableRecord.delete({ path: { ...path(), record_id: gone } }));
		expect(names(await search({}, { page_size: 10 })).sort()).toEqual(['gone', 'kept']);
		// reads by id are not lagged
		const got = await body(
			k.client.bitable.appTableRecord.batchGet({ path: path(), data: { record_ids: [kept, gone] } }),
		);
		expect(got.data.records.map((r: any) => joinSegments(r.fields.Name))).toEqual(['kept edited']); // eslint-disable-line @typescript-eslint/no-explicit-any
		await k.emu.admin.advanceClock(5001);
		expect(names(await search({}, { page_size: 10 })).sort()).toEqual(['kept edited', 'new']);
	});
});

describe('strict where Feishu is strict', () => {
	it("open_ids are per app: a user field refuses another app's open_id (1254066) and reads back this app's", async () => {
		await k.emu.admin.addUser({
			open_id: 'ou_carol_base',
			name: 'Carol',
			email: 'carol@example.com',
			openIds: { [APP.appId]: 'ou_carol_for_test_app' },
		});
		const write = (id: string) =>
			body(k.client.bitable.appTableRecord.create({ path: path(), data: { fields: { Name: id, Owner: [{ id }] } } }));
		expect((await write('ou_carol_base')).code).toBe(1254066);
		expect((await write('ou_carol_for_test_app')).code).toBe(0);
		const looked = await body(
			k.client.contact.user.batchGetId({
				params: { user_id_type: 'open_id' },
				data: { emails: ['carol@example.com'] },
			}),
		);
		expect(looked.data.user_list[0].user_id).toBe('ou_carol_for_test_app');
		const read = await search({}, { page_size: 10 });
		expect(read.data.items[0].fields.Owner[0].id).toBe('ou_carol_for_test_app');
	});

	it('a file_token belongs to the base it was uploaded to (1254069 in another base)', async () => {
		await k.emu.admin.createBase({ appToken: 'bascnOtherBase', apps: [APP.appId] });
		const upload = (appToken: string) =>
			body(
				k.client.drive.media.uploadAll({
					data: {
						file_name: 'a.txt',
						parent_type: 'bitable_file',
						parent_node: appToken,
						size: 3,
						file: Buffer.from('abc'),
					},
				}),
			);
		const here = await upload(APP_TOKEN);
		const there = await upload('bascnOtherBase');
		const token = (r: any) => r.data?.file_token ?? r.file_token; // eslint-disable-line @typescript-eslint/no-explicit-any
		const write = (t: string) =>
			body(
				k.client.bitable.appTableRecord.create({
					path: path(),
					data: { fields: { Name: 'f', Files: [{ file_token: t }] } },
				}),
			);
		expect((await write(token(here))).code).toBe(0);
		expect((await write(token(there))).code).toBe(1254069);
	});
});
