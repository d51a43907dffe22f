/**
 * Field types through the Sync node: every writable type is coerced from what people and databases
 * give, re-runs of the same data write nothing, every type refuses a value it cannot hold (before any
 * write), missing fields are created per strategy, and read-only fields are never written.
 */
import { createServer, type Server } from 'http';
import type { IDataObject } from 'n8n-workflow';
import type { AddressInfo } from 'net';
import { APP_TOKEN, BITABLE, useKit, fieldsOf, OPEN_CLOSED } from './feishuBitableKit';
import { WorkflowRunner } from '../harness';

const kit = useKit();
let files: Server;
let filesUrl: string;
let linkTable: string;
let linkIds: string[];

const FILE_A = Buffer.from('%PDF-1.4 the quarterly report');
/** What the file server answers (a test changes it to change "the same URL's" content). */
let served = FILE_A;

beforeAll(async () => {
	await kit.emu.admin.addUser({ open_id: 'ou_ann', name: 'Ann', email: 'ann@example.com', mobile: '+8613800000001' });
	await kit.emu.admin.addUser({ open_id: 'ou_bob', name: 'Bob', email: 'bob@example.com', mobile: '+8613800000002' });
	linkTable = await kit.newTable([{ field_name: 'Name', type: 1 }], 'Linked');
	linkIds = await kit.emu.admin.seedRecords({
		appToken: APP_TOKEN,
		tableId: linkTable,
		records: [{ fields: { Name: 'x' } }, { fields: { Name: 'y' } }],
	});
	files = createServer((req, res) => {
		res.setHeader('content-type', 'application/pdf');
		res.end(served);
	});
	await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
	filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await new Promise((resolve) => files.close(resolve));
});

const TYPED = () =>
	fieldsOf(
		'Code:1 Text:1 Number:2 Single:3 Multi:4 Date:5 Check:7 People:11 Phone:13 Site:15 Files:17 Link:18 Place:22 Total:20 Created:1001',
		{ Single: OPEN_CLOSED, Link: { table_id: linkTable } },
	);

