/**
 * "On Error: Continue (using error output)" for every node: n8n-core 2.40 adds an error output to the
 * node and moves each failed item there, good items stay on the main output. Each workflow wires the
 * main output to a NoOp "Ok" and the error output to a NoOp "Failed", as a user would.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { WpsContacts } from '../../nodes/WpsContacts/WpsContacts.node';
import { clearTokenCache } from '../../lib/wps';
import type { FeishuEmulator } from '../emulators/feishu';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';
import { startWpsEmulator, type WpsEmulator } from '../emulators/wps';
import {
	createTestDatabase,
	HarnessNodeTypes,
	MANUAL_TRIGGER,
	WorkflowRunner,
	type HarnessNode,
	type TestDatabase,
} from '../harness';
import { TASKS_DDL } from './recordStatusCases';
import { MAPPING } from './wpsContacts/setup';

const nodeTypes = new HarnessNodeTypes();
const TYPES = {
	mysql: nodeTypes.register(MySqlQuery),
	bitable: nodeTypes.register(FeishuBitable),
	status: nodeTypes.register(RecordStatus),
	bot: nodeTypes.register(FeishuBot),
	wps: nodeTypes.register(WpsContacts),
};
const APP = { appId: 'cli_error_output', appSecret: 'error-output-secret' };
const APP_TOKEN = 'bascnErrorOutputBase000001';

let db: TestDatabase;
let feishu: FeishuEmulator;
let wps: WpsEmulator;

beforeAll(async () => {
	db = await createTestDatabase('eo');
	await db.admin.query(TASKS_DDL);
	feishu = await startAppInBase({ ...APP, name: 'Error Output App' }, APP_TOKEN, {
		seed: 13,
		baseName: 'Error Output Base',
	});
	wps = await startWpsEmulator({ rateLimits: 'off' });
});

afterAll(async () => {
	clearTokenCache();
	await db.drop();
	await feishu.close();
	await wps.close();
});

const feishuApp = () => appCredential(APP, feishu);

/** A run of a Feishu Bitable node with `parameters` on one table of the test base, on the Start items given. */
const runBitable = (tableId: string, parameters: IDataObject, items: IDataObject[]) =>
	errorOutputWorkflow({
		type: TYPES.bitable,
		parameters: {
			...parameters,
			base: { __rl: true, mode: 'id', value: APP_TOKEN },
			table: { __rl: true, mode: 'id', value: tableId },
		},
		credentials: ['feishuAppApi'],
	}).run({ credentials: { feishuAppApi: feishuApp() }, pinData: { Start: items } });

/** The node's main output `main` goes to "Ok", its error output (the last one) to "Failed". */
function errorOutputWorkflow(node: Omit<HarnessNode, 'name' | 'onError'>, mainOutputs = 1, inputs: string[] = []) {
	const sources = inputs.length ? inputs : ['Start'];
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			...inputs.map((name) => ({ name, type: 'n8n-nodes-base.noOp' })),
			{ name: 'Node', ...node, onError: 'continueErrorOutput' },
			{ name: 'Ok', type: 'n8n-nodes-base.noOp' },
			{ name: 'Failed', type: 'n8n-nodes-base.noOp' },
		],
		connections: [
			...inputs.map((name) => ['Start', name] as [string, string]),
			...sources.map((name, i) => [name, 'Node', 0, i] as [string, string, number, number]),
			['Node', 'Ok', 0],
			['Node', 'Failed', mainOutputs],
		],
	});
}

const errorsOf = (items: INodeExecutionData[] | undefined) => (items ?? []).map((i) => String(i.json.error ?? ''));

/** The node's error output (its last output): the items as the node's run data holds them. */
const errorOutput = (r: { outputs: Record<string, INodeExecutionData[][]> }) =>
	r.outputs.Node[r.outputs.Node.length - 1];

