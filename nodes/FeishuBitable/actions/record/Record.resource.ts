/** Record: one call per item, every item checked before the first write (../../helpers/perItem.ts). */
import type { INodeProperties } from 'n8n-workflow';
import type { ItemOperation } from '../../helpers/perItem';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as get from './get.operation';
import * as search from './search.operation';
import * as update from './update.operation';

/** By the Operation parameter's value (`delete` is a word TypeScript keeps for itself, hence deleteRecord). */
export const operations: Record<string, ItemOperation> = {
	create: create.execute,
	delete: deleteRecord.execute,
	get: get.execute,
	search: search.execute,
	update: update.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'create',
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a record' },
			{ name: 'Delete', value: 'delete', action: 'Delete a record' },
			{ name: 'Get', value: 'get', action: 'Get a record' },
			{ name: 'Search', value: 'search', action: 'Search records' },
			{ name: 'Update', value: 'update', action: 'Update a record' },
		],
	},
	...create.description,
	...deleteRecord.description,
	...get.description,
	...search.description,
	...update.description,
];
