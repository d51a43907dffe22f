/**
 * The column mapper (n8n's resource mapper) of Feishu Bitable v2, without n8n: a table's fields as mapper columns
 * (type, options, read-only, usable as key), and an item's values from the mapper's saved value.
 * The shapes mirror n8n-workflow's ResourceMapperField / ResourceMapperValue (structurally, no import).
 */
import { READ_ONLY_TYPES, WRITABLE_TYPES, typeName, type FieldMeta } from '../feishu/values/types';
import { autoMapItem } from './mapping';

export type MapperFieldType = 'string' | 'number' | 'boolean' | 'dateTime' | 'options' | 'array' | 'object';

export interface MapperColumn {
	id: string;
	displayName: string;
	required: boolean;
	defaultMatch: boolean;
	canBeUsedToMatch: boolean;
	display: boolean;
	type: MapperFieldType;
	options?: { name: string; value: string }[];
	readOnly: boolean;
	removed: boolean;
}

export interface MapperValue {
	mappingMode?: string;
	value?: Record<string, unknown> | null;
	matchingColumns?: string[];
	schema?: Array<{ id: string; readOnly?: boolean; removed?: boolean }>;
}

/** Mapper value mode names as n8n saves them. */
export const AUTO_MAP = 'autoMapInputData';
export const DEFINE_BELOW = 'defineBelow';

/** Feishu type -> the mapper's input widget. Our own coercion converts the value (docs/feishu-api.md, field values). */
const MAPPER_TYPES: Record<number, MapperFieldType> = {
	1: 'string',
	2: 'number',
	3: 'options',
	4: 'array',
	5: 'dateTime',
	7: 'boolean',
	11: 'array',
	13: 'string',
	15: 'string',
	17: 'array',
	18: 'array',
	21: 'array',
	22: 'string',
};

/** Types whose values identify a record well enough to be a sync key (the same set the key builder compares). */
const KEY_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 5, 7, 13, 15]);

/**
 * The table's fields as mapper columns, in the table's order. Read-only fields (formula, created time, auto number, ...)
 * are listed as read-only and start removed, so a user sees them without being able to map them; fields the API cannot
 * write at all (group chat) are not shown.
 */
export function mapperColumns(fields: FieldMeta[]): MapperColumn[] {
	const out: MapperColumn[] = [];
	for (const f of fields) {
		const readOnly = READ_ONLY_TYPES.has(f.type);
		if (!readOnly && !WRITABLE_TYPES.has(f.type)) continue;
		const type = MAPPER_TYPES[f.type] ?? 'string';
		const choices = (f.property?.options as { name?: string }[] | undefined)?.filter(
			(o) => typeof o?.name === 'string',
		);
		const column: MapperColumn = {
			id: f.field_name,
			displayName: `${f.field_name} (${typeName(f.type)}${readOnly ? ', read-only' : ''})`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: !readOnly && KEY_TYPES.has(f.type),
			display: true,
			type,
			readOnly,
			removed: readOnly,
		};
		if (type === 'options') column.options = (choices ?? []).map((o) => ({ name: o.name!, value: o.name! }));
		out.push(column);
	}
	return out;
}

/** The key fields of a v2 node: the mapper's "columns to match on". */
export function matchingColumns(value: MapperValue | undefined): string[] {
	return (value?.matchingColumns ?? []).map((c) => String(c ?? '').trim()).filter(Boolean);
}

/**
 * An item's values by field name. "Map Automatically": the item's properties by name (excluded ones dropped).
 * "Map Each Column Manually": the columns given a value; a column left empty (n8n saves null) is not written.
 * Read-only fields are dropped where every write is prepared (lib/bitableSync/recordFields, the sync's plan).
 */
export function mapperItemValues(
	value: MapperValue | undefined,
	json: Record<string, unknown>,
	exclude: string[] = [],
): Record<string, unknown> {
	if ((value?.mappingMode ?? AUTO_MAP) === AUTO_MAP) return autoMapItem(json, { exclude });
	const out: Record<string, unknown> = {};
	for (const [name, v] of Object.entries(value?.value ?? {})) {
		if (v === null || v === undefined) continue;
		out[name] = v;
	}
	return out;
}
