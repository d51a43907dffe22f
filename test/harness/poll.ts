import './env';
import type { INodeExecutionData, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';
import { PollContext } from 'n8n-core';
import type { WorkflowRunner } from './runWorkflow';
import { harnessAdditionalData } from './runWorkflow';

export interface PollOptions {
	credentials?: Record<string, object>;
	/** 'trigger' for a scheduled poll of an active workflow, 'manual' for "Fetch test event". */
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
}

/**
 * Calls a polling trigger node's `poll()` as n8n's poll job does, with the workflow's static data
 * loaded from JSON before and saved as JSON after (n8n saves it before the workflow runs).
 * Returns the emitted items (or null when the poll emitted nothing).
 */
export async function pollOnce(
	runner: WorkflowRunner,
	nodeName: string,
	options: PollOptions = {},
): Promise<INodeExecutionData[] | null> {
	const mode = options.mode ?? 'trigger';
	const workflow = runner.newWorkflow();
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`harness: no node "${nodeName}"`);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`harness: "${nodeName}" is not a polling trigger`);
	const context = new PollContext(
		workflow,
		node,
		harnessAdditionalData(options.credentials ?? {}, runner.id),
		mode,
		options.activation ?? 'activate',
	);
	const result = await nodeType.poll.call(context);
	if (mode !== 'manual') runner.staticData = workflow.staticData;
	return result ? result[0] : null;
}
