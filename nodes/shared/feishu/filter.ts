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
						{ displayName: 'Field Name or ID', name: 'field', type: 'options', typeOptions: fieldPicker, default: '', description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>' },
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							default: 'is',
							options: [
								{ name: 'Contains', value: 'contains' },
								{ name: 'Does Not Contain', value: 'doesNotContain' },
								{ name: 'Is', value: 'is' },
								{ name: 'Is Empty', value: 'isEmpty' },
								{ name: 'Is Greater', value: 'isGreater' },
								{ name: 'Is Greater or Equal', value: 'isGreaterEqual' },
								{ name: 'Is Less', value: 'isLess' },
								{ name: 'Is Less or Equal', value: 'isLessEqual' },
								{ name: 'Is Not', value: 'isNot' },
								{ name: 'Is Not Empty', value: 'isNotEmpty' },
							],
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Several values separated by commas (e.g. for multi selects). For dates give a day (2024-05-01).' },
					],
				},
			],
	};
}
