/** Parameters several record operations show, each operation with its own copy (n8n's MySQL v2 layout). */
import type { INodeProperties } from 'n8n-workflow';
import type { Show } from '../common.descriptions';

export type RecordOperation = 'create' | 'delete' | 'get' | 'search' | 'update';

export const recordShow = (operation: RecordOperation): Show => ({ resource: ['record'], operation: [operation] });

export const recordIdProperty = (show: Show): INodeProperties => ({
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'recXXXXXXXX',
	displayOptions: { show },
});

/** Update and Delete: the record by its ID, or every record whose key field has the value. */
export function recordTargetProperties(operation: 'update' | 'delete'): INodeProperties[] {
	const show = recordShow(operation);
	return [
		{
			displayName: 'Find Record By',
			name: 'recordBy',
			type: 'options',
			default: 'id',
			displayOptions: { show },
			options: [
				{ name: 'Record ID', value: 'id' },
				{ name: 'Key Field Value', value: 'key', description: 'Every record whose key field equals the value' },
			],
		},
		recordIdProperty({ ...show, recordBy: ['id'] }),
		{
			displayName: 'Key Field Name or ID',
			name: 'keyField',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['base.value', 'table.value'] },
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			displayOptions: { show: { ...show, recordBy: ['key'] } },
		},
		{
			displayName: 'Key Value',
			name: 'keyValue',
			type: 'string',
			default: '',
			displayOptions: { show: { ...show, recordBy: ['key'] } },
		},
	];
}

export const simplifyProperty = (operation: RecordOperation): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		"Whether to return plain values (text joined, dates in ms, users as IDs) instead of Feishu's rich cell objects",
	displayOptions: { show: recordShow(operation) },
});
