/** The in-memory Bitable model: bases hold tables, tables hold fields and records indexed by id. */

export const FieldType = {
	Text: 1,
	Number: 2,
	SingleSelect: 3,
	MultiSelect: 4,
	DateTime: 5,
	Checkbox: 7,
	User: 11,
	Phone: 13,
	Url: 15,
	Attachment: 17,
	SingleLink: 18,
	Lookup: 19,
	Formula: 20,
	DuplexLink: 21,
	Location: 22,
	GroupChat: 23,
	Stage: 24,
	CreatedTime: 1001,
	ModifiedTime: 1002,
	CreatedUser: 1003,
	ModifiedUser: 1004,
	AutoNumber: 1005,
	Button: 3001,
} as const;

export const DEFAULT_UI_TYPE: Record<number, string> = {
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
};

/** Types whose values Feishu computes: an API write to them is refused. */
export const READ_ONLY_TYPES = new Set<number>([19, 20, 24, 1001, 1002, 1003, 1004, 1005, 3001]);
/** Types whose cells are derived from the record itself, never stored. */
export const AUTOMATIC_TYPES = new Set<number>([1001, 1002, 1003, 1004]);

export const MAX_FIELDS = 300;
export const DEFAULT_RECORD_CAP = 1_000_000;
/** Bitable stores dates in the base's time zone; every emulated base is Asia/Shanghai (UTC+8, no DST). */
export const TIME_ZONE = 'Asia/Shanghai';
export const TZ_OFFSET_MS = 8 * 3600_000;

export interface Field {
	field_id: string;
	field_name: string;
	type: number;
	ui_type: string;
	property: Record<string, unknown> | null;
	is_primary: boolean;
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
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(ms / 1000) * 1000;
}

export function fieldByName(table: Table, name: string): Field | undefined {
	return table.fields.find((f) => f.field_name === name);
}
