import './env';
import { randomUUID } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IPinData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, setSafeRegexEngine } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { HarnessCredentialsHelper } from './credentialsHelper';
import { HarnessNodeTypes } from './nodeTypes';

// n8n-workflow runs parameter regexes in a vm with a 250 ms wall-clock watchdog. On a loaded 2-core CI
// machine a process can be descheduled for longer than that while running a trivial regex, failing a
// run at random; our parameter patterns are linear, so the harness uses the native engine.
setSafeRegexEngine({
	exec: (pattern, input, flags) => new RegExp(pattern, flags).exec(input),
	test: (pattern, input, flags) => new RegExp(pattern, flags).test(input),
	replace: (pattern, input, flags, replacement) => input.replace(new RegExp(pattern, flags), replacement),
	matchAll: (pattern, input, flags) =>
		Array.from(input.matchAll(new RegExp(pattern, flags?.includes('g') ? flags : `${flags ?? ''}g`))),
	split: (pattern, input, flags) => input.split(new RegExp(pattern, flags)),
});

export interface HarnessNode {
	name: string;
	type: string;
	typeVersion?: number;
	/** Node parameters as a saved workflow holds them (expressions allowed). */
	parameters?: Record<string, unknown>;
	/** Credential types the node uses; the data comes from the run's `credentials`. */
	credentials?: string[];
	onError?: INode['onError'];
	disabled?: boolean;
}

/** [from, to, fromOutput = 0, toInput = 0] */
export type Edge = [string, string, number?, number?];

export interface WorkflowSpec {
	nodes: HarnessNode[];
	connections: Edge[] | IConnections;
	/** Node to start from; default: the first node. */
	startNode?: string;
}

export interface RunOptions {
	credentials?: Record<string, object>;
	/** Output of trigger nodes given by the test (e.g. a Webhook trigger's request). */
	pinData?: Record<string, IDataObject[]>;
	/** n8n saves static data only for non-manual executions. Default 'trigger'. */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	run: IRun;
	/** Every node's main outputs of its last run: outputs[node][outputIndex] = items. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** Items of one node's output, as plain json. */
	json(node: string, output?: number): IDataObject[];
	error: Error | undefined;
	staticData: IDataObject;
}

function toConnections(connections: Edge[] | IConnections): IConnections {
	if (!Array.isArray(connections)) return connections;
	const result: IConnections = {};
	for (const [from, to, fromOutput = 0, toInput = 0] of connections) {
		const main = (result[from] ??= { main: [] }).main;
		while (main.length <= fromOutput) main.push([]);
		(main[fromOutput] ??= []).push({ node: to, type: 'main', index: toInput });
	}
	return result;
}

export function toNodes(spec: WorkflowSpec): INode[] {
	return spec.nodes.map((node, i) => ({
		id: randomUUID(),
		name: node.name,
		type: node.type,
		typeVersion: node.typeVersion ?? 1,
		position: [i * 220, 0],
		parameters: (node.parameters ?? {}) as INodeParameters,
		credentials: node.credentials
			? Object.fromEntries(node.credentials.map((type) => [type, { id: type, name: type }]))
			: undefined,
		onError: node.onError,
		disabled: node.disabled,
	}));
}

export function harnessAdditionalData(credentials: Record<string, object>, workflowId: string) {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper: new HarnessCredentialsHelper(credentials as Record<string, ICredentialDataDecryptedObject>),
		executeWorkflow: async () => {
			throw new Error('harness: sub-workflows are not supported');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		workflowId,
		externalSecretsProxy: {
			hasProvider: () => false,
			getSecret: () => undefined,
			listProviders: () => [],
			hasSecret: () => false,
			listSecrets: () => [],
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * One workflow that is executed again and again, like an active workflow in n8n: its static data is
 * saved as JSON after every non-manual execution and loaded into a fresh Workflow object for the
 * next one, so state that only lives in memory is lost, as it is in n8n.
 */
export class WorkflowRunner {
	readonly id = randomUUID().replace(/-/g, '').slice(0, 16);
	private savedStaticData = '{}';

	constructor(
		readonly nodeTypes: HarnessNodeTypes,
		readonly spec: WorkflowSpec,
	) {}

	get staticData(): IDataObject {
		return JSON.parse(this.savedStaticData) as IDataObject;
	}

	set staticData(data: IDataObject) {
		this.savedStaticData = JSON.stringify(data);
	}

	newWorkflow(): Workflow {
		return new Workflow({
			id: this.id,
			name: 'harness',
			nodes: toNodes(this.spec),
			connections: toConnections(this.spec.connections),
			active: false,
			nodeTypes: this.nodeTypes,
			staticData: JSON.parse(this.savedStaticData) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	}

	async run(options: RunOptions = {}): Promise<RunResult> {
		const mode = options.mode ?? 'trigger';
		const workflow = this.newWorkflow();
		const executionId = randomUUID();
		const workflowData: IWorkflowBase = {
			id: this.id,
			name: workflow.name ?? 'harness',
			active: false,
			isArchived: false,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as IWorkflowBase;
		const data = harnessAdditionalData(options.credentials ?? {}, this.id);
		data.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		data.executionId = executionId;
		const pinData: IPinData = {};
		for (const [node, items] of Object.entries(options.pinData ?? {})) {
			pinData[node] = items.map((json) => ({ json }));
		}
		const startName = this.spec.startNode ?? this.spec.nodes[0].name;
		const run = await new WorkflowExecute(data, mode).run({
			workflow,
			startNode: workflow.getNode(startName) ?? undefined,
			pinData: Object.keys(pinData).length ? pinData : undefined,
		});
		if (mode !== 'manual') this.savedStaticData = JSON.stringify(workflow.staticData);
		const outputs: Record<string, INodeExecutionData[][]> = {};
		for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
			const last = runs[runs.length - 1];
			outputs[name] = (last?.data?.main ?? []).map((items) => items ?? []);
		}
		return {
			run,
			outputs,
			json: (node, output = 0) => (outputs[node]?.[output] ?? []).map((item) => item.json),
			error: run.data.resultData.error as Error | undefined,
			staticData: this.staticData,
		};
	}
}

/** Runs a workflow once (a fresh runner each time). */
export async function runWorkflow(
	nodeTypes: HarnessNodeTypes,
	spec: WorkflowSpec,
	options?: RunOptions,
): Promise<RunResult> {
	return new WorkflowRunner(nodeTypes, spec).run(options);
}

export const MANUAL_TRIGGER: HarnessNode = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
