/**
 * Parameters shared by several operations: field mapping. Version 1: automatic by name with renames, or field by field
 * (a fixedCollection). Version 2: n8n's column mapper (resource mapper) over the table's fields.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { AUTO_MAP, mapperItemValues, matchingColumns, type MapperValue } from '../../../lib/bitableSync/columns';
import { autoMapItem } from '../../../lib/bitableSync/mapping';
import { splitValues } from '../../../lib/feishu/filter';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

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

export const splitList = splitValues;

/** The item's values by target field name, per the mapping parameters (the node's version decides which). */
export function mappedValues(ctx: IExecuteFunctions, i: number, json: IDataObject): Record<string, unknown> {
	if (ctx.getNode().typeVersion >= 2) {
		// Our own coercion checks each value against its field (a clear error per item and field), not n8n's mapper types
		const columns = ctx.getNodeParameter('columns', i, undefined, { skipValidation: true }) as MapperValue | undefined;
		return mapperItemValues(columns, json, splitList(ctx.getNodeParameter('ignoreProperties', i, '')));
	}
	const mode = ctx.getNodeParameter('mappingMode', i, 'auto') as string;
	if (mode === 'manual') {
		const list = (ctx.getNodeParameter('fields.field', i, []) as { name: string; value: unknown }[]) ?? [];
		const out: Record<string, unknown> = {};
		for (const f of list) if (f.name) out[f.name] = f.value;
		return out;
	}
	const renames: Record<string, string> = {};
	for (const r of (ctx.getNodeParameter('renames.rename', i, []) as { from: string; to: string }[]) ?? [])
		if (r.from && r.to) renames[r.from] = r.to;
	return autoMapItem(json, { renames, exclude: splitList(ctx.getNodeParameter('exclude', i, '')) });
}

/** Sync's key fields: version 1's "Key Field Names or IDs", version 2's columns to match on. */
export function syncKeyFields(ctx: IExecuteFunctions): string[] {
	if (ctx.getNode().typeVersion >= 2) {
		return matchingColumns(
			ctx.getNodeParameter('columns', 0, undefined, { skipValidation: true }) as MapperValue | undefined,
		);
	}
	const keyParameter = ctx.getNodeParameter('keyFields', 0, []) as string[] | string;
	return (Array.isArray(keyParameter) ? keyParameter : String(keyParameter ?? '').split(','))
		.map((k) => String(k ?? '').trim())
		.filter(Boolean);
}

/** Fields named one by one (v1 "Field by Field", v2 "Map Each Column Manually"): a field the table lacks is an error. */
export function isManualMapping(ctx: IExecuteFunctions): boolean {
	if (ctx.getNode().typeVersion >= 2) {
		const columns = ctx.getNodeParameter('columns', 0, undefined, { skipValidation: true }) as MapperValue | undefined;
		return (columns?.mappingMode ?? AUTO_MAP) !== AUTO_MAP;
	}
	return ctx.getNodeParameter('mappingMode', 0, 'auto') === 'manual';
}
