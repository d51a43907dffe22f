/**
 * Feishu Bitable (Sync and records), Feishu Bitable Trigger, Record Status and Feishu Bot, bad input:
 * each case fails naming the item, the field and what to do, and nothing is written (the emulator
 * counts no write call and the table is as seeded; the MySQL rows are as seeded; the group got no
 * message; the trigger's state did not move).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { FeishuBitableTrigger } from '../../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { FeishuBot } from '../../../nodes/FeishuBot/FeishuBot.node';
import { RecordStatus } from '../../../nodes/RecordStatus/RecordStatus.node';
import { createTestDatabase, MANUAL_TRIGGER, pollOnce, WorkflowRunner, type TestDatabase } from '../../harness';
import { APP_TOKEN, nodeTypes, useKit, fieldsOf, OPEN_CLOSED } from '../feishuBitableKit';
import { MYSQL_TASKS, TASKS_DDL } from '../recordStatusCases';
import { expectClearError, type ClearError } from './expectClearError';
import { bitableTriggerRunner } from '../bitableTriggerRunner';

const TRIGGER = nodeTypes.register(FeishuBitableTrigger);
const STATUS = nodeTypes.register(RecordStatus);
const BOT = nodeTypes.register(FeishuBot);

const kit = useKit();
let db: TestDatabase;
let tableId: string;
let seeded: unknown;

const FIELDS = fieldsOf('Code:1 Qty:2 When:5 Single:3 Done:7 Phone:13 Files:17 Modified:1002', { Single: OPEN_CLOSED });
const ROWS = [
	{ Code: 'A', Qty: 1 },
	{ Code: 'B', Qty: 2 },
];

beforeAll(async () => {
	tableId = await kit.newTable(FIELDS);
	await kit.emu.admin.seedRecords({ appToken: APP_TOKEN, tableId, records: ROWS.map((fields) => ({ fields })) });
	seeded = await kit.dump(tableId);
	db = await createTestDatabase('badfs');
	await db.admin.query(TASKS_DDL);
	await db.admin.query(
		"INSERT INTO tasks (taskId, status, version, statusAt) VALUES ('t1', 'Pending', 1, '2024-05-01 08:00:00'), ('t2', 'Processing', 4, '2024-05-01 08:00:00')",
	);
});
afterAll(async () => {
	await db.drop();
});
beforeEach(() => kit.emu.admin.resetCounters());

/** Nothing written anywhere this file looks. */
async function expectNothingWritten(): Promise<void> {
	expect(await kit.writeCalls()).toBe(0);
	expect(await kit.dump(tableId)).toEqual(seeded);
	const [rows] = await db.admin.query('SELECT taskId, status, version FROM tasks ORDER BY taskId');
	expect(rows).toEqual([
		{ taskId: 't1', status: 'Pending', version: 1 },
		{ taskId: 't2', status: 'Processing', version: 4 },
	]);
}

const sync = (parameters: INodeParameters = {}, syncOptions: IDataObject = {}): INodeParameters => ({
	mode: 'mirror',
	keyFields: ['Code'],
	...parameters,
	syncOptions: { maxDeletePercent: 100, ...syncOptions },
});
const good = [
	{ Code: 'A', Qty: 1 },
	{ Code: 'B', Qty: 3 },
];
const withItem1 = (values: IDataObject) => [
	{ Code: 'A', Qty: 1 },
	{ Code: 'B', ...values },
];
const FIX = /Nothing was written\. Fix the value/;
const PRIVATE_URL = /"Allow Private Network URLs"/;
/** Item 1 gives `field` a value it cannot hold: refused naming the item and the field. */
const badValue = (
	name: string,
	field: string,
	value: unknown,
	todo: RegExp = FIX,
): [string, INodeParameters, IDataObject[], ClearError] => [
	name,
	sync(),
	withItem1({ [field]: value as IDataObject[string] }),
	{ item: 1, field: `field "${field}"`, todo },
];