describe('every writable type', () => {
	it('coerces lenient input, and a re-run of the same input writes nothing', async () => {
		const tableId = await kit.newTable(TYPED());
		const item = {
			Code: 'A1',
			Text: 12.5,
			Number: '1,5'.replace(',', '.'),
			Single: 'Closed',
			Multi: 'red, green',
			Date: '2024-05-01 08:00:00',
			Check: 'yes',
			People: 'ann@example.com, +86 138 0000 0002',
			Phone: '+86 138-0000-0003',
			Site: 'https://example.com/a',
			Files: `${filesUrl}/report.pdf`,
			Link: linkIds.join(','),
			Place: '116.397,39.909',
		};
		// the test's file server is on 127.0.0.1
		const runner = kit.sync(tableId, {
			mode: 'upsert',
			keyFields: ['Code'],
			syncOptions: { allowPrivateNetwork: true },
		});
		const first = await kit.run(runner, [item]);
		expect(first.error).toBeUndefined();
		expect(first.json('Bitable')[0]).toMatchObject({ created: 1 });
		const [rec] = await kit.dump(tableId);
		expect(rec.plain).toMatchObject({
			Code: 'A1',
			Text: '12.5',
			Number: 1.5,
			Single: 'Closed',
			Multi: ['red', 'green'],
			Date: Date.UTC(2024, 4, 1),
			Check: true,
			People: ['ou_ann', 'ou_bob'],
			Phone: '+8613800000003',
			Site: { text: 'https://example.com/a', link: 'https://example.com/a' },
			Link: linkIds,
			Place: '116.397,39.909',
		});
		const uploads = await kit.emu.admin.uploads();
		expect(uploads).toHaveLength(1);
		expect(uploads[0]).toMatchObject({ name: 'report.pdf', size: FILE_A.length });

		await kit.emu.admin.resetCounters();
		const again = await kit.run(runner, [item]);
		expect(again.json('Bitable')[0]).toMatchObject({ unchanged: 1, updated: 0 });
		expect(await kit.writeCalls()).toBe(0);
		expect(await kit.emu.admin.uploads()).toHaveLength(1);
	});

	it('takes attachments from n8n binary data, uploading a file only when its content changed', async () => {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Files', type: 17 },
		]);
		const uploadsBefore = (await kit.emu.admin.uploads()).length;
		const runner = new WorkflowRunner(kit.node({}).nodeTypes, {
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
				{
					name: 'Fetch',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: { url: `${filesUrl}/scan.pdf`, options: { response: { response: { responseFormat: 'file' } } } },
				},
				{
					name: 'Bitable',
					type: BITABLE,
					credentials: ['feishuAppApi'],
					parameters: {
						resource: 'sync',
						base: { __rl: true, mode: 'id', value: APP_TOKEN },
						table: { __rl: true, mode: 'id', value: tableId },
						mode: 'upsert',
						keyFields: ['Code'],
						mappingMode: 'manual',
						fields: { field: [{ name: 'Code', value: 'B1' }] },
						syncOptions: { binaryAttachments: { map: [{ field: 'Files', binaryProperty: 'data' }] } },
					},
				},
			],
			connections: [
				['Start', 'Fetch'],
				['Fetch', 'Bitable'],
			],
		});
		const first = await runner.run({ credentials: kit.credentials });
		expect(first.error).toBeUndefined();
		expect(first.json('Bitable')[0]).toMatchObject({ created: 1 });
		expect((await kit.emu.admin.uploads()).length).toBe(uploadsBefore + 1);
		await kit.emu.admin.resetCounters();
		const again = await runner.run({ credentials: kit.credentials });
		expect(again.json('Bitable')[0]).toMatchObject({ unchanged: 1 });
		expect(await kit.writeCalls()).toBe(0);
	});

	it('re-uploads a URL attachment only when its content changed (compared by hash)', async () => {
		const tableId = await kit.newTable([
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Files', type: 17 },
		]);
		const runner = kit.sync(tableId, {
			mode: 'upsert',
			keyFields: ['Code'],
			syncOptions: { allowPrivateNetwork: true },
		});
		const item = { Code: 'U1', Files: `${filesUrl}/contract.pdf` };
		const before = (await kit.emu.admin.uploads()).length;
		await kit.run(runner, [item]);
		await kit.emu.admin.resetCounters();
		expect((await kit.run(runner, [item])).json('Bitable')[0]).toMatchObject({ unchanged: 1 });
		expect(await kit.writeCalls()).toBe(0);
		served = Buffer.from('%PDF-1.4 the signed contract, longer');
		try {
			expect((await kit.run(runner, [item])).json('Bitable')[0]).toMatchObject({ updated: 1 });
		} finally {
			served = FILE_A;
		}
		const uploads = await kit.emu.admin.uploads();
		expect(uploads.length).toBe(before + 2);
		const [rec] = await kit.dump(tableId);
		expect(rec.plain.Files).toEqual([uploads[uploads.length - 1].file_token]);
	});

	it('with Continue On Fail and one item per input, a failing item is an error item in its place and the rest sync', async () => {
		const tableId = await kit.newTable(TYPED());
		const r = await kit.run(
			kit.sync(
				tableId,
				{ mode: 'upsert', keyFields: ['Code'], syncOptions: { output: 'each' } },
				{ onError: 'continueRegularOutput' },
			),
			[
				{ Code: 'a', Number: 1 },
				{ Code: 'b', Date: 'soon' },
				{ Code: 'c', Number: 3 },
			],
		);
		const out = r.json('Bitable');
		expect(out.map((o) => o.action)).toEqual(['created', 'failed', 'created', undefined]);
		expect(out[1].error).toMatch(/Item 1: field "Date" cannot take the value "soon"/);
		expect(r.outputs.Bitable[0][1].pairedItem).toEqual({ item: 1 });
		expect(out[3]).toMatchObject({ created: 2, failed: 1 });
		expect((await kit.dump(tableId)).map((d) => d.plain.Code).sort()).toEqual(['a', 'c']);
	});

	const REFUSALS: [string, unknown, RegExp][] = [
		['Text', 'x'.repeat(100_001), /at most 100000 characters/],
		['Number', 'twelve', /expected a number/],
		['Single', ['Open', 'Closed'], /several values/],
		['Multi', [{ a: 1 }], /expected option names/],
		['Date', 'someday', /expected a date/],
		['Check', 'maybe', /expected a checkbox value/],
		['People', 'nobody@example.com', /no Feishu user has the email nobody@example.com/],
		['Phone', 'call me', /expected a phone number/],
		['Site', 'not a link', /expected a URL/],
		['Files', 'report.pdf', /expected attachments/],
		['Link', 'row-7', /expected linked record ids/],
		['Place', '200,100', /expected a location/],
	];
	it.each(REFUSALS)(
		'refuses a bad %s value before any write, naming item, field, value and type',
		async (field, value, expected) => {
			const tableId = await kit.newTable(TYPED());
			await kit.emu.admin.resetCounters();
			const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), [
				{ Code: 'ok', Number: 1 },
				{ Code: 'bad', [field]: value } as IDataObject,
			]);
			expect(r.error?.message).toMatch(new RegExp(`^Item 1: field "${field}" cannot take the value`));
			expect(r.error?.message).toMatch(expected);
			expect(await kit.writeCalls()).toBe(0);
		},
	);

	it('never writes read-only fields, and says so', async () => {
		const tableId = await kit.newTable(TYPED());
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), [
			{ Code: 'R', Total: 5, Created: 1 },
		]);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0].ignoredFields).toEqual([
			{ field: 'Total', reason: 'formula fields are read-only: never written' },
			{ field: 'Created', reason: 'created time fields are read-only: never written' },
		]);
	});

	it('refuses a read-only key field', async () => {
		const tableId = await kit.newTable(TYPED());
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Total'] }), [{ Total: 1 }]);
		expect(r.error?.message).toMatch(/key field "Total" is a formula field/);
	});
});

