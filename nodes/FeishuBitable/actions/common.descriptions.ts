/**
 * Parameters shared by Sync and the record writes: field mapping (read by ../helpers/mapping.ts). Version 1:
 * automatic by name with renames, or field by field (a fixedCollection). Version 2: n8n's column mapper (resource
 * mapper) over the table's fields.
 */
import type { INodeProperties } from 'n8n-workflow';
import { AUTO_MAP } from '../../../lib/bitableSync/columns';

export type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** Version 2's column mapper: the table's fields with their types; `upsert` adds the key columns to match on. */
export function columnsProperties(show: Show, mode: 'add' | 'upsert'): INodeProperties[] {
	const v2 = { ...show, '@version': [{ _cnd: { gte: 2 } }] };
	return [
		{
			displayName: mode === 'upsert' ? 'Columns' : 'Fields to Write',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: AUTO_MAP, value: null },
			required: true,
			displayOptions: { show: v2 },
			typeOptions: {
				loadOptionsDependsOn: ['base.value', 'table.value'],
				resourceMapper: {
					resourceMapperMethod: 'getColumns',
					mode,
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: true,
					multiKeyMatch: true,
					supportAutoMap: true,
					noFieldsError:
						'The table has no fields this node can write. Check the Base and Table, and that the app was added to the base.',
					...(mode === 'upsert'
						? {
								matchingFieldsLabels: {
									title: 'Key Fields (Columns to Match On)',
									description:
										'The field (or fields, for a composite key) that identifies a record: an input item updates the record with the same key, or creates one',
									hint: 'Bitable has no unique key of its own: pick the column(s) your source treats as the key (e.g. order_no)',
								},
							}
						: {}),
				},
			},
		},
		{
			displayName: 'Ignore Input Properties',
			name: 'ignoreProperties',
			type: 'string',
			default: '',
			placeholder: 'updated_at, internal_note',
			description: 'With "Map Automatically": comma-separated input properties that are never written',
			displayOptions: { show: v2 },
		},
	];
}

export function mappingProperties(show: Show): INodeProperties[] {
	show = { ...show, '@version': [1] };
	return [
		{
			displayName: 'Map Fields',
			name: 'mappingMode',
			type: 'options',
			default: 'auto',
			displayOptions: { show },
			options: [
				{
					name: 'Automatically by Name',
					value: 'auto',
					description: 'Each input property goes to the field of the same name (rename or exclude below)',
				},
				{
					name: 'Field by Field',
					value: 'manual',
					description: 'Name each field and give its value (expressions allowed)',
				},
			],
		},
		{
			displayName: 'Renames',
			name: 'renames',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Rename',
			description: 'Input properties whose field has another name',
			displayOptions: { show: { ...show, mappingMode: ['auto'] } },
			options: [
				{
					name: 'rename',
					displayName: 'Rename',
					values: [
						{ displayName: 'Input Property', name: 'from', type: 'string', default: '' },
						{ displayName: 'Field Name', name: 'to', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Exclude Properties',
			name: 'exclude',
			type: 'string',
			default: '',
			placeholder: 'updated_at, internal_note',
			description: 'Comma-separated input properties that are never written',
			displayOptions: { show: { ...show, mappingMode: ['auto'] } },
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Field',
			displayOptions: { show: { ...show, mappingMode: ['manual'] } },
			options: [
				{
					name: 'field',
					displayName: 'Field',
					values: [
						{
							displayName: 'Field Name or ID',
							name: 'name',
							type: 'options',
							typeOptions: {
								loadOptionsMethod: 'getWritableFields',
								loadOptionsDependsOn: ['base.value', 'table.value'],
							},
							default: '',
							description:
								'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
	];
}
