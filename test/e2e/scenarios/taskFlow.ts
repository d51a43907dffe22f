/**
 * The generation-task templates (task-intake, task-generation, task-callback) running on a real n8n server:
 * test copies wired to a MySQL database, the Feishu emulator's base (a Tasks table created from the template's
 * own "Bitable table" note), and a local stand-in generation service that also plays the front end's callback
 * receiver. The copies get the two Header Auth credentials by the names the templates use (the front end's
 * Task Intake Auth, n8n's own Task Internal Auth), with different header names and values. Used by the e2e test
 * and by the demo.
 */
import { createHmac, randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { FeishuAdmin } from '../../emulators/feishu/admin/client';
import type { FieldSpec, TableDump } from '../../emulators/feishu/types';
import { callWebhook } from '../realN8n';
import {
	deploy,
	executionsOf,
	loadTemplate,
	templateExists,
	testCopy,
	type CopyOptions,
	type Workflow,
} from '../workflowCopies';
import { scenarioTable, type ScenarioContext } from './context';

export const TASK_TEMPLATES = ['task-intake.json', 'task-generation.json', 'task-callback.json'];
export const RECONCILE_TEMPLATE = 'task-reconcile.json';

export interface TaskFlowContext extends ScenarioContext {
	/** every secret handed to n8n, for the secrets check */
	onSecret?: (secret: string) => void;
}

/** How the stand-in generation service answers, chosen by the task's prompt. */
export type ServiceBehaviour = 'succeed' | 'fail' | 'later';

export interface ServiceCall {
	taskId: string;
	version: number;
	callbackUrl: string;
}

/** A signed request to Task callback, as sent (so a test can send exactly it again). */
export interface CallbackRequest {
	raw: string;
	headers: Record<string, string>;
}

export interface HttpAnswer {
	status: number;
	json: any;
}

/** A header credential's header name and value. */
export interface HeaderSecret {
	name: string;
	value: string;
}

/** Hosts the copies allow for the front end's callbackUrl and for the generation service (both stand-ins run here). */
export const ALLOWED_HOSTS = '127.0.0.1';

export interface TaskFlow {
	tableId: string;
	bitableUrl: string;
	/** the credentials the copies use, by type (mySqlApi, feishuAppApi, crypto) */
	credentials: Record<string, { id: string; name: string }>;
	/** the front end's secret (Task Intake Auth) and the one n8n's workflows send to Task generation (Task Internal Auth) */
	secrets: { intake: HeaderSecret; internal: HeaderSecret };
	/** a test copy of a task template wired to this flow: its credentials (Header Auth ones by name) and Config values */
	copy(template: Workflow, options: CopyOptions): Workflow;
	/** the generation copy's production webhook URL (where other workflows hand tasks to) */
	generationUrl: string;
	/** the deployed copies' workflow ids */
	workflowIds: Record<string, string>;
	serviceCalls: ServiceCall[];
	/** the stand-in service's call for a task, once it came */
	waitForServiceCall(taskId: string, timeoutMs?: number): Promise<ServiceCall>;
	/** where the stand-in service serves a task's generated image */
	imageUrl(taskId: string): string;
	/** the front end's callback receiver, on an allowed host, and what it received */
	notifyUrl: string;
	notifications: Array<Record<string, any>>;
	submit(task: {
		taskId: string;
		prompt: ServiceBehaviour;
		userId?: string;
		callbackUrl?: string;
		/** Who created the task (intake's optional `source`); a wrong one is sent as is, to be refused. */
		source?: string;
	}): Promise<HttpAnswer>;
	/** POSTs a raw body to the intake webhook with the front end's secret */
	postIntake(raw: string): Promise<HttpAnswer>;
	/** POSTs a body to the generation webhook with the given headers (n8n's workflows send secrets.internal) */
	postGeneration(body: Record<string, unknown>, headers: Record<string, string>): Promise<HttpAnswer>;
	/**
	 * Sends a result to Task callback as the service does: X-Timestamp (now, or the one given: a stale one is
	 * backdated) and X-Signature over "<timestamp>.<raw body>" with the shared secret (or another `secret`).
	 */
	callback(
		body: Record<string, unknown>,
		options?: { secret?: string; timestamp?: number },
	): Promise<HttpAnswer & { request: CallbackRequest }>;
	/** sends a callback request again, byte for byte */
	resend(request: CallbackRequest): Promise<HttpAnswer>;
	/** the gen_tasks row of a task, once its status is one of `statuses` (waits for the asynchronous chain) */
	waitForRow(taskId: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
	rows(): Promise<Array<Record<string, any>>>;
	/** the callback signatures Task callback has received (its replay guard) */
	deliveries(): Promise<Array<Record<string, any>>>;
	/** deploys (once) and runs a copy of task-reconcile.json, started by a webhook; resolves when the run ended */
	reconcile(): Promise<{ status: number; body: string }>;
	bitableRecords(): Promise<Array<Record<string, any>>>;
	/** resolves once no execution of the deployed copies is running (so whatever they would send has been sent) */
	settled(timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

/** The SQL between ```sql fences of a sticky note whose title contains `title`. */
function stickySql(workflow: Workflow, title: string): string {
	const note = workflow.nodes.find(
		(node) => node.type === 'n8n-nodes-base.stickyNote' && String(node.parameters.content).includes(title),
	);
	const sql = /```sql\n([\s\S]*?)```/.exec(String(note?.parameters.content ?? ''))?.[1];
	if (!sql) throw new Error(`${workflow.name}: no sticky note "${title}" with a CREATE TABLE`);
	return sql;
}

/** Bitable field type codes for the type names used in the templates' "Bitable table" notes. */
const FIELD_TYPES: Array<[RegExp, number]> = [
	[/single select/i, 3],
	[/number/i, 2],
	[/date/i, 5],
	[/link/i, 15],
	[/attachment/i, 17],
	[/text/i, 1],
];

/** The fields listed in the "Bitable table" note's markdown table: | name | Type ... |. */
function stickyFields(workflow: Workflow): FieldSpec[] {
	const note = workflow.nodes.find(
		(node) => node.type === 'n8n-nodes-base.stickyNote' && /Bitable table/.test(String(node.parameters.content)),
	);
	if (!note) throw new Error(`${workflow.name}: no "Bitable table" sticky note`);
	const rows = String(note.parameters.content)
		.split('\n')
		.filter((line) => /^\|\s*[A-Za-z]/.test(line) && !/^\|\s*Field/.test(line));
	return rows.map((line) => {
		const [name, kind] = line
			.split('|')
			.slice(1, 3)
			.map((cell) => cell.trim());
		const type = FIELD_TYPES.find(([pattern]) => pattern.test(kind))?.[1];
		if (!type) throw new Error(`${workflow.name}: unknown Bitable field type "${kind}"`);
		const options =
			type === 3
				? /:\s*([^|]+)$/
						.exec(kind)?.[1]
						.split(',')
						.map((option) => ({ name: option.trim() }))
				: undefined;
		return { field_name: name, type, ...(options ? { property: { options } } : {}) };
	});
}

/** A 1x1 PNG: the result images the stand-in service "generates" (the templates attach them to the record). */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

async function startGenerationService(
	calls: ServiceCall[],
	notifications: Array<Record<string, any>>,
): Promise<{ url: string; notifyUrl: string; close(): Promise<void> }> {
	let origin = '';
	const server = http.createServer((request, response) => {
		if (request.method === 'GET' && request.url?.startsWith('/images/')) {
			response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
			response.end(PNG);
			return;
		}
		let raw = '';
		request.on('data', (chunk) => (raw += chunk));
		request.on('end', () => {
			const body = JSON.parse(raw || '{}');
			const reply = (status: number, json: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(json));
			};
			if (request.url === '/notify') {
				notifications.push(body);
				return reply(200, { ok: true });
			}
			calls.push({ taskId: body.taskId, version: body.version, callbackUrl: body.callbackUrl });
			if (body.prompt === 'succeed')
				reply(200, { status: 'Completed', resultImageUrls: [resultImageUrl(origin, body.taskId)] });
			else if (body.prompt === 'later') reply(202, { accepted: true });
			else reply(500, { error: 'the model refused the prompt' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: `${origin}/generate`,
		notifyUrl: `${origin}/notify`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

function resultImageUrl(origin: string, taskId: string): string {
	return `${origin}/images/${encodeURIComponent(taskId)}.png`;
}

export function taskTemplatesMissing(): string[] {
	return TASK_TEMPLATES.filter((file) => !templateExists(file));
}

export async function setUpTaskFlow(context: TaskFlowContext): Promise<TaskFlow> {
	const { rest, n8nBaseUrl, db, feishu, prefix } = context;
	const [intake, generation, callback] = TASK_TEMPLATES.map(loadTemplate);

	await db.query('DROP TABLE IF EXISTS gen_tasks');
	await db.query('DROP TABLE IF EXISTS gen_task_callbacks');
	for (const statement of stickySql(intake, 'MySQL table')
		.split(/;\s*\n/)
		.filter((text) => text.trim()))
		await db.query(statement);
	const admin = new FeishuAdmin(feishu.baseUrl);
	const { tableId, bitableUrl } = await scenarioTable(context, 'Tasks', 'taskId', stickyFields(intake));

	const serviceCalls: ServiceCall[] = [];
	const notifications: Array<Record<string, any>> = [];
	const service = await startGenerationService(serviceCalls, notifications);

	// n8n's own credential types the templates use, created as a user would in the editor.
	// The header-auth values are not reported as secrets: n8n's Webhook node outputs every request header, so they
	// are in each intake/generation execution by n8n's design (whoever can read executions can read them).
	const secrets = {
		intake: { name: 'X-Task-Token', value: `intake-token-${randomBytes(8).toString('hex')}` },
		internal: { name: 'X-Task-Internal-Token', value: `internal-token-${randomBytes(8).toString('hex')}` },
	};
	const hmacSecret = `callback-hmac-${randomBytes(8).toString('hex')}`;
	context.onSecret?.(hmacSecret);
	const create = async (name: string, type: string, data: Record<string, unknown>) => {
		const { data: created } = await rest.request('POST', '/rest/credentials', {
			name: `${name} ${prefix}`,
			type,
			data,
		});
		return { id: created.id as string, name: created.name as string };
	};
	// The templates' Header Auth credentials, by the names they reference.
	const headerAuthByName: Record<string, { id: string; name: string }> = {
		'Task Intake Auth': await create('Task Intake Auth', 'httpHeaderAuth', secrets.intake),
		'Task Internal Auth': await create('Task Internal Auth', 'httpHeaderAuth', secrets.internal),
	};
	// Header Auth credentials are wired by name below, never by type (the demo's context has one of each type).
	const { httpHeaderAuth: _byType, ...others } = context.credentials;
	const credentials = { ...others, crypto: await create('Generation Callback Secret', 'crypto', { hmacSecret }) };
	const copy = (template: Workflow, options: CopyOptions): Workflow => {
		const result = testCopy(template, { ...options, credentials });
		for (const node of result.nodes) {
			const reference = node.credentials?.httpHeaderAuth;
			if (!reference) continue;
			const replacement = headerAuthByName[reference.name];
			if (!replacement)
				throw new Error(
					`${template.name}: node "${node.name}" uses an unknown Header Auth credential "${reference.name}"`,
				);
			node.credentials!.httpHeaderAuth = replacement;
		}
		return result;
	};
	const paths = {
		intake: `${prefix}-task-intake`,
		generation: `${prefix}-task-generation`,
		callback: `${prefix}-task-callback`,
	};
	const webhook = (path: string) => `${n8nBaseUrl}/webhook/${path}`;

	// each copy on its own webhook path (set on its trigger), with its Config node's settings
	const deployCopy = (template: Workflow, name: keyof typeof paths, trigger: string, config: Record<string, unknown>) =>
		deploy(
			rest,
			copy(template, {
				name: `${prefix}: task ${name}`,
				parameters: { [trigger]: { path: paths[name] } },
				config: { Config: { bitableUrl, callbackHosts: ALLOWED_HOSTS, ...config } },
			}),
		);
	const workflowIds: Record<string, string> = {};
	workflowIds.generation = await deployCopy(generation, 'generation', 'Receive Task', {
		generationServiceUrl: service.url,
		serviceHosts: ALLOWED_HOSTS,
		serviceCallbackUrl: webhook(paths.callback),
	});
	workflowIds.callback = await deployCopy(callback, 'callback', 'Receive Callback', {});
	workflowIds.intake = await deployCopy(intake, 'intake', 'Receive Task', {
		generationWorkflowUrl: webhook(paths.generation),
	});

	let reconcilePath: string | undefined;
	const rows = async () => {
		const [result] = await db.query('SELECT * FROM gen_tasks ORDER BY id');
		return result as Array<Record<string, any>>;
	};
	const intakeHeaders = { [secrets.intake.name]: secrets.intake.value };
	return {
		tableId,
		bitableUrl,
		credentials,
		secrets,
		copy,
		generationUrl: webhook(paths.generation),
		workflowIds,
		serviceCalls,
		async waitForServiceCall(taskId, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (true) {
				const call = serviceCalls.find((candidate) => candidate.taskId === taskId);
				if (call) return call;
				if (Date.now() > deadline) throw new Error(`the generation service was not called for ${taskId}`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		imageUrl: (taskId) => resultImageUrl(new URL(service.url).origin, taskId),
		notifyUrl: service.notifyUrl,
		notifications,
		async submit(task) {
			const body = { userId: 'u-demo', productImageUrl: 'https://images.example.com/product.png', ...task };
			return await post(n8nBaseUrl, paths.intake, JSON.stringify(body), intakeHeaders);
		},
		postIntake: (raw) => post(n8nBaseUrl, paths.intake, raw, intakeHeaders),
		postGeneration: (body, headers) => post(n8nBaseUrl, paths.generation, JSON.stringify(body), headers),
		async callback(body, options = {}) {
			const raw = JSON.stringify(body);
			const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
			const signature = createHmac('sha256', options.secret ?? hmacSecret)
				.update(`${timestamp}.${raw}`)
				.digest('hex');
			const request = { raw, headers: { 'X-Timestamp': timestamp, 'X-Signature': `sha256=${signature}` } };
			return { ...(await post(n8nBaseUrl, paths.callback, raw, request.headers)), request };
		},
		resend: (request) => post(n8nBaseUrl, paths.callback, request.raw, request.headers),
		async waitForRow(taskId, statuses, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (true) {
				const row = (await rows()).find((candidate) => candidate.task_id === taskId);
				if (row && statuses.includes(row.status) && Number(row.feishu_dirty) === 0) return row;
				if (Date.now() > deadline)
					throw new Error(
						`task ${taskId} did not reach ${statuses.join('/')} (synced to Feishu): ${JSON.stringify(row)}`,
					);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		rows,
		async deliveries() {
			const [result] = await db.query('SELECT * FROM gen_task_callbacks ORDER BY received_at');
			return result as Array<Record<string, any>>;
		},
		async reconcile() {
			if (!reconcilePath) {
				reconcilePath = `${prefix}-task-reconcile`;
				workflowIds.reconcile = await deploy(
					rest,
					copy(loadTemplate(RECONCILE_TEMPLATE), {
						name: `${prefix}: task reconcile`,
						webhookPath: reconcilePath,
						config: { Config: { bitableUrl, generationWorkflowUrl: webhook(paths.generation) } },
					}),
				);
			}
			return await callWebhook(n8nBaseUrl, reconcilePath, { body: '{}' });
		},
		async bitableRecords() {
			const dump: TableDump = await admin.dumpTable(feishu.appToken, tableId);
			return dump.records.map((record) => ({ recordId: record.record_id, ...record.plain }));
		},
		async settled(timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (true) {
				let running = 0;
				for (const id of Object.values(workflowIds))
					running += (await executionsOf(rest, id, 50)).filter((execution) =>
						['new', 'running'].includes(execution.status),
					).length;
				if (running === 0) return;
				if (Date.now() > deadline) throw new Error(`${running} executions of the task copies still running`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		},
		close: () => service.close(),
	};
}

async function post(baseUrl: string, path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
	const response = await callWebhook(baseUrl, path, {
		body,
		headers: { 'content-type': 'application/json', ...headers },
	});
	let json: unknown;
	try {
		json = JSON.parse(response.body);
	} catch {
		json = response.body;
	}
	return { status: response.status, json };
}