const syncCases: Array<[string, INodeParameters, IDataObject[], ClearError]> = [
	[
		'no key field (an expression that gives nothing)',
		sync({ keyFields: '={{ "" }}' }),
		good,
		{ item: 0, field: '"Key Field Names or IDs"', todo: /Pick the field \(or fields\) that identifies a record/ },
	],
	[
		'Max Deletes below -1',
		sync({}, { maxDeleteCount: -5 }),
		good,
		{
			item: 0,
			field: '"Max Deletes"',
			todo: /Set "Max Deletes" to a whole number of at least 0 \(or -1\) \(-1 = no limit\)/,
		},
	],
	[
		'Max Deletes that is not a number',
		sync({}, { maxDeleteCount: '={{ "lots" }}' }),
		good,
		{ item: 0, field: '"Max Deletes"', todo: /Set "Max Deletes"/ },
	],
	[
		'Max Delete Percent above 100',
		sync({}, { maxDeletePercent: 150 }),
		good,
		{ item: 0, field: '"Max Delete Percent"', todo: /from 0 to 100 \(100 = no limit\)/ },
	],
	[
		'Max Delete Percent below 0',
		sync({}, { maxDeletePercent: -1 }),
		good,
		{ item: 0, field: '"Max Delete Percent"', todo: /from 0 to 100/ },
	],
	[
		'Batch Size: Create of 0',
		sync({}, { createBatchSize: 0 }),
		good,
		{ item: 0, field: '"Batch Size: Create"', todo: /from 1 to 1000/ },
	],
	[
		"Batch Size: Delete above Feishu's 500",
		sync({}, { deleteBatchSize: 600 }),
		good,
		{ item: 0, field: '"Batch Size: Delete"', todo: /from 1 to 500/ },
	],
	[
		'Batch Size: Update that is not whole',
		sync({}, { updateBatchSize: 2.5 }),
		good,
		{ item: 0, field: '"Batch Size: Update"', todo: /a whole number/ },
	],
	[
		'Lock Timeout below 0',
		sync({}, { lockTimeoutSec: -1 }),
		good,
		{ item: 0, field: '"Lock Timeout (Seconds)"', todo: /at least 0/ },
	],
	[
		'Request Timeout of 0',
		sync({}, { requestTimeoutMs: 0 }),
		good,
		{ item: 0, field: '"Request Timeout (Ms)"', todo: /at least 1/ },
	],
	badValue('a number field given words', 'Qty', 'five'),
	badValue('a date of eight digits that is no date', 'When', '20241341'),
	badValue('a date that is no date at all', 'When', 'next Tuesday'),
	badValue(
		'an attachment URL on the cloud metadata address',
		'Files',
		'http://169.254.169.254/latest/meta-data/',
		PRIVATE_URL,
	),
	badValue('an attachment URL on the local host', 'Files', 'http://127.0.0.1:9/secret.pdf', PRIVATE_URL),
	badValue('an attachment that is a file path', 'Files', 'file:///etc/passwd'),
	[
		'an item without its key',
		sync(),
		[{ Code: 'A', Qty: 1 }, { Qty: 2 }],
		{ item: 1, field: 'field "Code"', todo: FIX },
	],
	badValue('a single select given two options', 'Single', ['Open', 'Closed']),
	badValue('a checkbox given "maybe"', 'Done', 'maybe'),
	badValue('a phone number given words', 'Phone', 'call me'),
];

describe('Feishu Bitable Sync', () => {
	it.each(syncCases)('%s', async (_name, parameters, items, clear) => {
		const r = await kit.run(kit.sync(tableId, parameters), items);
		expectClearError(r.error, clear);
		await expectNothingWritten();
	});
});

