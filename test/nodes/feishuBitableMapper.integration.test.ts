/**
 * Feishu Bitable v2: the column mapper (n8n's resource mapper) through real workflows against the Feishu emulator,
 * and version 1 workflows (renames, field-by-field, Key Field Names) still running unchanged.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { APP_TOKEN, useKit, fieldsOf, OPEN_CLOSED } from './feishuBitableKit';

const FIELDS = fieldsOf('Code:1 Qty:2 State:3 Due:5 Mine:1 Total:20 Created:1001', { State: OPEN_CLOSED });

const kit = useKit();
async function seeded(records: Record<string, unknown>[] = []): Promise<string> {
	const tableId = await kit.newTable(FIELDS);
	if (records.length)
		await kit.emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: records.map((fields) => ({ fields })) });
	await kit.emu.admin.resetCounters();
	return tableId;
}
const byCode = async (tableId: string) =>
	new Map((await kit.dump(tableId)).map((r) => [String(r.plain.Code), r.plain]));
const v2 = { typeVersion: 2 };

/** A record operation of the node (version `typeVersion`) on the table, run on `items`. */
const runRecord = (
	tableId: string,
	operation: string,
	parameters: IDataObject,
	typeVersion: number,
	items: IDataObject[] = [{}],
) =>
	kit.run(
		kit.node(
			{
				resource: 'record',
				operation,
				base: { __rl: true, mode: 'id', value: APP_TOKEN },
				table: { __rl: true, mode: 'id', value: tableId },
				...parameters,
			} as INodeParameters,
			{ typeVersion },
		),
		items,
	);

function loadContext(tableId: string): ILoadOptionsFunctions {
	return kit.loadContext({
		base: { __rl: true, mode: 'id', value: APP_TOKEN },
		table: { __rl: true, mode: 'id', value: tableId },
	});
}

describe("the column mapper loads the table's fields", () => {
	it('with their types, select options, read-only fields shown as such, and which can be a key', async () => {
		const tableId = await seeded();
		const { fields } = await new FeishuBitable().methods.resourceMapping.getColumns.call(loadContext(tableId));
		const byId = new Map(fields.map((f) => [f.id, f]));
		expect(fields.map((f) => f.id)).toEqual(['Code', 'Qty', 'State', 'Due', 'Mine', 'Total', 'Created']);
		expect(fields.map((f) => f.type)).toEqual([
			'string',
			'number',
			'options',
			'dateTime',
			'string',
			'string',
			'string',
		]);
		expect(byId.get('State')!.options).toEqual([
			{ name: 'Open', value: 'Open' },
			{ name: 'Closed', value: 'Closed' },
		]);
		expect(byId.get('Total')).toMatchObject({
			readOnly: true,
			removed: true,
			canBeUsedToMatch: false,
			displayName: 'Total (formula, read-only)',
		});
		expect(byId.get('Created')).toMatchObject({ readOnly: true, removed: true, canBeUsedToMatch: false });
		expect(byId.get('Code')).toMatchObject({
			readOnly: false,
			removed: false,
			canBeUsedToMatch: true,
			displayName: 'Code (text)',
		});
	});
});

describe('Sync v2 with the column mapper', () => {
	it('"Map Each Column Manually": expressions per column, the columns to match on are the key, empty columns are not written', async () => {
		const tableId = await seeded([{ Code: 'A', Qty: 1, Mine: 'keep me' }]);
		const columns = {
			mappingMode: 'defineBelow',
			matchingColumns: ['Code'],
			value: {
				Code: '={{ $json.order_no }}',
				Qty: '={{ $json.amount }}',
				State: '={{ $json.open ? "Open" : "Closed" }}',
				Mine: null,
			},
			schema: [],
		};
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', columns }, v2), [
			{ order_no: 'A', amount: 5, open: true, ignored: 'x' },
			{ order_no: 'B', amount: '7', open: false },
		]);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, updated: 1 });
		const after = await byCode(tableId);
		expect(after.get('A')).toMatchObject({ Qty: 5, State: 'Open', Mine: 'keep me' });
		expect(after.get('B')).toMatchObject({ Qty: 7, State: 'Closed' });
		expect(after.get('B')!.ignored).toBeUndefined();
	});

	it('"Map Automatically": input properties by name, ignored ones dropped, a composite key from two matching columns', async () => {
		const tableId = await seeded([
			{ Code: 'A', Qty: 1, Mine: 'first' },
			{ Code: 'A', Qty: 2, Mine: 'second' },
		]);
		const columns = { mappingMode: 'autoMapInputData', matchingColumns: ['Code', 'Qty'], value: null, schema: [] };
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', columns, ignoreProperties: 'internal' }, v2), [
			{ Code: 'A', Qty: 2, Mine: 'second, edited', internal: 'never written' },
		]);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0]).toMatchObject({ created: 0, updated: 1 });
		const mine = (await kit.dump(tableId)).map((d) => d.plain.Mine).sort();
		expect(mine).toEqual(['first', 'second, edited']);
	});

	it('no column to match on: stopped before anything is read or written, naming the parameter', async () => {
		const tableId = await seeded();
		const r = await kit.run(
			kit.sync(
				tableId,
				{ mode: 'upsert', columns: { mappingMode: 'autoMapInputData', matchingColumns: [], value: null } },
				v2,
			),
			[{ Code: 'A' }],
		);
		expect(r.error?.message).toMatch(/Key Fields \(Columns to Match On\)" is empty/);
		expect(await kit.dump(tableId)).toEqual([]);
		expect(await kit.writeCalls()).toBe(0);
	});
});

