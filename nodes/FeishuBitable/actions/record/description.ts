import type { INodeProperties } from 'n8n-workflow';
import { filterConditionsProperty } from '../../../shared/feishu/filter';
import { columnsProperties, mappingProperties } from '../common';

const show = { resource: ['record'] };
const fieldPicker = { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['base.value', 'table.value'] };

export const recordProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'create',
		displayOptions: { show },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a record' },
			{ name: 'Delete', value: 'delete', action: 'Delete a record' },
			{ name: 'Get', value: 'get', action: 'Get a record' },
			{ name: 'Search', value: 'search', action: 'Search records' },
			{ name: 'Update', value: 'update', action: 'Update a record' },
		],
	},
	{
		displayName: 'Find Record By',
		name: 'recordBy',
		type: 'options',
		default: 'id',
		displayOptions: { show: { ...show, operation: ['update', 'delete'] } },
		options: [
			{ name: 'Record ID', value: 'id' },
			{ name: 'Key Field Value', value: 'key', description: 'Every record whose key field equals the value' },
		],
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'recXXXXXXXX',
		displayOptions: { show: { ...show, operation: ['get'] } },
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'recXXXXXXXX',
		displayOptions: { show: { ...show, operation: ['update', 'delete'], recordBy: ['id'] } },
	},
	{
		displayName: 'Key Field Name or ID',
		name: 'keyField',
		type: 'options',
		typeOptions: fieldPicker,
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: { ...show, operation: ['update', 'delete'], recordBy: ['key'] } },
	},
	{
		displayName: 'Key Value',
		name: 'keyValue',
		type: 'string',
		default: '',
		displayOptions: { show: { ...show, operation: ['update', 'delete'], recordBy: ['key'] } },
	},
	...mappingProperties({ ...show, operation: ['create', 'update'] }),
	...columnsProperties({ ...show, operation: ['create', 'update'] }, 'add'),
	{
		displayName: 'Filter',
		name: 'filterType',
		type: 'options',
		default: 'none',
		displayOptions: { show: { ...show, operation: ['search'] } },
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Build Conditions', value: 'builder' },
			{
				name: 'Filter JSON',
				value: 'json',
				description: 'Feishu\'s filter object: {"conjunction":"and","conditions":[...]}',
			},
		],
	},
	{
		displayName: 'Match',
		name: 'conjunction',
		type: 'options',
		default: 'and',
		displayOptions: { show: { ...show, operation: ['search'], filterType: ['builder'] } },
		options: [
			{ name: 'All Conditions', value: 'and' },
			{ name: 'Any Condition', value: 'or' },
		],
	},
	filterConditionsProperty({ show: { ...show, operation: ['search'], filterType: ['builder'] } }),
	{
		displayName: 'Filter JSON',
		name: 'filterJson',
		type: 'json',
		default: '{\n  "conjunction": "and",\n  "conditions": []\n}',
		displayOptions: { show: { ...show, operation: ['search'], filterType: ['json'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { ...show, operation: ['search'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, operation: ['search'], returnAll: [false] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			"Whether to return plain values (text joined, dates in ms, users as IDs) instead of Feishu's rich cell objects",
		displayOptions: { show: { ...show, operation: ['get', 'search', 'create', 'update'] } },
	},
];
