import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { baseProperty, tableProperty } from '../shared/feishu/tableLocator';
import { recordProperties } from './actions/record/description';
import { router } from './actions/router';
import { syncProperties, tableLockProperty } from './actions/sync/description';
import { tableOperationProperties } from './actions/table/description';
import { getColumns, getFields, getFilterOperators, getWritableFields, searchTables } from './methods';

export class FeishuBitable implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Bitable',
		name: 'feishuBitable',
		icon: { light: 'file:feishuBitable.svg', dark: 'file:feishuBitable.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["resource"] === "sync" ? "Sync (" + $parameter["mode"] + ")" : $parameter["operation"] }}',
		description: 'Sync items into a Feishu (Lark) Bitable table, writing only what changed, and read or write its records',
		defaults: { name: 'Feishu Bitable' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'feishuAppApi', required: true },
			{ name: 'mySqlApi', required: true, displayOptions: { show: { resource: ['sync'], tableLock: ['mysql'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'sync',
				options: [
					{ name: 'Sync', value: 'sync', description: 'Upsert all input items into a table by key, writing only what changed' },
					{ name: 'Record', value: 'record' },
					{ name: 'Table', value: 'table' },
				],
			},
			tableLockProperty(2),
			...recordProperties,
			...tableOperationProperties,
			baseProperty(),
			tableProperty({ hide: { operation: ['listTables'] } }),
			...syncProperties,
		],
	};

	methods = {
		listSearch: { searchTables },
		loadOptions: { getFields, getFilterOperators, getWritableFields },
		resourceMapping: { getColumns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
