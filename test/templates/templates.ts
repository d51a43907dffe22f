/**
 * Loads the shipped workflow templates (workflows/*.json) into the harness, and plays the part of
 * n8n's webhook server around them: a request to /webhook/<path> runs the workflow whose Webhook
 * node has that path, with the request given as the trigger's pinData, as n8n would.
 *
 * Two things n8n's webhook server does that pinData alone cannot: a Webhook node with the "Raw Body"
 * option also outputs the raw request bytes as binary `data`, and "Respond to Webhook" answers the
 * HTTP caller. The harness pins JSON only and has no response channel, so this module adds both
 * around WorkflowExecute.run / the sendResponse hook (test-side, per request via AsyncLocalStorage).
 * n8n 2.x runs Code nodes in its task runner, which the harness has not: `runCodeNode` stands in for it.
 */
import { AsyncLocalStorage } from 'async_hooks';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vm from 'vm';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeParameters } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { HarnessNodeTypes, WorkflowRunner, type HarnessNode, type RunResult } from '../harness';

export const WORKFLOWS_DIR = path.join(__dirname, '..', '..', 'workflows');

export interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: HarnessNode['onError'];
}

export interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	settings: IDataObject;
}

export function loadTemplate(file: string): Template {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Template;
}

/** What a user types into the "Config" node (the one place the templates keep their settings). */
export function configure(t: Template, values: Record<string, unknown>): Template {
	const copy = structuredClone(t);
	const config = copy.nodes.find((n) => n.name === 'Config');
	if (!config) throw new Error(`${t.name} has no Config node`);
	const list = (config.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
	for (const [name, value] of Object.entries(values)) {
		const entry = list.find((a) => a.name === name);
		if (!entry) throw new Error(`Config of ${t.name} has no "${name}"`);
		entry.value = value;
	}
	return copy;
}

export function stickyText(t: Template): string {
	return t.nodes
		.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
		.map((n) => String(n.parameters.content))
		.join('\n');
}

export function triggerOf(t: Template): TemplateNode {
	const trigger = t.nodes.find((n) => /webhook$|Trigger$/.test(n.type) && n.type !== 'n8n-nodes-base.respondToWebhook');
	if (!trigger) throw new Error(`${t.name} has no trigger`);
	return trigger;
}

/** The suite's stand-in services listen on 127.0.0.1: Record Status may download attachments from them. */
function testParameters(n: TemplateNode): INodeParameters {
	if (!n.type.endsWith('.recordStatus')) return n.parameters;
	return {
		...n.parameters,
		options: { ...((n.parameters.options as IDataObject | undefined) ?? {}), allowPrivateNetwork: true },
	};
}

export function runnerFor(nodeTypes: HarnessNodeTypes, t: Template): WorkflowRunner {
	const nodes: HarnessNode[] = t.nodes
		.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')
		.map((n) => ({
			name: n.name,
			type: n.type,
			typeVersion: n.typeVersion,
			parameters: testParameters(n),
			credentials: n.credentials ? Object.keys(n.credentials) : undefined,
			onError: n.onError,
		}));
	return new WorkflowRunner(nodeTypes, {
		nodes,
		connections: t.connections as never,
		startNode: triggerOf(t).name,
	});
}

// ---------------------------------------------------------------- webhook server stand-in

export interface WebhookResponse {
	statusCode: number;
	body: unknown;
}

interface RequestContext {
	trigger: string;
	rawBody?: Buffer;
	respond?: (response: { body?: unknown; statusCode?: number }) => void;
}

const requestContext = new AsyncLocalStorage<RequestContext>();
let adaptersInstalled = false;

/**
 * The built-in modules the templates' Code nodes may `require`: what the README tells users to put in
 * NODE_FUNCTION_ALLOW_BUILTIN (the e2e n8n sets the same in scripts/real-n8n/env.sh).
 */
export const CODE_NODE_BUILTINS = ['crypto', 'url'];

/**
 * Stands in for n8n's JavaScript task runner (@n8n/task-runner's JsTaskRunner): the node's code runs in a vm
 * context holding what the runner puts there (the workflow data proxy of the item, Buffer, a `require` limited to
 * CODE_NODE_BUILTINS, `helpers.getBinaryDataBuffer`), once for all items or once per item (paired with it).
 * The e2e suite runs the same templates in the real runner.
 */
async function runCodeNode(
	settings: { code: string; nodeMode: string },
	fx: IExecuteFunctions,
): Promise<{ ok: true; result: unknown }> {
	const allowedRequire = (name: string) => {
		if (!CODE_NODE_BUILTINS.includes(name)) throw new Error(`Module '${name}' is disallowed`);
		return require(name); // eslint-disable-line @typescript-eslint/no-require-imports
	};
	const run = async (itemIndex: number) => {
		const context = vm.createContext({
			require: allowedRequire,
			Buffer,
			console,
			...fx.getWorkflowDataProxy(itemIndex),
			helpers: {
				getBinaryDataBuffer: (index: number, property: string) => fx.helpers.getBinaryDataBuffer(index, property),
			},
		});
		return await vm.runInContext(`(async function VmCodeWrapper() {${settings.code}\n}).call(globalThis)`, context);
	};
	if (settings.nodeMode === 'runOnceForAllItems') return { ok: true, result: (await run(0)) ?? [] };
	const result: unknown[] = [];
	const count = fx.getInputData().length;
	for (let index = 0; index < count; index++) {
		const item = (await run(index)) as { json?: IDataObject; binary?: unknown } | null | undefined;
		if (item)
			result.push({
				json: item.json ?? item,
				pairedItem: { item: index },
				...(item.binary ? { binary: item.binary } : {}),
			});
	}
	return { ok: true, result };
}

function installAdapters(): void {
	if (adaptersInstalled) return;
	adaptersInstalled = true;
	const run = WorkflowExecute.prototype.run;
	WorkflowExecute.prototype.run = function (this: WorkflowExecute, args: Parameters<typeof run>[0]) {
		const additionalData = (this as unknown as { additionalData: Record<string, unknown> }).additionalData;
		additionalData.startRunnerTask ??= (
			_data: unknown,
			_type: string,
			settings: { code: string; nodeMode: string },
			fx: IExecuteFunctions,
		) => runCodeNode(settings, fx);
		const ctx = requestContext.getStore();
		const pinned = ctx?.rawBody && args.pinData?.[ctx.trigger];
		if (ctx?.rawBody && pinned) {
			const raw = ctx.rawBody;
			args = {
				...args,
				pinData: {
					...args.pinData,
					[ctx.trigger]: pinned.map((item) => ({
						...item,
						binary: { data: { data: raw.toString(BINARY_ENCODING), mimeType: 'application/json' } },
					})),
				},
			};
		}
		return run.call(this, args);
	} as typeof run;
	const runHook = ExecutionLifecycleHooks.prototype.runHook;
	ExecutionLifecycleHooks.prototype.runHook = async function (
		this: ExecutionLifecycleHooks,
		name: never,
		params: never,
	) {
		if ((name as string) === 'sendResponse') requestContext.getStore()?.respond?.((params as unknown[])[0] as never);
		return runHook.call(this, name, params);
	} as typeof runHook;
}

export interface HostedWorkflow {
	template: Template;
	runner: WorkflowRunner;
	/** Header auth the Webhook node checks (n8n answers 403 when it is wrong). */
	headerAuth?: { name: string; value: string };
}

/** A counting semaphore: executions at once (n8n's own concurrency limit plays this part). */
class Slots {
	private waiting: Array<() => void> = [];
	constructor(private free: number) {}
	async take(): Promise<void> {
		if (this.free > 0) {
			this.free--;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}
	give(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.free++;
	}
}

export class WebhookHost {
	private readonly server: http.Server;
	private readonly byPath = new Map<string, HostedWorkflow>();
	private readonly running = new Set<Promise<unknown>>();
	private readonly slots: Slots;
	readonly results: Array<{ workflow: string; result?: RunResult; error?: unknown }> = [];
	baseUrl = '';

	constructor(
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		concurrency = 6,
	) {
		installAdapters();
		this.slots = new Slots(concurrency);
		this.server = http.createServer((req, res) => void this.handle(req, res));
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	host(w: HostedWorkflow): string {
		const trigger = triggerOf(w.template);
		this.byPath.set(String(trigger.parameters.path), w);
		return `${this.baseUrl}/webhook/${trigger.parameters.path}`;
	}

	/** Runs a workflow like n8n does for one trigger event (one item, or a poll's items), within the concurrency limit. */
	async execute(
		w: HostedWorkflow,
		pinned: IDataObject | IDataObject[],
		ctx: Omit<RequestContext, 'trigger'> = {},
	): Promise<RunResult> {
		const trigger = triggerOf(w.template).name;
		await this.slots.take();
		try {
			const result = await requestContext.run({ trigger, ...ctx }, () =>
				w.runner.run({
					credentials: this.credentials,
					pinData: { [trigger]: Array.isArray(pinned) ? pinned : [pinned] },
				}),
			);
			this.results.push({ workflow: w.template.name, result });
			return result;
		} catch (error) {
			this.results.push({ workflow: w.template.name, error });
			throw error;
		} finally {
			this.slots.give();
		}
	}

	/** Starts an execution that nobody waits for (e.g. a schedule), tracked for drain(). */
	track<T>(work: Promise<T>): Promise<T> {
		const p = work.catch(() => undefined).finally(() => this.running.delete(p));
		this.running.add(p);
		return work;
	}

	/** Waits until no execution is running (executions may start others: loop until quiet). */
	async drain(): Promise<void> {
		while (this.running.size) await Promise.all([...this.running]);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const send = (statusCode: number, body: unknown) => {
			if (res.headersSent) return;
			res.writeHead(statusCode, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body ?? {}));
		};
		const match = /^\/webhook\/([^?]+)/.exec(req.url ?? '');
		const w = match && this.byPath.get(match[1]);
		if (!w || req.method !== 'POST') return send(404, { message: 'webhook not registered' });
		if (w.headerAuth && req.headers[w.headerAuth.name.toLowerCase()] !== w.headerAuth.value) {
			return send(403, { message: 'Authorization data is wrong!' });
		}
		let body: unknown;
		try {
			body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		} catch {
			return send(400, { message: 'body is not JSON' });
		}
		const url = new URL(req.url ?? '/', this.baseUrl);
		const pinned: IDataObject = {
			headers: req.headers as IDataObject,
			params: {},
			query: Object.fromEntries(url.searchParams),
			body: body as IDataObject,
			webhookUrl: `${this.baseUrl}${url.pathname}`,
			executionMode: 'production',
		};
		const trigger = triggerOf(w.template);
		const rawBody = (trigger.parameters.options as IDataObject | undefined)?.rawBody ? raw : undefined;
		if (trigger.parameters.responseMode === 'responseNode') {
			const execution = this.execute(w, pinned, {
				rawBody,
				respond: (r) => send(Number(r.statusCode ?? 200), r.body),
			});
			this.track(execution);
			try {
				const result = await execution;
				send(result.error ? 500 : 200, result.error ? { message: 'Error in workflow' } : {});
			} catch (error) {
				send(500, { message: String(error) });
			}
			return;
		}
		send(200, { message: 'Workflow was started' });
		this.track(this.execute(w, pinned, { rawBody }));
	}

	async close(): Promise<void> {
		await this.drain();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
