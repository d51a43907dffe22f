import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { HarnessNodeTypes, MANUAL_TRIGGER, WorkflowRunner, runWorkflow } from '../harness';

/** A node that counts its executions in workflow static data. */
class Counter implements INodeType {
	description = {
		displayName: 'Counter',
		name: 'counter',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Counter' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const state = this.getWorkflowStaticData('node');
		state.n = ((state.n as number) || 0) + 1;
		state.when = new Date(0) as unknown as string;
		return [[{ json: { n: state.n } }]];
	}
}

describe('workflow harness', () => {
	const nodeTypes = new HarnessNodeTypes();
	const counterType = nodeTypes.register(Counter);

	it('runs n8n-nodes-base nodes through WorkflowExecute, evaluating expressions', async () => {
		const result = await runWorkflow(nodeTypes, {
			nodes: [
				MANUAL_TRIGGER,
				{
					name: 'Set',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						mode: 'manual',
						assignments: { assignments: [{ id: 'a', name: 'sum', type: 'number', value: '={{ 2 + 3 }}' }] },
						options: {},
					},
				},
			],
			connections: [['Start', 'Set']],
		});
		expect(result.error).toBeUndefined();
		expect(result.json('Set')).toEqual([{ sum: 5 }]);
	});

	it('gives a webhook trigger the request the test supplies', async () => {
		const result = await runWorkflow(
			nodeTypes,
			{
				nodes: [
					{
						name: 'Hook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						parameters: { path: 'x', httpMethod: 'POST' },
					},
					{ name: 'NoOp', type: 'n8n-nodes-base.noOp' },
				],
				connections: [['Hook', 'NoOp']],
			},
			{ pinData: { Hook: [{ body: { taskId: 't1' } }] } },
		);
		expect(result.json('NoOp')).toEqual([{ body: { taskId: 't1' } }]);
	});

	it('keeps static data only through JSON, and only for non-manual runs', async () => {
		const runner = new WorkflowRunner(nodeTypes, {
			nodes: [MANUAL_TRIGGER, { name: 'Code', type: counterType }],
			connections: [['Start', 'Code']],
		});
		expect((await runner.run()).json('Code')).toEqual([{ n: 1 }]);
		expect((await runner.run()).json('Code')).toEqual([{ n: 2 }]);
		expect((runner.staticData['node:Code'] as { when: unknown }).when).toBe('1970-01-01T00:00:00.000Z');
		expect((await runner.run({ mode: 'manual' })).json('Code')).toEqual([{ n: 3 }]);
		expect((runner.staticData['node:Code'] as { n: number }).n).toBe(2);
	});
});
