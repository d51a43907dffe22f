import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as commitWatermark from './actions/commitWatermark.operation';
import { watermarkStoreFields } from './actions/common.descriptions';
import * as executeQuery from './actions/executeQuery.operation';
import * as readChanges from './actions/readChanges.operation';
import * as resetWatermark from './actions/resetWatermark.operation';
import { router } from './actions/router';
import { credentialTest } from './methods';

export class MySqlQuery implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MySQL Query',
		name: 'mySqlQuery',
		icon: 'file:mySqlQuery.svg',
		group: ['input'],
		version: [1],
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Run SQL with bound parameters, or read changed rows page by page with a watermark committed at the end of the workflow',
		defaults: { name: 'MySQL Query' },
		// House style (n8n's own nodes): typed connection constants rather than the string 'main'.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'mySqlApi', required: true, testedBy: 'mySqlConnectionTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Execute Query',
						value: 'executeQuery',
						description: 'Run SQL with ? placeholders bound to values',
						action: 'Execute a SQL query',
					},
					{
						name: 'Read Changes',
						value: 'readChanges',
						description: 'Read rows changed since the committed watermark, a page per run',
						action: 'Read changed rows',
					},
					{
						name: 'Commit Watermark',
						value: 'commitWatermark',
						description: 'Make this execution’s read final (place at the end of the workflow)',
						action: 'Commit the watermark',
					},
					{
						name: 'Reset Watermark',
						value: 'resetWatermark',
						description: 'Forget the watermark so reading starts over',
						action: 'Reset the watermark',
					},
				],
				default: 'executeQuery',
			},
			...executeQuery.description,
			...watermarkStoreFields,
			...readChanges.description,
			...commitWatermark.description,
			...resetWatermark.description,
			{
				// Not shown in the editor: tests and benchmarks turn it on to record the server's own
				// counters (Rows_sent, Handler_read_*) of the page query with the read's stats.
				displayName: 'Debug Server Counters',
				name: 'debugServerCounters',
				type: 'hidden',
				default: false,
			},
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
