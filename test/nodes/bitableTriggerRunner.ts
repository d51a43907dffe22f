import { type HarnessNodeTypes, WorkflowRunner } from '../harness';

/** A workflow of one Feishu Bitable Trigger named "Trigger" on one table, polling by its Modified field. */
export function bitableTriggerRunner(
	nodeTypes: HarnessNodeTypes,
	type: string,
	appToken: string,
	tableId: string,
	parameters: Record<string, unknown> = {},
): WorkflowRunner {
	return new WorkflowRunner(nodeTypes, {
		nodes: [
			{
				name: 'Trigger',
				type,
				credentials: ['feishuAppApi'],
				parameters: {
					base: { __rl: true, mode: 'id', value: appToken },
					table: { __rl: true, mode: 'id', value: tableId },
					modifiedField: 'Modified',
					events: 'both',
					...parameters,
				},
			},
		],
		connections: [],
	});
}
