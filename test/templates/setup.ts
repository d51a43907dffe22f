/** Everything the template tests stand up: MariaDB, the Feishu emulator, the services and n8n's webhooks. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { createTestDatabase, HarnessNodeTypes, pollOnce, type TestDatabase, type WorkflowRunner } from '../harness';
import type { FeishuEmulator } from '../emulators/feishu';
import { FeishuRegistry } from '../../lib/feishu/appState';
import type { Clock } from '../../lib/resilience';
import { RecordStatus } from '../../nodes/RecordStatus/RecordStatus.node';
import { sessionSeam } from '../../nodes/RecordStatus/transport/stores';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { FeishuBitable } from '../../nodes/FeishuBitable/FeishuBitable.node';
import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { GenerationService } from './generationService';
import {
	configure,
	loadTemplate,
	runnerFor,
	stickyText,
	triggerOf,
	WebhookHost,
	type HostedWorkflow,
	type Template,
} from './templates';
import { appCredential, startAppInBase } from '../unit/feishu/emulatorSetup';

export const APP = { appId: 'cli_task_app', appSecret: 'task-app-secret', name: 'Task App' };
export const APP_TOKEN = 'bascnTaskBase000000000001';
/** The front end's secret (Task Intake Auth) and the one n8n's workflows send to Task generation (Task Internal Auth). */
export const INTAKE_AUTH = { name: 'X-Task-Auth', value: 'intake-secret-123' };
export const INTERNAL_AUTH = { name: 'X-Task-Internal-Auth', value: 'internal-secret-456' };
export const CALLBACK_SECRET = 'callback-hmac-secret';
/** Hosts a front end's callbackUrl may name: the stand-in service's /notify is on 127.0.0.1. */
export const CALLBACK_HOSTS = '127.0.0.1';
export const BOT_TOKEN = 'bot-task-alerts';

/**
 * The Bitable fields listed in the intake template's sticky note (with syncState), plus those task-from-bitable's
 * note adds (modifiedAt for the trigger, editedPrompt for prompt edits).
 */
export const TASK_TABLE_FIELDS = [
	{ field_name: 'taskId', type: 1 },
	{
		field_name: 'status',
		type: 3,
		property: { options: ['Pending', 'Processing', 'Completed', 'Failed'].map((name) => ({ name })) },
	},
	{ field_name: 'source', type: 3, property: { options: ['frontend', 'feishu', 'api'].map((name) => ({ name })) } },
	{ field_name: 'userId', type: 1 },
	{ field_name: 'prompt', type: 1 },
	{ field_name: 'productImageUrl', type: 15 },
	{ field_name: 'resultImageUrls', type: 1 },
	{ field_name: 'resultImages', type: 17 },
	{ field_name: 'errorMessage', type: 1 },
	{ field_name: 'attempts', type: 2 },
	{ field_name: 'statusAt', type: 5 },
	{ field_name: 'modifiedAt', type: 1002 },
	{
		field_name: 'syncState',
		type: 3,
		property: { options: ['synced', 'syncing', 'conflict', 'failed'].map((name) => ({ name })) },
	},
	{ field_name: 'editedPrompt', type: 1 },
];

/** Feishu's retries and breaker cooldown run on this clock: an outage costs no real waiting. */
export class VirtualClock implements Clock {
	offset = 0;
	now = () => Date.now() + this.offset;
	sleep = async (ms: number) => {
		this.offset += Math.max(0, ms);
		await new Promise<void>((resolve) => setImmediate(resolve));
	};
}

export interface World {
	db: TestDatabase;
	emu: FeishuEmulator;
	tableId: string;
	service: GenerationService;
	host: WebhookHost;
	clock: VirtualClock;
	nodeTypes: HarnessNodeTypes;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	intakeUrl: string;
	intake: HostedWorkflow;
	generation: HostedWorkflow;
	callback: HostedWorkflow;
	reconcile: HostedWorkflow;
	alert: HostedWorkflow;
	/** The Feishu-side templates: started by polling their Bitable trigger (see pollAndRun). */
	fromBitable: PolledWorkflow;
	promptEdits: PolledWorkflow;
	close(): Promise<void>;
}

