import { APP_TOKEN, body, startKit, type Kit } from './testkit';

let k: Kit;
const path = () => ({ app_token: APP_TOKEN, table_id: k.tableId });
beforeEach(async () => {
	k = await startKit({}, [{ field_name: 'Name', type: 1 }]);
});
afterEach(() => k.close());

describe('tables', () => {
	it('lists tables with table_id, name, revision, paged by page_size <= 100', async () => {
		for (let i = 0; i < 3; i++) await k.emu.admin.createTable({ appToken: APP_TOKEN, name: `T${i}`, fields: [] });
		const res = await body(
			k.client.bitable.appTable.list({ path: { app_token: APP_TOKEN }, params: { page_size: 2 } }),
		);
		expect(res.data).toMatchObject({ has_more: true, total: 4, page_token: expect.any(String) });
		expect(res.data.items[0]).toEqual({ table_id: k.tableId, name: 'Main', revision: expect.any(Number) });
		const next = await body(
			k.client.bitable.appTable.list({
				path: { app_token: APP_TOKEN },
				params: { page_size: 2, page_token: res.data.page_token },
			}),
		);
		expect(next.data.items.map((t: { name: string }) => t.name)).toEqual(['T1', 'T2']);
		expect(next.data.has_more).toBe(false);
		expect(
			(await body(k.client.bitable.appTable.list({ path: { app_token: APP_TOKEN }, params: { page_size: 101 } }))).code,
		).toBe(1254011);
	});

	it('gives every table a primary text field when none is named', async () => {
		const tableId = await k.emu.admin.createTable({
			appToken: APP_TOKEN,
			name: 'Bare',
			fields: [{ field_name: 'Amount', type: 2 }],
			primaryField: 'Missing',
		});
		const fields = (await k.emu.admin.dumpTable(APP_TOKEN, tableId)).fields;
		expect(fields[0]).toMatchObject({ field_name: 'Text', type: 1, is_primary: true });
		expect(fields.filter((f) => f.is_primary)).toHaveLength(1);
	});
});

describe('fields', () => {
	const createField = (field_name: string, type: number, property?: unknown) =>
		body(
			k.client.bitable.appTableField.create({
				path: path(),
				data: { field_name, type, ...(property ? { property } : {}) } as any,
			}),
		); // eslint-disable-line @typescript-eslint/no-explicit-any

	it('lists fields with field_id, field_name, type, ui_type, property, is_primary', async () => {
		await createField('Status', 3, { options: [{ name: 'A' }] });
		const res = await body(k.client.bitable.appTableField.list({ path: path() }));
		expect(res.data.items).toEqual([
			{
				field_id: expect.stringMatching(/^fld/),
				field_name: 'Name',
				type: 1,
				ui_type: 'Text',
				property: null,
				is_primary: true,
			},
			{
				field_id: expect.stringMatching(/^fld/),
				field_name: 'Status',
				type: 3,
				ui_type: 'SingleSelect',
				property: { options: [{ id: expect.stringMatching(/^opt/), name: 'A', color: 0 }] },
				is_primary: false,
			},
		]);
		expect(res.data).toMatchObject({ has_more: false, total: 2 });
	});

	it('refuses a duplicate name with 1254014', async () => {
		expect((await createField('Amount', 2)).code).toBe(0);
		expect((await createField('Amount', 1)).code).toBe(1254014);
		expect((await k.emu.admin.counters()).fieldsCreated).toBe(1);
	});

	it('refuses the 301st field with 1254105', async () => {
		await k.emu.admin.setRateLimits('off');
		for (let i = 1; i < 300; i++) expect((await createField(`F${i}`, 2)).code).toBe(0);
		expect((await createField('F300', 2)).code).toBe(1254105);
	});

	it('updates a field with a full replace (rename, options keep their ids)', async () => {
		const created = await createField('Status', 3, { options: [{ name: 'A' }, { name: 'B' }] });
		const field_id = created.data.field.field_id;
		const optA = created.data.field.property.options[0].id;
		const res = await body(
			k.client.bitable.appTableField.update({
				path: { ...path(), field_id },
				data: { field_name: 'State', type: 3, property: { options: [{ name: 'A' }, { name: 'C' }] } } as any,
			}), // eslint-disable-line @typescript-eslint/no-explicit-any
		);
		expect(res.code).toBe(0);
		expect(res.data.field.field_name).toBe('State');
		expect(res.data.field.property.options.map((o: { name: string }) => o.name)).toEqual(['A', 'C']);
		expect(res.data.field.property.options[0].id).toBe(optA);
		const dup = await body(
			k.client.bitable.appTableField.update({ path: { ...path(), field_id }, data: { field_name: 'Name', type: 3 } }),
		);
		expect(dup.code).toBe(1254014);
	});
});

describe('base and single-record routes', () => {
	it('gets the base meta, one record (read form) and deletes one record', async () => {
		const base = await body(k.client.bitable.app.get({ path: { app_token: APP_TOKEN } }));
		expect(base.data.app).toMatchObject({ app_token: APP_TOKEN, name: 'Test Base', time_zone: 'Asia/Shanghai' });
		const [id] = await k.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId: k.tableId,
			records: [{ fields: { Name: 'one' } }],
		});
		const got = await body(k.client.bitable.appTableRecord.get({ path: { ...path(), record_id: id } }));
		expect(got.data.record).toMatchObject({ record_id: id, fields: { Name: [{ type: 'text', text: 'one' }] } });
		const del = await body(k.client.bitable.appTableRecord.delete({ path: { ...path(), record_id: id } }));
		expect(del.data).toEqual({ deleted: true, record_id: id });
		expect((await body(k.client.bitable.appTableRecord.get({ path: { ...path(), record_id: id } }))).code).toBe(
			1254043,
		);
		expect((await body(k.client.bitable.appTableRecord.delete({ path: { ...path(), record_id: id } }))).code).toBe(
			1254043,
		);
		expect((await k.emu.admin.counters()).recordsDeleted).toBe(1);
	});
});
