import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IConnections, INodeParameters } from 'n8n-workflow';
import { type HarnessNode, type HarnessNodeTypes, WorkflowRunner } from '../harness';
import { loadTemplate, type Template, type TemplateNode } from '../templates/templates';

/**
 * A shipped scheduled workflow (a workflows/ file, or a template already loaded) as the harness runs it: the
 * Schedule Trigger becomes a manual start (the harness has no clock to wait on), sticky notes are left out, and
 * `edit` may change a node's parameters (a copy) before the run.
 */
export function scheduledTemplateRunner(
	nodeTypes: HarnessNodeTypes,
	template: string | Template,
	edit?: (node: TemplateNode, parameters: INodeParameters) => void,
): WorkflowRunner {
	const t = typeof template === 'string' ? loadTemplate(template) : template;
	const schedule = t.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	if (!schedule) throw new Error(`${t.name} has no Schedule Trigger`);
	const nodes: HarnessNode[] = t.nodes
		.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')
		.map((n) => {
			if (n === schedule) return { name: n.name, type: 'n8n-nodes-base.manualTrigger' };
			const parameters = structuredClone(n.parameters);
			edit?.(n, parameters);
			return {
				name: n.name,
				type: n.type,
				typeVersion: n.typeVersion,
				parameters,
				credentials: Object.keys(n.credentials ?? {}),
			};
		});
	return new WorkflowRunner(nodeTypes, {
		nodes,
		connections: t.connections as unknown as IConnections,
		startNode: schedule.name,
	});
}

export interface ArtefactStore {
	/** http://127.0.0.1:<port> */
	base: string;
	/** "METHOD /path" of every request, in order. */
	requests: string[];
	close(): Promise<void>;
}

/** A local HTTP server standing in for the store of generated images: each path answers `statusOf(path)`. */
export async function startArtefactStore(statusOf: (path: string) => number): Promise<ArtefactStore> {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		res.statusCode = statusOf(req.url ?? '');
		res.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
	};
}
