/**
 * What a trigger reads about its table besides records (the field list, the base's time zone, the app's own
 * open id, the table a wiki link points at), kept in workflow static data so an idle poll costs one call: the
 * search. It is read again when the table or the filter changes, when a search shows a field it does not know
 * (or answers FieldNameNotFound), and every N polls (docs/bitable-sync-economy.md).
 */
import type { FieldMeta } from '../feishu/fieldValues';

export const DEFAULT_META_EVERY_POLLS = 1440;

export interface TriggerMeta {
	version: 1;
	/** The locator parameters (base and table as entered) the rest was read for. */
	locator: string;
	appToken: string;
	tableId: string;
	fields: FieldMeta[];
	baseZone?: string;
	/** Polls served by this copy, the one that read it included. */
	polls: number;
}

/** Whether the cached copy can serve this poll (and counts the poll when it can): N = 1 reads every poll. */
export function useCachedMeta(meta: TriggerMeta | undefined, locator: string, everyPolls: number): meta is TriggerMeta {
	if (!meta || meta.version !== 1 || meta.locator !== locator) return false;
	if (everyPolls > 0 && meta.polls >= everyPolls) return false;
	meta.polls++;
	return true;
}

/** Trimmed to what reading values needs, so static data stays small. */
export function storedFields(fields: readonly FieldMeta[]): FieldMeta[] {
	return fields.map((f) => ({
		field_id: f.field_id,
		field_name: f.field_name,
		type: f.type,
		...(f.property ? { property: f.property } : {}),
	}));
}

/** A record carries a field the cached list does not know: the table changed, read the fields again. */
export function hasUnknownField(
	records: readonly { fields?: Record<string, unknown> }[],
	known: ReadonlyMap<string, unknown>,
): boolean {
	for (const r of records) for (const name of Object.keys(r.fields ?? {})) if (!known.has(name)) return true;
	return false;
}
