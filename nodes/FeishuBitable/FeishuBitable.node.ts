import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { coordinationProperties } from '../shared/coordination';
import { baseProperty, tableProperty } from '../shared/feishu/tableLocator';
import * as record from './actions/record/Record.resource';
import { router } from './actions/router';
import * as sync from './actions/sync/Sync.resource';
import * as table from './actions/table/Table.resource';
import {
	feishuAppApiTest,
	getColumns,
	getFields,
	getFilterOperators,
	getWritableFields,
	searchTables,
} from './methods';
import { credentialsProperty } from '../shared/descriptions';

export class FeishuBitable implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Bitable',
		name: 'feishuBitable',
		icon: { light: 'file:feishuBitable.svg', dark: 'file:feishuBitable.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ $parameter["resource"] === "sync" ? "Sync (" + $parameter["mode"] + ")" : $parameter["operation"] }}',
		description:
			'Sync items into a Feishu (Lark) Bitable table, writing only what changed, and read or write its records',
		defaults: { name: 'Feishu Bitable' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'feishuAppApi', required: true, testedBy: 'feishuAppApiTest' },
			{ name: 'mySqlApi', required: true, displayOptions: { show: { resource: ['sync'], tableLock: ['mysql'] } } },
			// n8n's built-in Redis credential (the one its queue uses), not ours: its name has no -Api suffix
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'redis', required: true, displayOptions: { show: { coordination: ['redis'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'sync',
				options: [
					{
						name: 'Sync',
						value: 'sync',
						description: 'Upsert all input items into a table by key, writing only what changed',
					},
					{ name: 'Record', value: 'record' },
					{ name: 'Table', value: 'table' },
				],
			},
			credentialsProperty, // right below Resource
			...record.description,
			...table.description,
			// Base and Table serve every resource: one parameter each, so a saved node keeps them when its resource changes
			baseProperty(),
			tableProperty({ hide: { operation: ['listTables'] } }),
			...sync.description,
			...coordinationProperties,
		],
	};

	methods = {
		listSearch: { searchTables },
		loadOptions: { getFields, getFilterOperators, getWritableFields },
		resourceMapping: { getColumns },
		credentialTest: { feishuAppApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