describe('creating missing fields', () => {
	const values = [
		{
			Code: 'a',
			Amount: 1.5,
			When: '2024-05-01 10:00:00',
			Paid: true,
			Stage: 'won',
			Tags: ['x'],
			Web: 'https://a.example',
			Tel: '+86 138 0000 0000',
			Mail: 'a@example.com',
			Zip: '007',
		},
		{
			Code: 'b',
			Amount: '2',
			When: '2024-05-02',
			Paid: false,
			Stage: 'won',
			Tags: ['y', 'x'],
			Web: 'https://b.example',
			Tel: '13800000001',
			Mail: 'b@example.com',
			Zip: '010',
		},
		{
			Code: 'c',
			Amount: 3,
			When: '2024-05-03',
			Paid: true,
			Stage: 'lost',
			Tags: [],
			Web: 'https://c.example',
			Tel: '13800000002',
			Mail: 'c@example.com',
			Zip: '011',
		},
		{
			Code: 'd',
			Amount: 4,
			When: null,
			Paid: false,
			Stage: 'won',
			Tags: ['z'],
			Web: 'https://d.example',
			Tel: '13800000003',
			Mail: 'd@example.com',
			Zip: '012',
		},
	];
	const typesAfter = async (strategy: string): Promise<Record<string, [number, string]>> => {
		const tableId = await kit.newTable([{ field_name: 'Code', type: 1 }]);
		const r = await kit.run(
			kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'], syncOptions: { createMissingFields: true, strategy } }),
			values,
		);
		expect(r.error).toBeUndefined();
		expect(r.json('Bitable')[0]).toMatchObject({
			created: 4,
			fieldsCreated: Object.keys(values[0]).filter((k) => k !== 'Code'),
		});
		const { fields } = await kit.emu.admin.dumpTable(APP_TOKEN, tableId);
		return Object.fromEntries(fields.map((f) => [f.field_name, [f.type, f.ui_type]]));
	};

	it('raw: everything as text', async () => {
		const t = await typesAfter('raw');
		expect(Object.values(t).every(([type]) => type === 1)).toBe(true);
	});

	/** "Name:type:ui_type …" as a map of what typesAfter returns. */
	const typesOf = (spec: string) =>
		Object.fromEntries(
			spec.split(' ').map((entry) => {
				const [name, type, uiType] = entry.split(':');
				return [name, [Number(type), uiType]];
			}),
		);
	it.each([
		[
			'base: text, number, date, checkbox',
			'base',
			'Amount:2:Number When:5:DateTime Paid:7:Checkbox Stage:1:Text Web:1:Text Zip:1:Text',
		],
		[
			'auto: also selects, url, phone and email',
			'auto',
			'Amount:2:Number Stage:3:SingleSelect Tags:4:MultiSelect Web:15:Url Tel:13:Phone Mail:1:Email Zip:1:Text',
		],
	])('%s', async (_name, strategy, types) => {
		expect(await typesAfter(strategy)).toMatchObject(typesOf(types));
	});

	it('without the option, unknown properties are left out and listed', async () => {
		const tableId = await kit.newTable([{ field_name: 'Code', type: 1 }]);
		const r = await kit.run(kit.sync(tableId, { mode: 'upsert', keyFields: ['Code'] }), [{ Code: 'x', Extra: 1 }]);
		expect(r.json('Bitable')[0]).toMatchObject({ created: 1, fieldsCreated: [] });
		expect((r.json('Bitable')[0].ignoredFields as { field: string }[]).map((f) => f.field)).toEqual(['Extra']);
	});
});