describe('record operations v2 with the column mapper', () => {
	it('create and update (found by key) write the mapped columns only', async () => {
		const tableId = await seeded([{ Code: 'K', Qty: 1, Mine: 'keep' }]);
		const create = await runRecord(
			tableId,
			'create',
			{
				columns: { mappingMode: 'defineBelow', value: { Code: '={{ $json.c }}', Qty: '={{ $json.q }}' } },
			},
			2,
			[{ c: 'N', q: 3 }],
		);
		expect(create.error).toBeUndefined();
		expect(create.json('Bitable')[0].record_id).toMatch(/^rec/);
		const update = await runRecord(
			tableId,
			'update',
			{
				recordBy: 'key',
				keyField: 'Code',
				keyValue: 'K',
				columns: { mappingMode: 'autoMapInputData', value: null },
				ignoreProperties: 'note',
			},
			2,
			[{ Qty: 8, note: 'not a column' }],
		);
		expect(update.error).toBeUndefined();
		const after = await byCode(tableId);
		expect(after.get('N')).toMatchObject({ Qty: 3 });
		expect(after.get('K')).toMatchObject({ Qty: 8, Mine: 'keep' });
	});

	it('a read-only column of the saved schema is never sent, even with a value (Feishu would refuse the record)', async () => {
		const tableId = await seeded();
		const columns = {
			mappingMode: 'defineBelow',
			value: { Code: 'R', Total: '99' },
			schema: [
				{ id: 'Code', readOnly: false, removed: false },
				{ id: 'Total', readOnly: true, removed: true },
			],
		};
		const r = await runRecord(tableId, 'create', { columns }, 2);
		expect(r.error).toBeUndefined();
		expect([...(await byCode(tableId)).keys()]).toEqual(['R']);
	});
});

describe('saved version 1 workflows keep working', () => {
	it('a v1 Sync (Key Field Names, renames, exclusions) and a v1 field-by-field create run as before', async () => {
		const tableId = await seeded([{ Code: 'A', Qty: 1 }]);
		const r = await kit.run(
			kit.sync(
				tableId,
				{
					mode: 'upsert',
					keyFields: ['Code'],
					mappingMode: 'auto',
					renames: { rename: [{ from: 'no', to: 'Code' }] },
					exclude: 'skip',
				},
				{ typeVersion: 1 },
			),
			[
				{ no: 'A', Qty: 4, skip: 'x' },
				{ no: 'B', Qty: 6 },
			],
		);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, updated: 1 });
		const c = await runRecord(
			tableId,
			'create',
			{
				mappingMode: 'manual',
				fields: {
					field: [
						{ name: 'Code', value: 'C' },
						{ name: 'Qty', value: '9' },
					],
				},
			},
			1,
		);
		expect(c.error).toBeUndefined();
		const after = await byCode(tableId);
		expect([...after.keys()].sort()).toEqual(['A', 'B', 'C']);
		expect(after.get('A')!.Qty).toBe(4);
		expect(after.get('C')!.Qty).toBe(9);
	});
});

describe('the panel per version', () => {
	const description = new FeishuBitable().description;
	const shown = (version: number, parameters: INodeParameters) =>
		description.properties
			.filter((p: INodeProperties) =>
				NodeHelpers.displayParameter(parameters, p, { typeVersion: version } as never, description),
			)
			.map((p) => p.name);

	it('v2 shows the column mapper; v1 keeps its own parameters; the credentials stand right below Resource', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const v2Sync = shown(2, { resource: 'sync', tableLock: 'mysql' });
		expect(v2Sync).toContain('columns');
		expect(v2Sync).not.toContain('keyFields');
		expect(v2Sync).not.toContain('mappingMode');
		const v1Sync = shown(1, { resource: 'sync', mappingMode: 'auto' });
		expect(v1Sync).toEqual(expect.arrayContaining(['keyFields', 'mappingMode', 'renames', 'tableLock']));
		expect(v1Sync).not.toContain('columns');
		expect(shown(2, { resource: 'record', operation: 'update' })).toContain('columns');
		// n8n's editor draws the credentials where a parameter of type "credentials" stands; without one, above the last
		// parameter a credential depends on (Table Lock, or Shared State at the very bottom)
		for (const version of [1, 2]) {
			const properties = description.properties.filter((p: INodeProperties) =>
				NodeHelpers.displayParameter({ resource: 'sync' }, p, { typeVersion: version } as never, description),
			);
			expect(properties.slice(0, 2).map((p) => [p.name, p.type])).toEqual([
				['resource', 'options'],
				['credentials', 'credentials'],
			]);
		}
	});
});
