/** Table: reads about a base and its tables, one call per item (../../helpers/perItem.ts). */
import type { INodeProperties } from 'n8n-workflow';
import type { ItemOperation } from '../../helpers/perItem';
import * as checkAccess from './checkAccess.operation';
import * as listFields from './listFields.operation';
import * as listTables from './listTables.operation';

export const operations: Record<string, ItemOperation> = {
	checkAccess: checkAccess.execute,
	listFields: listFields.execute,
	listTables: listTables.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'listTables',
		displayOptions: { show: { resource: ['table'] } },
		options: [
			{
				name: 'Check Access',
				value: 'checkAccess',
				action: 'Check the app can read and write a table',
				description:
					'Whether the app can read and write the table, add fields, and whether the base uses advanced permissions, each with what to do',
			},
			{ name: 'List Tables', value: 'listTables', action: 'List the tables of a base' },
			{ name: 'List Fields', value: 'listFields', action: 'List the fields of a table' },
		],
	},
	...checkAccess.description,
	...listFields.description,
	...listTables.description,
];
