/**
 * The generation-task templates (task-intake, task-generation, task-callback) running on a real n8n server:
 * test copies wired to a MySQL database, the Feishu emulator's base (a Tasks table created from the template's
 * own "Bitable table" note), and a local stand-in generation service. Used by the e2e test and by the demo.
 */
import { createHmac, randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../../emulators/feishu/admin/client';
import type { FeishuDemo } from '../emulators';
import type { FieldSpec, TableDump } from '../../emulators/feishu/types';
import { callWebhook, type RestClient } from '../realN8n';
import { deploy, loadTemplate, templateExists, testCopy, type Workflow } from '../workflowCopies';

export const TASK_TEMPLATES = ['task-intake.json', 'task-generation.json', 'task-callback.json'];
export const RECONCILE_TEMPLATE = 'task-reconcile.json';

export interface TaskFlowContext {
	rest: RestClient;
	n8nBaseUrl: string;
	/** an admin connection with the database of the MySQL credential selected */
	db: mysql.Connection;
	feishu: FeishuDemo;
	/** our credentials in n8n by type (mySqlApi, feishuAppApi) */
	credentials: Record<string, { id: string; name: string }>;
	/** distinguishes webhook paths and the Bitable table when several flows share a server */
	prefix: string;
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

export interface TaskFlow {
	tableId: string;
	bitableUrl: string;
	/** the credentials the copies use, by type (incl. the header auth the generation webhook checks) */
	credentials: Record<string, { id: string; name: string }>;
	/** the generation copy's production webhook URL (where other workflows hand tasks to) */
	generationUrl: string;
	serviceCalls: ServiceCall[];
	/** the stand-in service's call for a task, once it came */
	waitForServiceCall(taskId: string, timeoutMs?: number): Promise<ServiceCall>;
	/** where the stand-in service serves a task's generated image */
	imageUrl(taskId: string): string;
	submit(task: { taskId: string; prompt: ServiceBehaviour; userId?: string }): Promise<{ status: number; json: unknown }>;
	callback(body: Record<string, unknown>, options?: { badSignature?: boolean }): Promise<{ status: number; json: unknown }>;
	/** the gen_tasks row of a task, once its status is one of `statuses` (waits for the asynchronous chain) */
	waitForRow(taskId: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
	rows(): Promise<Array<Record<string, any>>>;
	/** deploys (once) and runs a copy of task-reconcile.json, started by a webhook; resolves when the run ended */
	reconcile(): Promise<{ status: number; body: string }>;
	bitableRecords(): Promise<Array<Record<string, any>>>;
	close(): Promise<void>;
}

/** The SQL between ```sql fences of a sticky note whose title contains `title`. */
function stickySql(workflow: Workflow, title: string): string {
	const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote' && String(node.parameters.content).includes(title));
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
	const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote' && /Bitable table/.test(String(node.parameters.content)));
	if (!note) throw new Error(`${workflow.name}: no "Bitable table" sticky note`);
	const rows = String(note.parameters.content)
		.split('\n')
		.filter((line) => /^\|\s*[A-Za-z]/.test(line) && !/^\|\s*Field/.test(line));
	return rows.map((line) => {
		const [name, kind] = line.split('|').slice(1, 3).map((cell) => cell.trim());
		const type = FIELD_TYPES.find(([pattern]) => pattern.test(kind))?.[1];
		if (!type) throw new Error(`${workflow.name}: unknown Bitable field type "${kind}"`);
		const options = type === 3 ? /:\s*([^|]+)$/.exec(kind)?.[1].split(',').map((option) => ({ name: option.trim() })) : undefined;
		return { field_name: name, type, ...(options ? { property: { options } } : {}) };
	});
}

/** A 1x1 PNG: the result images the stand-in service "generates" (the templates attach them to the record). */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

async function startGenerationService(calls: ServiceCall[]): Promise<{ url: string; close(): Promise<void> }> {
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
			calls.push({ taskId: body.taskId, version: body.version, callbackUrl: body.callbackUrl });
			const reply = (status: number, json: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(json));
			};
			if (body.prompt === 'succeed') reply(200, { status: 'Completed', resultImageUrls: [resultImageUrl(origin, body.taskId)] });
			else if (body.prompt === 'later') reply(202, { accepted: true });
			else reply(500, { error: 'the model refused the prompt' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url: `${origin}/generate`, close: () => new Promise((resolve) => server.close(() => resolve())) };
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
	await db.query(stickySql(intake, 'MySQL table'));
	const admin = new FeishuAdmin(feishu.baseUrl);
	const tableId = `tbl${prefix.replace(/[^A-Za-z0-9]/g, '')}Tasks`;
	await admin.createTable({ appToken: feishu.appToken, tableId, name: `Tasks ${prefix}`, primaryField: 'taskId', fields: stickyFields(intake) });
	const bitableUrl = `https://demo.feishu.cn/base/${feishu.appToken}?table=${tableId}`;

	const serviceCalls: ServiceCall[] = [];
	const service = await startGenerationService(serviceCalls);

	// n8n's own credential types the templates use, created as a user would in the editor.
	// The header-auth value is not reported as a secret: n8n's Webhook node outputs every request header, so it is
	// in each intake/generation execution by n8n's design (whoever can read executions can read it).
	const headerValue = `task-token-${randomBytes(8).toString('hex')}`;
	const hmacSecret = `callback-hmac-${randomBytes(8).toString('hex')}`;
	context.onSecret?.(hmacSecret);
	const { data: headerAuth } = await rest.request('POST', '/rest/credentials', {
		name: `Task Webhook Header Auth ${prefix}`,
		type: 'httpHeaderAuth',
		data: { name: 'X-Task-Token', value: headerValue },
	});
	const { data: crypto } = await rest.request('POST', '/rest/credentials', {
		name: `Generation Callback Secret ${prefix}`,
		type: 'crypto',
		data: { hmacSecret },
	});
	const credentials = {
		...context.credentials,
		httpHeaderAuth: { id: headerAuth.id, name: headerAuth.name },
		crypto: { id: crypto.id, name: crypto.name },
	};
	const paths = { intake: `${prefix}-task-intake`, generation: `${prefix}-task-generation`, callback: `${prefix}-task-callback` };
	const webhook = (path: string) => `${n8nBaseUrl}/webhook/${path}`;

	await deploy(rest, testCopy(generation, {
		name: `${prefix}: task generation`,
		credentials,
		parameters: { 'Receive Task': { path: paths.generation } },
		config: { Config: { generationServiceUrl: service.url, serviceCallbackUrl: webhook(paths.callback), bitableUrl } },
	}));
	await deploy(rest, testCopy(callback, {
		name: `${prefix}: task callback`,
		credentials,
		parameters: { 'Receive Callback': { path: paths.callback } },
		config: { Config: { bitableUrl } },
	}));
	await deploy(rest, testCopy(intake, {
		name: `${prefix}: task intake`,
		credentials,
		parameters: { 'Receive Task': { path: paths.intake } },
		config: { Config: { bitableUrl, generationWorkflowUrl: webhook(paths.generation) } },
	}));

	let reconcilePath: string | undefined;
	const rows = async () => {
		const [result] = await db.query('SELECT * FROM gen_tasks ORDER BY id');
		return result as Array<Record<string, any>>;
	};
	return {
		tableId,
		bitableUrl,
		credentials,
		generationUrl: webhook(paths.generation),
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
		async submit(task) {
			const body = { userId: 'u-demo', productImageUrl: 'https://images.example.com/product.png', ...task };
			return await post(n8nBaseUrl, paths.intake, JSON.stringify(body), { 'X-Task-Token': headerValue });
		},
		async callback(body, options = {}) {
			const raw = JSON.stringify(body);
			const signature = createHmac('sha256', options.badSignature ? 'not-the-secret' : hmacSecret).update(raw).digest('hex');
			return await post(n8nBaseUrl, paths.callback, raw, { 'X-Signature': `sha256=${signature}` });
		},
		async waitForRow(taskId, statuses, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (true) {
				const row = (await rows()).find((candidate) => candidate.task_id === taskId);
				if (row && statuses.includes(row.status) && Number(row.feishu_dirty) === 0) return row;
				if (Date.now() > deadline)
					throw new Error(`task ${taskId} did not reach ${statuses.join('/')} (synced to Feishu): ${JSON.stringify(row)}`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		rows,
		async reconcile() {
			if (!reconcilePath) {
				reconcilePath = `${prefix}-task-reconcile`;
				await deploy(rest, testCopy(loadTemplate(RECONCILE_TEMPLATE), {
					name: `${prefix}: task reconcile`,
					webhookPath: reconcilePath,
					credentials,
					config: { Config: { bitableUrl, generationWorkflowUrl: webhook(paths.generation) } },
				}));
			}
			return await callWebhook(n8nBaseUrl, reconcilePath, { body: '{}' });
		},
		async bitableRecords() {
			const dump: TableDump = await admin.dumpTable(feishu.appToken, tableId);
			return dump.records.map((record) => ({ recordId: record.record_id, ...record.plain }));
		},
		close: () => service.close(),
	};
}

async function post(baseUrl: string, path: string, body: string, headers: Record<string, string>) {
	const response = await callWebhook(baseUrl, path, { body, headers: { 'content-type': 'application/json', ...headers } });
	let json: unknown;
	try {
		json = JSON.parse(response.body);
	} catch {
		json = response.body;
	}
	return { status: response.status, json };
}