describe('failed items reach the error output, good ones the main output', () => {
	it("MySQL Query: a failing statement (with its SQL codes) goes to the error output, the other item's rows to the main one", async () => {
		const r = await errorOutputWorkflow({
			type: TYPES.mysql,
			parameters: { operation: 'executeQuery', query: '={{ $json.sql }}' },
			credentials: ['mySqlApi'],
		}).run({
			credentials: { mySqlApi: db.credentials },
			pinData: { Start: [{ sql: 'SELECT 1 AS one' }, { sql: 'SELECT * FROM no_such_table' }] },
		});
		expect(r.error).toBeUndefined();
		expect(r.json('Ok')).toEqual([{ one: 1 }]);
		expect(errorsOf(r.outputs.Failed[0])).toEqual([expect.stringContaining('ER_NO_SUCH_TABLE')]);
		const [failed] = errorOutput(r);
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.error).toMatchObject({
			description: expect.stringContaining('SQLSTATE 42S02'),
			context: { itemIndex: 1 },
		});
	});

	it('Feishu Bitable records: a get of a missing record goes to the error output, the found record to the main one', async () => {
		const tableId = await feishu.admin.createTable({
			appToken: APP_TOKEN,
			name: 'Records',
			fields: [{ field_name: 'Code', type: 1 }],
		});
		const [made] = await feishu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: [{ fields: { Code: 'A-1' } }],
		});
		const r = await runBitable(tableId, { resource: 'record', operation: 'get', recordId: '={{ $json.id }}' }, [
			{ id: made },
			{ id: 'recDoesNotExist' },
		]);
		expect(r.error).toBeUndefined();
		expect(r.json('Ok')).toEqual([expect.objectContaining({ record_id: made, fields: { Code: 'A-1' } })]);
		expect(errorsOf(r.outputs.Failed[0])).toEqual([expect.stringMatching(/RecordIdNotFound|1254043/)]);
		expect(errorOutput(r)[0].pairedItem).toEqual({ item: 1 });
	});

	it('Feishu Bitable Sync: an item whose value does not fit goes to the error output (naming the field), the summary to the main one', async () => {
		const tableId = await feishu.admin.createTable({
			appToken: APP_TOKEN,
			name: 'Sync',
			fields: [
				{ field_name: 'Code', type: 1 },
				{ field_name: 'Amount', type: 2 },
			],
		});
		const r = await runBitable(tableId, { resource: 'sync', mode: 'upsert', keyFields: ['Code'] }, [
			{ Code: 'A', Amount: 5 },
			{ Code: 'B', Amount: 'five' },
		]);
		expect(r.error).toBeUndefined();
		expect(r.json('Ok')).toEqual([expect.objectContaining({ created: 1, failed: 1 })]);
		expect(errorsOf(r.outputs.Failed[0])).toEqual([
			expect.stringMatching(/^Item 1: field "Amount" cannot take the value "five"/),
		]);
		expect(errorOutput(r)[0]).toMatchObject({
			pairedItem: { item: 1 },
			error: { description: expect.stringContaining('Give field "Amount" a number') },
		});
		expect((await feishu.admin.dumpTable(APP_TOKEN, tableId)).records.map((x) => x.fields.Code)).toEqual([
			[{ type: 'text', text: 'A' }],
		]);
	});

	it('Record Status: an unknown target status goes to the error output, a legal transition to the main one', async () => {
		await db.admin.query('DELETE FROM tasks');
		await db.admin.query("INSERT INTO tasks (taskId, status) VALUES ('t1', 'Pending'), ('t2', 'Pending')");
		const r = await errorOutputWorkflow({
			type: TYPES.status,
			parameters: {
				store: 'mysql',
				mysqlTable: 'tasks',
				keyField: 'taskId',
				statusField: 'status',
				operation: 'setStatus',
				findBy: 'key',
				keyValue: '={{ $json.key }}',
				targetStatus: '={{ $json.target }}',
			},
			credentials: ['mySqlApi'],
		}).run({
			credentials: { mySqlApi: db.credentials },
			pinData: {
				Start: [
					{ key: 't1', target: 'Processing' },
					{ key: 't2', target: 'Finished' },
				],
			},
		});
		expect(r.error).toBeUndefined();
		expect(r.json('Ok')).toEqual([expect.objectContaining({ key: 't1', applied: true, status: 'Processing' })]);
		expect(errorsOf(r.outputs.Failed[0])).toEqual([expect.stringContaining('Finished')]);
		const [rows] = await db.admin.query('SELECT taskId, status FROM tasks ORDER BY taskId');
		expect(rows).toEqual([
			{ taskId: 't1', status: 'Processing' },
			{ taskId: 't2', status: 'Pending' },
		]);
	});

	it('Feishu Bot: an item whose card is not JSON goes to the error output (with its description), the sent one to the main one', async () => {
		const { webhookUrl } = await feishu.admin.createBot({ token: `eo-bot-${Date.now()}` });
		const r = await errorOutputWorkflow({
			type: TYPES.bot,
			parameters: { operation: 'sendCard', card: '={{ $json.card }}' },
			credentials: ['feishuBotWebhookApi'],
		}).run({
			credentials: { feishuBotWebhookApi: { webhookUrl, secret: '', keyword: '' } },
			pinData: { Start: [{ card: '{"elements":[]}' }, { card: '{not json' }] },
		});
		expect(r.error).toBeUndefined();
		expect(r.json('Ok')).toEqual([expect.objectContaining({ code: 0, msgType: 'card' })]);
		expect(errorsOf(r.outputs.Failed[0])).toEqual([expect.stringContaining('Card JSON is not valid JSON')]);
		expect(errorOutput(r)[0].pairedItem).toEqual({ item: 1 });
	});

	it('WPS Contacts: a refused run goes to the error output; a preview within limits to the main one', async () => {
		const clientId = `eo_${process.pid}`;
		await wps.admin.seedTenant({ clientId, clientSecret: 'secret' });
		const credentials = {
			wps365Api: { clientId, clientSecret: 'secret', baseUrl: wps.baseUrl, signing: false },
			mySqlApi: db.credentials as unknown as IDataObject,
		};
		const workflow = (options: IDataObject) =>
			errorOutputWorkflow(
				{
					type: TYPES.wps,
					parameters: {
						...MAPPING,
						operation: 'preview',
						useStateDatabase: false,
						options: { ratePerSecond: 0, ...options },
					} as never,
					credentials: ['wps365Api', 'mySqlApi'],
				},
				2,
				['Departments', 'Users'],
			);
		const data = {
			Departments: [{ id: '10', parent_id: '0', name: 'Sales' }],
			Users: [{ id: 'e1', name: 'Ann', dept_ids: '10', email: '', title: '' }],
		};
		const bad = await workflow({ maxDeletions: -5 }).run({ credentials, pinData: data });
		expect(bad.error).toBeUndefined();
		expect(bad.outputs.Ok).toBeUndefined();
		expect(errorsOf(bad.outputs.Failed[0])).toEqual([expect.stringContaining('Deletion Threshold (Count)')]);

		const good = await workflow({}).run({ credentials, pinData: data });
		expect(good.error).toBeUndefined();
		expect(good.json('Ok')).toEqual([expect.objectContaining({ withinLimits: true })]);
		expect(good.outputs.Failed).toBeUndefined();
	});
});
