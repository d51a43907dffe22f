/** The in-memory Bitable model: bases hold tables, tables hold fields and records indexed by id. */
import type { DumpedField } from '../types';

/** Each Bitable field type code with the ui_type a field of that type gets by default (fields list, docs/feishu-api.md). */
const UI_TYPE_BY_CODE = {
	1: 'Text',
	2: 'Number',
	3: 'SingleSelect',
	4: 'MultiSelect',
	5: 'DateTime',
	7: 'Checkbox',
	11: 'User',
	13: 'Phone',
	15: 'Url',
	17: 'Attachment',
	18: 'SingleLink',
	19: 'Lookup',
	20: 'Formula',
	21: 'DuplexLink',
	22: 'Location',
	23: 'GroupChat',
	24: 'Stage',
	1001: 'CreatedTime',
	1002: 'ModifiedTime',
	1003: 'CreatedUser',
	1004: 'ModifiedUser',
	1005: 'AutoNumber',
	3001: 'Button',
} as const;

export const DEFAULT_UI_TYPE: Readonly<Record<number, string>> = UI_TYPE_BY_CODE;

/** Type codes by name (`T.Text`), read off the same table. */
export const FieldType = Object.fromEntries(
	Object.entries(UI_TYPE_BY_CODE).map(([code, name]) => [name, Number(code)]),
) as { readonly [Name in (typeof UI_TYPE_BY_CODE)[keyof typeof UI_TYPE_BY_CODE]]: number };
const T = FieldType;

/** Types whose values Feishu computes: an API write to them is refused. */
export const READ_ONLY_TYPES: ReadonlySet<number> = new Set([
	T.Lookup,
	T.Formula,
	T.Stage,
	T.CreatedTime,
	T.ModifiedTime,
	T.CreatedUser,
	T.ModifiedUser,
	T.AutoNumber,
	T.Button,
]);
/** Types whose cells are derived from the record itself, never stored. */
export const AUTOMATIC_TYPES: ReadonlySet<number> = new Set([
	T.CreatedTime,
	T.ModifiedTime,
	T.CreatedUser,
	T.ModifiedUser,
]);

export const MAX_FIELDS = 300;
export const DEFAULT_RECORD_CAP = 1_000_000;
/** Bitable stores dates in the base's time zone; every emulated base is Asia/Shanghai (UTC+8, no DST). */
export const TIME_ZONE = 'Asia/Shanghai';
export const TZ_OFFSET_MS = 8 * 3600_000;

/** A stored field: what fields list and the admin dump describe, plus its description. */
export interface Field extends DumpedField {
	description?: string;
}

export interface Rec {
	record_id: string;
	/** Stored values by field id, in the emulator's canonical form (see values.ts). */
	cells: Record<string, unknown>;
	created_time: number;
	last_modified_time: number;
	created_by: string;
	modified_by: string;
	/** Search lag: until `until`, search sees `rec` (null: not yet) instead of this record. */
	searchView?: { until: number; rec: Rec | null };
}

export interface Table {
	table_id: string;
	name: string;
	revision: number;
	fields: Field[];
	records: Map<string, Rec>;
	autoNumber: number;
	recordCap: number;
	/** Search lag: deleted records search still sees until their time. */
	ghosts?: Map<string, { until: number; rec: Rec }>;
}

export interface Base {
	app_token: string;
	name: string;
	revision: number;
	apps: Set<string>;
	tables: Map<string, Table>;
	/** Advanced permissions on: apps outside `managers` get successful searches with no records (search page's warning). */
	advanced?: boolean;
	/** Apps with manage rights (可管理) on an advanced base. */
	managers?: Set<string>;
	/**
	 * The right each added app was given (添加文档应用: 可阅读 / 可编辑 / 可管理); absent = edit. Only the permission
	 * auth endpoint reads it: the emulator does not refuse a view-only app's writes.
	 */
	appPerms?: Map<string, 'view' | 'edit' | 'full_access'>;
	/** The base's time zone (app get `time_zone`); date filters count days in it. Default Asia/Shanghai. */
	timeZone?: string;
}

/** Milliseconds to add to a UTC instant to get the wall clock in `zone` at that instant. */
export function zoneOffsetAt(zone: string | undefined, ms: number): number {
	if (!zone || zone === TIME_ZONE) return TZ_OFFSET_MS;
	// The zone's offset at that instant as the tz database names it: "GMT+05:30", "GMT-03:00", plain "GMT" for UTC
	const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
		.formatToParts(new Date(ms))
		.find((p) => p.type === 'timeZoneName')?.value;
	const m = /^GMT([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(name ?? '');
	if (!m) return 0;
	const abs = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
	return m[1] === '-' ? -abs : abs;
}

export function fieldByName(table: Table, name: string): Field | undefined {
	return table.fields.find((f) => f.field_name === name);
}
