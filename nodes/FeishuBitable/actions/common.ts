/** Parameters shared by several operations: field mapping (automatic by name, or field by field). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { autoMapItem } from '../../../lib/bitableSync/mapping';
import { splitValues } from '../../../lib/feishu/filter';

export function mappingProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Map Fields',
			name: 'mappingMode',
			type: 'options',
			default: 'auto',
			displayOptions: { show },
			options: [
				{ name: 'Automatically by Name', value: 'auto', description: 'Each input property goes to the field of the same name (rename or exclude below)' },
				{ name: 'Field by Field', value: 'manual', description: 'Name each field and give its value (expressions allowed)' },
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
							typeOptions: { loadOptionsMethod: 'getWritableFields', loadOptionsDependsOn: ['base.value', 'table.value'] },
							default: '',
							description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
	];
}

export const splitList = splitValues;

/** The item's values by target field name, per the mapping parameters. */
export function mappedValues(ctx: IExecuteFunctions, i: number, json: IDataObject): Record<string, unknown> {
	const mode = ctx.getNodeParameter('mappingMode', i, 'auto') as string;
	if (mode === 'manual') {
		const list = (ctx.getNodeParameter('fields.field', i, []) as { name: string; value: unknown }[]) ?? [];
		const out: Record<string, unknown> = {};
		for (const f of list) if (f.name) out[f.name] = f.value;
		return out;
	}
	const renames: Record<string, string> = {};
	for (const r of (ctx.getNodeParameter('renames.rename', i, []) as { from: string; to: string }[]) ?? []) if (r.from && r.to) renames[r.from] = r.to;
	return autoMapItem(json, { renames, exclude: splitList(ctx.getNodeParameter('exclude', i, '')) });
}
