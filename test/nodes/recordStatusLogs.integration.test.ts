/**
 * Record Status opens its Feishu session like every node (nodes/shared/feishu/session.ts), so the SDK's log lines
 * of a run reach n8n's logger: the one n8n-core hands the node as `this.logger` (its DI container's Logger).
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import type { FeishuEmulator } from '../emulators/feishu';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';
import { RECORD_STATUS, nodeTypes } from './recordStatusCases';
import { MANUAL_TRIGGER, WorkflowRunner } from '../harness';

// An app of its own: an app's SDK client keeps the log sink the latest session gave it, so another test's session
// of the same app in this process must not be the one that passes the lines on.
const APP = { appId: 'cli_status_log_app', appSecret: 'status-log-secret', name: 'Status Log App' };
const APP_TOKEN = 'bascnStatusLogBase0000001';
const FIELDS = [
	{ field_name: 'taskId', type: 1 },
	{ field_name: 'status', type: 3, property: { options: [{ name: 'Pending' }, { name: 'Processing' }] } },
];
let emu: FeishuEmulator;
let tableId: string;

beforeAll(async () => {
	emu = await startAppInBase(APP, APP_TOKEN, { seed: 12, baseName: 'Tasks' });
	tableId = await emu.admin.createTable({ appToken: APP_TOKEN, name: 'Tasks', fields: FIELDS, primaryField: 'taskId' });
});

// n8n-core reads the node's `this.logger` from its container on every use: a stand-in there receives the node's lines
const lines: string[] = [];
let original: Logger;
beforeEach(() => {
	original = Container.get(Logger);
	const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
	const stand = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
	Container.set(Logger, { ...stand, scoped: () => stand } as unknown as Logger);
});
afterEach(() => Container.set(Logger, original));

afterAll(async () => {
	await emu.close();
});

it("the Feishu SDK's log lines of a Record Status run reach n8n's logger, without the app secret", async () => {
	// the first record search answers a gateway error: the SDK logs the failed request, the call is retried
	await emu.admin.setFaultPlan({ seed: 1, kinds: ['5xx'], endpoints: ['bitable.records.search'], onCalls: [1] });
	const run = await new WorkflowRunner(nodeTypes, {
		nodes: [
			MANUAL_TRIGGER,
			{
				name: 'Status',
				type: RECORD_STATUS,
				parameters: {
					store: 'bitable',
					base: { __rl: true, mode: 'id', value: APP_TOKEN },
					table: { __rl: true, mode: 'id', value: tableId },
					keyField: 'taskId',
					statusField: 'status',
					operation: 'setStatus',
					findBy: 'key',
					keyValue: 'log-1',
					targetStatus: 'Pending',
					options: { createIfMissing: true },
				},
				credentials: ['feishuAppApi'],
			},
		],
		connections: [['Start', 'Status']],
	}).run({
		credentials: {
			feishuAppApi: appCredential(APP, emu),
		},
		pinData: { Start: [{}] },
	});
	expect(run.error).toBeUndefined();
	expect(run.json('Status')[0]).toMatchObject({ applied: true, status: 'Pending' });
	expect((await emu.admin.counters()).faultsInjected).toEqual({ '5xx': 1 });
	const sdkLines = lines.filter((line) => line.includes('Feishu SDK: '));
	expect(sdkLines.length).toBeGreaterThan(0);
	for (const line of sdkLines) expect(line).not.toContain(APP.appSecret);
});