export async function startWorld(concurrency = 6): Promise<World> {
	const db = await createTestDatabase('tpl');
	const ddl = /```sql\n([\s\S]*?)```/.exec(stickyText(loadTemplate('task-intake.json')))?.[1];
	if (!ddl) throw new Error('the intake template has no CREATE TABLE sticky note');
	for (const statement of ddl.split(/;\s*\n/).filter((text) => text.trim())) await db.admin.query(statement);

	const emu = await startAppInBase(APP, APP_TOKEN, { seed: 5, baseName: 'Tasks' });
	const tableId = await emu.admin.createTable({
		appToken: APP_TOKEN,
		name: 'Tasks',
		fields: TASK_TABLE_FIELDS,
		primaryField: 'taskId',
	});
	const { webhookUrl } = await emu.admin.createBot({ token: BOT_TOKEN });

	const clock = new VirtualClock();
	sessionSeam.options = { clock, registry: new FeishuRegistry(clock) };

	const service = new GenerationService(CALLBACK_SECRET);
	await service.start();
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		mySqlApi: db.credentials as unknown as ICredentialDataDecryptedObject,
		feishuAppApi: appCredential(APP, emu),
		// The harness resolves credentials by type: the one the HTTP Request nodes send is the internal one (only
		// Task generation's webhook checks it); the hosts below check each webhook's own header.
		httpHeaderAuth: { ...INTERNAL_AUTH },
		crypto: { hmacSecret: CALLBACK_SECRET },
		feishuBotWebhookApi: { webhookUrl, secret: '', keyword: '' },
	};
	const host = new WebhookHost(credentials, concurrency);
	const n8n = await host.start();

	const nodeTypes = new HarnessNodeTypes();
	[RecordStatus, MySqlQuery, FeishuBot, FeishuBitable, FeishuBitableTrigger].forEach((node) =>
		nodeTypes.register(node),
	);
	const bitableUrl = `https://example.feishu.cn/base/${APP_TOKEN}?table=${tableId}`;
	const hosted = (
		file: string,
		config: Record<string, unknown>,
		headerAuth?: { name: string; value: string },
	): HostedWorkflow => {
		const template = configure(loadTemplate(file), config);
		return { template, runner: runnerFor(nodeTypes, template), headerAuth };
	};
	const generationUrl = `${n8n}/webhook/task-generation`;
	const intake = hosted(
		'task-intake.json',
		{ bitableUrl, generationWorkflowUrl: generationUrl, callbackHosts: CALLBACK_HOSTS },
		INTAKE_AUTH,
	);
	const generation = hosted(
		'task-generation.json',
		{
			bitableUrl,
			generationServiceUrl: `${service.baseUrl}/generate`,
			serviceHosts: '127.0.0.1',
			serviceCallbackUrl: `${n8n}/webhook/task-callback`,
			requestTimeoutMs: 10000,
			callbackHosts: CALLBACK_HOSTS,
		},
		INTERNAL_AUTH,
	);
	const callback = hosted('task-callback.json', { bitableUrl, callbackHosts: CALLBACK_HOSTS });
	const reconcile = hosted('task-reconcile.json', { bitableUrl, generationWorkflowUrl: generationUrl, maxAttempts: 3 });
	const alertTemplate = loadTemplate('sync-failure-alert.json');
	const alert = { template: alertTemplate, runner: runnerFor(nodeTypes, alertTemplate) };
	const polled = (file: string): PolledWorkflow => {
		const template = pointTriggersAt(
			configure(loadTemplate(file), { bitableUrl, generationWorkflowUrl: generationUrl }),
			bitableUrl,
		);
		return { template, runner: runnerFor(nodeTypes, template), poller: runnerFor(nodeTypes, template) };
	};
	const fromBitable = polled('task-from-bitable.json');
	const promptEdits = polled('task-prompt-edits.json');
	const intakeUrl = host.host(intake);
	host.host(generation);
	host.host(callback);

	return {
		db,
		emu,
		tableId,
		service,
		host,
		clock,
		nodeTypes,
		credentials,
		intakeUrl,
		intake,
		generation,
		callback,
		reconcile,
		alert,
		fromBitable,
		promptEdits,
		async close() {
			await host.close();
			await service.close();
			await emu.close();
			await db.drop();
			sessionSeam.options = undefined;
		},
	};
}

/** A template started by a polling trigger: `poller` keeps the trigger's static data between polls. */
export interface PolledWorkflow extends HostedWorkflow {
	poller: WorkflowRunner;
}

