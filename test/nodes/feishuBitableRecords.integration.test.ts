/** Record and table operations, the table pickers, wiki links and a base the app was not added to. */
import type { IDataObject } from 'n8n-workflow';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { DATE_FIELD_OPERATORS } from '../unit/feishu/filterOperators';
import { APP_TOKEN, useKit } from './feishuBitableKit';

const kit = useKit();
let tableId: string;
const base = { __rl: true, mode: 'id', value: APP_TOKEN };
const table = () => ({ __rl: true, mode: 'id', value: tableId });

beforeAll(async () => {
	tableId = await kit.newTable(
		[
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Qty', type: 2 },
			{ field_name: 'Due', type: 5 },
			{ field_name: 'Tags', type: 4 },
		],
		'Orders',
	);
});

const run = (parameters: IDataObject, items: IDataObject[] = [{}], onError?: 'continueRegularOutput') =>
	kit.run(kit.node({ base, table: table(), ...parameters }, onError ? { onError } : {}), items);

describe('record operations', () => {
	it('create coerces values like Sync and returns plain fields with pairedItem', async () => {
		const r = await run({ resource: 'record', operation: 'create', mappingMode: 'auto' }, [
			{ Code: 'R1', Qty: '3', Due: '2024-05-01 08:00:00', Tags: 'a, b' },
			{ Code: 'R2', Qty: 4 },
		]);
		expect(r.error).toBeUndefined();
		const out = r.json('Bitable');
		expect(out[0]).toMatchObject({ fields: { Code: 'R1', Qty: 3, Due: Date.UTC(2024, 4, 1), Tags: ['a', 'b'] } });
		expect(r.outputs.Bitable[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(out[0].record_id)).toMatch(/^rec/);
	});

	it('get returns a record by id, plain or raw', async () => {
		const [rec] = (await kit.dump(tableId)).filter((d) => d.plain.Code === 'R1');
		const plain = await run({ resource: 'record', operation: 'get', recordId: rec.record_id });
		expect(plain.json('Bitable')[0]).toMatchObject({ record_id: rec.record_id, fields: { Code: 'R1', Qty: 3 } });
		const raw = await run({ resource: 'record', operation: 'get', recordId: rec.record_id, simplify: false });
		expect((raw.json('Bitable')[0].fields as IDataObject).Code).toEqual([{ type: 'text', text: 'R1' }]);
	});

	it('search with the filter builder (dates by day) and with raw filter JSON', async () => {
		/** The codes a search with the builder's conditions finds (all pages). */
		const codesWhere = async (condition: IDataObject[], more: IDataObject = {}) =>
			(
				await run({
					resource: 'record',
					operation: 'search',
					filterType: 'builder',
					conditions: { condition },
					returnAll: true,
					...more,
				})
			)
				.json('Bitable')
				.map((r) => (r.fields as IDataObject).Code);
		expect(await codesWhere([{ field: 'Qty', operator: 'isGreater', value: '3' }], { conjunction: 'and' })).toEqual([
			'R2',
		]);
		expect(await codesWhere([{ field: 'Due', operator: 'is', value: '2024-05-01' }])).toEqual(['R1']);
		const json = await run({
			resource: 'record',
			operation: 'search',
			filterType: 'json',
			filterJson: JSON.stringify({
				conjunction: 'or',
				conditions: [
					{ field_name: 'Code', operator: 'is', value: ['R1'] },
					{ field_name: 'Code', operator: 'is', value: ['R2'] },
				],
			}),
			limit: 1,
		});
		expect(json.json('Bitable')).toHaveLength(1);
	});

	it('update by record id or by key, with the same coercion and a clear refusal', async () => {
		const [rec] = (await kit.dump(tableId)).filter((d) => d.plain.Code === 'R2');
		const byId = await run({
			resource: 'record',
			operation: 'update',
			recordBy: 'id',
			recordId: rec.record_id,
			mappingMode: 'manual',
			fields: { field: [{ name: 'Qty', value: '40' }] },
		});
		expect(byId.json('Bitable')[0]).toMatchObject({ record_id: rec.record_id, fields: { Qty: 40 } });
		const byKey = await run({
			resource: 'record',
			operation: 'update',
			recordBy: 'key',
			keyField: 'Code',
			keyValue: 'R2',
			mappingMode: 'manual',
			fields: { field: [{ name: 'Tags', value: 'x' }] },
		});
		expect(byKey.json('Bitable')[0]).toMatchObject({ record_id: rec.record_id });
		expect((await kit.dump(tableId)).find((d) => d.record_id === rec.record_id)!.plain).toMatchObject({
			Qty: 40,
			Tags: ['x'],
		});
		await kit.emu.admin.resetCounters();
		const bad = await run({
			resource: 'record',
			operation: 'update',
			recordBy: 'id',
			recordId: rec.record_id,
			mappingMode: 'manual',
			fields: { field: [{ name: 'Qty', value: 'many' }] },
		});
		expect(bad.error?.message).toMatch(/Item 0: field "Qty" cannot take the value "many": expected a number/);
		expect(await kit.writeCalls()).toBe(0);
	});

	it('delete by key or by id; Continue On Fail turns a failing item into an error item', async () => {
		const r = await run(
			{ resource: 'record', operation: 'delete', recordBy: 'key', keyField: 'Code', keyValue: '={{ $json.code }}' },
			[{ code: 'R1' }, { code: 'nope' }],
		);
		expect(r.json('Bitable')).toEqual([
			expect.objectContaining({ deleted: true }),
			{ deleted: false, reason: 'no record has this key value' },
		]);
		const missing = await run(
			{ resource: 'record', operation: 'get', recordId: 'recDoesNotExist' },
			[{}],
			'continueRegularOutput',
		);
		expect(String(missing.json('Bitable')[0].error)).toMatch(/1254043/);
	});
});

describe('tables, links and permissions', () => {
	it('lists tables of a base and fields of a table', async () => {
		const tables = await run({ resource: 'table', operation: 'listTables' });
		expect(tables.json('Bitable').map((t) => t.name)).toContain('Orders');
		const fields = await run({ resource: 'table', operation: 'listFields' });
		expect(fields.json('Bitable').map((f) => [f.field_name, f.type_name])).toEqual([
			['Code', 'text'],
			['Qty', 'number'],
			['Due', 'date'],
			['Tags', 'multi select'],
		]);
	});

	it('syncs into a table given by a wiki link (Lark host) with ?table=', async () => {
		await kit.emu.admin.addWikiNode({
			nodeToken: 'wikcnSyncNode000001',
			objType: 'bitable',
			objToken: APP_TOKEN,
			apps: ['cli_bitable_test'],
		});
		const runner = kit.node({
			resource: 'sync',
			base: {
				__rl: true,
				mode: 'url',
				value: `https://acme.sg.larksuite.com/wiki/wikcnSyncNode000001?table=${tableId}&view=vewAbc1234`,
			},
			table: { __rl: true, mode: 'list', value: '' },
			mode: 'upsert',
			keyFields: ['Code'],
		});
		const r = await kit.run(runner, [{ Code: 'W1', Qty: 1 }]);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, tableId, appToken: APP_TOKEN });
	});

	it('a base the app was not added to fails with 91403 and says how to add the app', async () => {
		await kit.emu.admin.createBase({ appToken: 'bascnNotShared000000001', apps: [] });
		const r = await kit.run(
			kit.node({
				resource: 'sync',
				base: { __rl: true, mode: 'id', value: 'bascnNotShared000000001' },
				table: { __rl: true, mode: 'id', value: 'tblNope00000001' },
				mode: 'upsert',
				keyFields: ['Code'],
			}),
			[{ Code: 'x' }],
		);
		expect(r.error?.message).toMatch(/91403/);
		expect((r.error as { description?: string }).description).toMatch(/Add document app/);
	});

	it('the table list search and field pickers read the base', async () => {
		const node = new FeishuBitable();
		const ctx = kit.loadContext({
			base: { __rl: true, mode: 'url', value: `https://x.feishu.cn/base/${APP_TOKEN}` },
			table: { __rl: true, mode: 'list', value: tableId },
		});
		const found = await node.methods.listSearch.searchTables.call(ctx, 'ord');
		expect(found.results).toEqual([{ name: 'Orders', value: tableId }]);
		const fields = await node.methods.loadOptions.getFields.call(ctx);
		expect(fields.map((f) => f.name)).toEqual(['Code', 'Qty', 'Due', 'Tags']);
	});

	it('the operator picker offers only what Feishu accepts on the condition\'s field (dates: no "is not" or "contains")', async () => {
		const node = new FeishuBitable();
		const params: Record<string, unknown> = {
			base: { __rl: true, mode: 'id', value: APP_TOKEN },
			table: { __rl: true, mode: 'id', value: tableId },
		};
		const operators = async (field: string | undefined) => {
			const ctx = kit.loadContext(params, { '&field': field });
			return (await node.methods.loadOptions.getFilterOperators.call(ctx)).map((o) => o.value).sort();
		};
		expect(await operators('Due')).toEqual(DATE_FIELD_OPERATORS);
		expect(await operators('Code')).toContain('contains');
		expect(await operators('Code')).toContain('isNot');
		expect(await operators(undefined)).toHaveLength(10);
	});

	it('search goes on with smaller pages when Feishu answers 1254030 (response too large)', async () => {
		await kit.emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: Array.from({ length: 6 }, (_, i) => ({ fields: { Code: `S${i}`, Qty: i } })),
		});
		const codes = (await kit.dump(tableId)).map((d) => String(d.plain.Code)).sort();
		expect(codes.length).toBeGreaterThanOrEqual(6);
		await kit.emu.admin.setSearchBehaviour({ maxResponseBytes: 300 });
		try {
			const r = await run({ resource: 'record', operation: 'search', filterType: 'none', returnAll: true });
			expect(r.error).toBeUndefined();
			expect(
				r
					.json('Bitable')
					.map((x) => String((x.fields as IDataObject).Code))
					.sort(),
			).toEqual(codes);
		} finally {
			await kit.emu.admin.setSearchBehaviour({});
		}
	});
});
