/** The mapping parameters (../actions/common.descriptions.ts) read for one item: the node's version decides which. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { AUTO_MAP, mapperItemValues, matchingColumns, type MapperValue } from '../../../lib/bitableSync/columns';
import { autoMapItem } from '../../../lib/bitableSync/mapping';
import { splitValues } from '../../../lib/feishu/filter';

/** The item's values by target field name, per the mapping parameters (the node's version decides which). */
export function mappedValues(ctx: IExecuteFunctions, i: number, json: IDataObject): Record<string, unknown> {
	if (ctx.getNode().typeVersion >= 2) {
		// Our own coercion checks each value against its field (a clear error per item and field), not n8n's mapper types
		const columns = ctx.getNodeParameter('columns', i, undefined, { skipValidation: true }) as MapperValue | undefined;
		return mapperItemValues(columns, json, splitValues(ctx.getNodeParameter('ignoreProperties', i, '')));
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
	return autoMapItem(json, { renames, exclude: splitValues(ctx.getNodeParameter('exclude', i, '')) });
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