/** What a user does in each Bitable trigger: paste the table link into its Base. */
function pointTriggersAt(t: Template, bitableUrl: string): Template {
	for (const n of t.nodes) {
		if (n.type.endsWith('.feishuBitableTrigger')) n.parameters.base = { __rl: true, mode: 'url', value: bitableUrl };
	}
	return t;
}

/**
 * One scheduled poll of the workflow's trigger, then (when it emitted something) one execution with
 * the emitted items pinned as the trigger's output, as n8n runs a polling workflow (`runWith`: the
 * same template with other settings).
 */
export async function pollAndRun(world: World, w: PolledWorkflow, runWith: HostedWorkflow = w) {
	const trigger = triggerOf(w.template).name;
	const items = await pollOnce(w.poller, trigger, { credentials: world.credentials });
	if (!items?.length) return { items: [], result: undefined };
	const result = await world.host.track(
		world.host.execute(
			runWith,
			items.map((i) => i.json),
		),
	);
	await world.host.drain();
	return { items: items.map((i) => i.json), result };
}

export async function submit(world: World, task: Record<string, unknown>, auth = INTAKE_AUTH.value) {
	const res = await fetch(world.intakeUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [INTAKE_AUTH.name]: auth },
		body: JSON.stringify(task),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** One scheduled run of the reconciler (the Schedule Trigger's output pinned, as n8n's scheduler would start it). */
export async function reconcileOnce(world: World) {
	const r = await world.host.track(world.host.execute(world.reconcile, { timestamp: new Date().toISOString() }));
	await world.host.drain();
	return r;
}

export async function mysqlTasks(world: World) {
	const [rows] = await world.db.admin.query('SELECT * FROM gen_tasks ORDER BY id');
	return rows as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function bitableTasks(world: World) {
	return (await world.emu.admin.dumpTable(APP_TOKEN, world.tableId)).records;
}

export async function taskRow(world: World, taskId: string) {
	return (await mysqlTasks(world)).find((r) => r.task_id === taskId);
}

export async function taskRecord(world: World, taskId: string) {
	return (await bitableTasks(world)).find((r) => r.plain.taskId === taskId);
}

/** A Feishu user's edit of a row of the task table. */
export function editTaskRow(world: World, recordId: string, fields: Record<string, unknown>, asUser: string) {
	return world.emu.admin.editRecord({ appToken: APP_TOKEN, tableId: world.tableId, recordId, fields, asUser });
}

/**
 * A person (`asUser`) edits the task's prompt in its row while the service generates it, between "Mark Processing"
 * and the result; `then` runs in that same moment, given the row as it was before the edit.
 */
export function editPromptWhileGenerating(
	world: World,
	taskId: string,
	prompt: string,
	asUser: string,
	then: (before: NonNullable<Awaited<ReturnType<typeof taskRecord>>>) => Promise<void> = async () => undefined,
) {
	world.service.whileGenerating = async (request) => {
		if (request.taskId !== taskId) return;
		const record = await taskRecord(world, taskId);
		if (!record) throw new Error(`no row for ${taskId} while it was being generated`);
		await editTaskRow(world, record.record_id, { prompt }, asUser);
		await then(record);
	};
}

/**
 * The world for tests in which a Feishu user edits the task table: the user exists, and both Bitable triggers
 * have made their first poll (activation: it only remembers where the table is, and emits nothing).
 */
export async function startWorldWithEditor(concurrency: number, editor: { open_id: string; name: string }) {
	const world = await startWorld(concurrency);
	await world.emu.admin.addUser(editor);
	for (const w of [world.promptEdits, world.fromBitable]) {
		const first = await pollAndRun(world, w);
		if (first.items.length) throw new Error(`the first poll of ${w.template.name} emitted ${first.items.length} rows`);
	}
	return world;
}

/**
 * startWorldWithEditor for the enclosing file: the world returned is filled in before the first test, the
 * service's generation hook a test set is cleared after it, and the world is closed after the last test.
 */
export function useWorldWithEditor(concurrency: number, editor: { open_id: string; name: string }): World {
	const world = {} as World;
	beforeAll(async () => {
		Object.assign(world, await startWorldWithEditor(concurrency, editor));
	});
	afterEach(() => {
		if (world.service) world.service.whileGenerating = undefined;
	});
	afterAll(async () => {
		await world.close?.();
	});
	return world;
}