describe('Feishu Bitable records', () => {
	const search = (limit: unknown): INodeParameters => ({
		resource: 'record',
		operation: 'search',
		base: { __rl: true, mode: 'id', value: APP_TOKEN },
		table: { __rl: true, mode: 'id', value: tableId },
		returnAll: false,
		limit: limit as number,
	});
	it.each([
		['a search Limit of 0', 0],
		['a search Limit below 0', -1],
		['a search Limit that is not a number', '={{ "many" }}'],
	])('%s', async (_name, limit) => {
		const r = await kit.run(kit.node(search(limit)), [{}]);
		expectClearError(r.error, { item: 0, field: '"Limit"', todo: /Set "Limit" to a whole number of at least 1/ });
		await expectNothingWritten();
	});

	it('a create whose number field is given words', async () => {
		const r = await kit.run(
			kit.node({
				resource: 'record',
				operation: 'create',
				base: { __rl: true, mode: 'id', value: APP_TOKEN },
				table: { __rl: true, mode: 'id', value: tableId },
				mappingMode: 'auto',
			}),
			[{ Code: 'C', Qty: 'twelve' }],
		);
		expectClearError(r.error, { item: 0, field: 'field "Qty"', todo: /expected a number/ });
		await expectNothingWritten();
	});

	it.each(['create', 'update'])('a %s whose second item is bad writes not even the first', async (operation) => {
		const r = await kit.run(
			kit.node({
				resource: 'record',
				operation,
				base: { __rl: true, mode: 'id', value: APP_TOKEN },
				table: { __rl: true, mode: 'id', value: tableId },
				...(operation === 'update' ? { recordBy: 'key', keyField: 'Code', keyValue: '={{ $json.Code }}' } : {}),
				mappingMode: 'auto',
			}),
			[
				{ Code: 'A', Qty: 5 },
				{ Code: 'B', Qty: 'twelve' },
			],
		);
		expectClearError(r.error, { item: 1, field: 'field "Qty"', todo: /expected a number/ });
		await expectNothingWritten();
	});
});

describe('Feishu Bitable Trigger', () => {
	it.each([
		['a look-back window below 0', -10],
		['a look-back window that is not a number', '={{ "a while" }}'],
	])('%s', async (_name, lookbackSeconds) => {
		const runner = bitableTriggerRunner(nodeTypes, TRIGGER, APP_TOKEN, tableId, { options: { lookbackSeconds } });
		const error = await pollOnce(runner, 'Trigger', { credentials: kit.credentials }).catch((e: unknown) => e);
		expectClearError(error, { item: 0, field: '"Look-Back Window (Seconds)"', todo: /a number of at least 0/ });
		expect(runner.staticData).toEqual({});
		await expectNothingWritten();
	});
});

describe('Record Status', () => {
	const status = (parameters: INodeParameters) =>
		new WorkflowRunner(nodeTypes, {
			nodes: [
				MANUAL_TRIGGER,
				{
					name: 'Status',
					type: STATUS,
					credentials: ['mySqlApi'],
					parameters: {
						// the task table without its source column (the default: none)
						...MYSQL_TASKS,
						sourceField: '',
						operation: 'setStatus',
						findBy: 'key',
						keyValue: '={{ $json.key }}',
						targetStatus: '={{ $json.target }}',
						...parameters,
					},
				},
			],
			connections: [['Start', 'Status']],
		});
	const run = (parameters: INodeParameters, items: IDataObject[]) =>
		status(parameters).run({ credentials: { mySqlApi: db.credentials }, pinData: { Start: items } });
	const processing = [{ key: 't1', target: 'Processing' }];

	const cases: Array<[string, INodeParameters, IDataObject[], ClearError]> = [
		[
			'an Expected Version below 0',
			{ options: { expectedVersion: '-1' } },
			processing,
			{ item: 0, field: '"Expected Version"', todo: /a whole number of at least 0/ },
		],
		[
			'an Expected Version that is not a number',
			{ options: { expectedVersion: 'v2' } },
			processing,
			{ item: 0, field: '"Expected Version"', todo: /Set "Expected Version"/ },
		],
		[
			'an Update Time of eight digits that is no date',
			{ options: { eventTime: '20241341' } },
			processing,
			{ item: 0, field: '"Update Time"', todo: /Give a date such as/ },
		],
		[
			'an Update Time in words',
			{ options: { eventTime: 'yesterday' } },
			processing,
			{ item: 0, field: '"Update Time"', todo: /Give a date such as/ },
		],
		[
			'a target status the transitions do not know',
			{},
			[{ key: 't1', target: 'Finished' }],
			{ item: 0, field: '"Target Status"', todo: /Use one of those statuses/ },
		],
		[
			'an empty key',
			{},
			[{ key: '', target: 'Processing' }],
			{ item: 0, field: '"Key Value"', todo: /Map "Key Value"/ },
		],
		[
			'a bad second item: the first one is not written either',
			{},
			[
				{ key: 't1', target: 'Processing' },
				{ key: 't2', target: 'completed' },
			],
			{ item: 1, field: '"Target Status"', todo: /names are case-sensitive/ },
		],
		[
			'a Find Stuck limit of 0',
			{ operation: 'findStuck', limit: 0 },
			[{}],
			{ item: 0, field: '"Limit"', todo: /at least 1/ },
		],
		[
			'a Find Stuck age below 0',
			{ operation: 'findStuck', rules: { rule: [{ status: 'Pending', olderThanMinutes: -5 }] } },
			[{}],
			{ item: 0, field: '"Older Than (Minutes)"', todo: /Stuck When rule 1, status "Pending"/ },
		],
		[
			'a Find Stuck age that is not a number',
			{ operation: 'findStuck', rules: { rule: [{ status: 'Pending', olderThanMinutes: '={{ "old" }}' }] } },
			[{}],
			{ item: 0, field: '"Older Than (Minutes)"', todo: /Set "Older Than \(Minutes\)"/ },
		],
	];

	it.each(cases)('%s', async (_name, parameters, items, clear) => {
		const r = await run(parameters, items);
		expectClearError(r.error, clear);
		await expectNothingWritten();
	});
});

