import type { INodeProperties } from 'n8n-workflow';

const fieldPicker = { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['base.value', 'table.value'] };

/**
 * A filter builder over the table's fields (`conditions.condition[]` of field, operator, value),
 * shared by record search and the trigger; lib/feishu/filter.ts turns it into Feishu's filter.
 */
export function filterConditionsProperty(displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Condition',
		displayOptions,
		options: [
			{
				name: 'condition',
				displayName: 'Condition',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: fieldPicker,
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						// an operator is neither a name nor an ID; 'is' is valid on every field type
						// eslint-disable-next-line n8n-nodes-base/node-param-display-name-wrong-for-dynamic-options
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						// only the operators Feishu accepts on the picked field's type (dates: is, >, >=, <, <=, empty)
						typeOptions: {
							loadOptionsMethod: 'getFilterOperators',
							loadOptionsDependsOn: ['&field', 'base.value', 'table.value'],
						},
						// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
						default: 'is',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'Several values separated by commas (e.g. for multi selects). For dates give a day (2024-05-01).',
					},
				],
			},
		],
	};
}
