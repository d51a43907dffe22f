/**
 * Test copies of shipped templates, run on the suite's server: the shipped file stays untouched; the copy gets its
 * own id, its trigger swapped for a Webhook (so a test drives it with one HTTP call, in webhook mode, which saves
 * workflow static data like a scheduled run), its credential references pointed at the suite's credentials, and
 * parameter overrides (emulator URLs, table names). Deployed and activated through REST while the server runs.
 */
import * as fs from 'fs';
import * as path from 'path';

import { callWebhook, REPO_ROOT, type RestClient } from './realN8n';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export function loadTemplate(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));
}

export function templateExists(file: string): boolean {
	return fs.existsSync(path.join(REPO_ROOT, 'workflows', file));
}

/** Trigger types a test copy replaces with a Webhook: schedules, manual starts and our polling trigger. */
const SWAPPABLE_TRIGGER = /(scheduleTrigger|manualTrigger|cron|interval|feishuBitableTrigger)$/i;

export interface CopyOptions {
	name: string;
	/** replace the first schedule/manual/polling trigger with a POST webhook at this path */
	webhookPath?: string;
	/** replace it with a Manual Trigger instead (for `n8n execute --id`) */
	manualTrigger?: boolean;
	/** keep an id (a copy imported with the CLI needs one) */
	id?: string;
	/** credential type -> the credential to use instead of the template's reference */
	credentials?: Record<string, { id: string; name: string }>;
	/** node name -> parameters merged over the template's (shallow) */
	parameters?: Record<string, Record<string, unknown>>;
	/** Set-node name (the templates' "Config") -> assignment name -> value */
	config?: Record<string, Record<string, unknown>>;
}

let webhookCounter = 0;

export function testCopy(template: Workflow, options: CopyOptions): Workflow {
	const copy: Workflow = JSON.parse(JSON.stringify(template));
	delete copy.id;
	if (options.id) copy.id = options.id;
	copy.name = options.name;
	delete copy.active;
	delete copy.versionId;
	delete copy.meta;
	delete copy.pinData;
	if (options.webhookPath || options.manualTrigger) {
		const index = copy.nodes.findIndex((node) => SWAPPABLE_TRIGGER.test(node.type));
		if (index < 0) throw new Error(`${template.name}: no schedule, manual or polling trigger to swap`);
		const trigger = copy.nodes[index];
		const common = { id: trigger.id, name: trigger.name, position: trigger.position }; // same name: connections stay valid
		copy.nodes[index] = options.manualTrigger
			? { ...common, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
			: {
					...common,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: `00000000-0000-4000-8000-${String(++webhookCounter).padStart(12, '0')}`,
					// Every item of the last node (an empty list when the run stopped early, e.g. nothing changed).
					parameters: {
						httpMethod: 'POST',
						path: options.webhookPath,
						responseMode: 'lastNode',
						responseData: 'allEntries',
						options: {},
					},
				};
	}
	for (const node of copy.nodes) {
		if (options.parameters?.[node.name]) node.parameters = { ...node.parameters, ...options.parameters[node.name] };
		// the suite's stand-in services listen on 127.0.0.1: Record Status may download attachments from them
		if (node.type.endsWith('.recordStatus'))
			node.parameters.options = {
				...((node.parameters.options as object | undefined) ?? {}),
				allowPrivateNetwork: true,
			};
		for (const type of Object.keys(node.credentials ?? {})) {
			const replacement = options.credentials?.[type];
			if (replacement) node.credentials![type] = replacement;
		}
	}
	for (const [nodeName, values] of Object.entries(options.config ?? {})) setAssignments(copy, nodeName, values);
	const named = [...Object.keys(options.parameters ?? {}), ...Object.keys(options.config ?? {})];
	const unknown = named.filter((name) => !copy.nodes.some((node) => node.name === name));
	if (unknown.length) throw new Error(`${template.name}: no node named ${unknown.join(', ')}`);
	return copy;
}

/** Sets the values of named assignments of a Set node (fails on a name the node does not assign). */
function setAssignments(workflow: Workflow, nodeName: string, values: Record<string, unknown>): void {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) return;
	const list = (node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = list.find((candidate) => candidate.name === name);
		if (!assignment) throw new Error(`${workflow.name}: node "${nodeName}" assigns no "${name}"`);
		assignment.value = value;
	}
}

/** Creates the workflow through REST and activates it (published, so its webhooks answer). Returns its id. */
export async function deploy(rest: RestClient, workflow: Workflow, activate = true): Promise<string> {
	const { data: created } = await rest.request('POST', '/rest/workflows', {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
	});
	if (activate) await rest.request('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	return created.id;
}

/** Calls a deployed copy's webhook with a JSON body; the response is its last node's output. */
export async function trigger(baseUrl: string, webhookPath: string, body: unknown = {}) {
	const response = await callWebhook(baseUrl, webhookPath, { body: JSON.stringify(body) });
	let json: unknown;
	try {
		json = JSON.parse(response.body);
	} catch {
		json = undefined;
	}
	return { ...response, json };
}

/** The newest saved executions of a workflow, with their full run data (parsed). */
export async function executionsOf(rest: RestClient, workflowId: string, limit = 10): Promise<any[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { data } = await rest.request('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
	return data.results ?? [];
}