describe('Feishu Bot', () => {
	const cases: Array<[string, INodeParameters, IDataObject[], ClearError]> = [
		[
			'an empty text (an expression that gives nothing)',
			{ operation: 'sendText', text: '={{ $json.text }}' },
			[{ text: '' }],
			{ item: 0, field: '"Text"', todo: /Write the message/ },
		],
		[
			'a text of spaces',
			{ operation: 'sendText', text: '   ' },
			[{}],
			{ item: 0, field: '"Text"', todo: /Write the message/ },
		],
		[
			'a post with neither title nor lines',
			{ operation: 'sendPost', title: '', lines: '\n\n' },
			[{}],
			{ item: 0, field: '"Title" and "Lines"', todo: /Give the post a title or at least one line/ },
		],
		[
			'a card that is not JSON',
			{ operation: 'sendCard', card: '{not json' },
			[{}],
			{ item: 0, field: 'Card JSON', todo: /Paste the card JSON from the Feishu card builder/ },
		],
		[
			'a card that is a list',
			{ operation: 'sendCard', card: '[1, 2]' },
			[{}],
			{ item: 0, field: 'Card JSON', todo: /Paste the card JSON/ },
		],
		[
			'a card that is a number',
			{ operation: 'sendCard', card: '42' },
			[{}],
			{ item: 0, field: 'Card JSON', todo: /Paste the card JSON/ },
		],
		[
			'a bad second item: the first message is not sent either',
			{ operation: 'sendText', text: '={{ $json.text }}' },
			[{ text: 'deploy done' }, { text: ' ' }],
			{ item: 1, field: '"Text"', todo: /Nothing was sent/ },
		],
	];

	it.each(cases)('%s', async (_name, parameters, items, clear) => {
		const token = `bad-${Math.random().toString(36).slice(2)}`;
		const { webhookUrl } = await kit.emu.admin.createBot({ token });
		const r = await new WorkflowRunner(nodeTypes, {
			nodes: [MANUAL_TRIGGER, { name: 'Bot', type: BOT, parameters, credentials: ['feishuBotWebhookApi'] }],
			connections: [['Start', 'Bot']],
		}).run({
			credentials: { feishuBotWebhookApi: { webhookUrl, secret: '', keyword: '' } },
			pinData: { Start: items },
		});
		expectClearError(r.error, clear);
		expect(await kit.emu.admin.botMessages(token)).toEqual([]);
		await expectNothingWritten();
	});
});
