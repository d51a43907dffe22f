/** Public types of the Feishu emulator (see README.md in this folder). */

export type FaultKind = '1254290' | '1254291' | '1254607' | '5xx' | 'drop' | 'applied_then_drop' | 'applied_then_slow';

export const FAULT_KINDS: FaultKind[] = [
	'1254290',
	'1254291',
	'1254607',
	'5xx',
	'drop',
	'applied_then_drop',
	'applied_then_slow',
];

/** Every Open API endpoint the emulator serves, as named in counters, fault plans and rate limits. */
export const ENDPOINT_KEYS = [
	'auth.tenant_token',
	'bitable.apps.get',
	'bitable.tables.list',
	'bitable.fields.list',
	'bitable.fields.create',
	'bitable.fields.update',
	'bitable.records.search',
	'bitable.records.batch_get',
	'bitable.records.get',
	'bitable.records.create',
	'bitable.records.update',
	'bitable.records.delete',
	'bitable.records.batch_create',
	'bitable.records.batch_update',
	'bitable.records.batch_delete',
	'wiki.get_node',
	'contact.batch_get_id',
	'drive.upload_all',
	'drive.download',
	'drive.permission_auth',
	'drive.subscribe',
	'drive.delete_subscribe',
	'drive.get_subscribe',
	'bot.send',
	'bot.info',
] as const;
export type EndpointKey = (typeof ENDPOINT_KEYS)[number];

export interface RateLimitConfig {
	/** Multiplies every per-second and per-minute limit (e.g. 100 for fast suites). */
	multiplier?: number;
	/** Per-second limit overrides by endpoint key. */
	perEndpoint?: Record<string, number>;
}
export type RateLimitSetting = 'spec' | 'off' | RateLimitConfig;

export interface FeishuEmulatorOptions {
	/** Default 0 = a random free port; the host is always 127.0.0.1. */
	port?: number;
	/** Seeds record ids, tie shuffling and (unless the plan has its own seed) fault plans. */
	seed?: number;
	/** Injectable clock in ms; default Date.now. The admin clock offset is added to it. */
	now?: () => number;
	/** Default 'spec'. */
	rateLimits?: RateLimitSetting;
	/**
	 * Each Bitable write holds its base this long before answering; a write to a held base answers 1254291
	 * (write conflict). Default 0: no conflicts.
	 */
	writeLatencyMs?: number;
}

export interface FaultPlan {
	seed: number;
	/** Probability that a matching call gets a fault (default 0.1, or 0 when onCalls is given). */
	rate?: number;
	kinds: FaultKind[];
	/** Endpoint keys the plan applies to; default every `bitable.*` endpoint. */
	endpoints?: string[];
	/** 1-based indexes of the matching calls that get a fault (instead of `rate`). */
	onCalls?: number[];
	/** Delay of an `applied_then_slow` answer; default 3000 ms. */
	slowMs?: number;
}

export interface Counters {
	calls: Record<string, number>;
	/** Write calls answered with success or applied then cut off / delayed (client_token replays excluded). */
	writeCalls: number;
	/** client_token replays answered from the stored first response. */
	idempotentReplays: number;
	recordsCreated: number;
	recordsUpdated: number;
	recordsDeleted: number;
	fieldsCreated: number;
	faultsInjected: Record<string, number>;
	faultsOnWrites: Record<string, number>;
	rateLimited: number;
	/** Writes refused with 1254291 because another write held the base (see writeLatencyMs). */
	writeConflicts: number;
}

export interface FieldSpec {
	field_name: string;
	type: number;
	property?: Record<string, unknown> | null;
	ui_type?: string;
}

export interface SeedRecord {
	fields: Record<string, unknown>;
	/** open_id of the human who created / last edited the record (default the base owner). */
	asUser?: string;
	createdTime?: number;
	modifiedTime?: number;
}

export interface DumpedRecord {
	record_id: string;
	/** Read form, as search returns it. */
	fields: Record<string, unknown>;
	/** Plain form: text joined, users/attachments/links as id arrays, formula values unwrapped. */
	plain: Record<string, unknown>;
	created_time: number;
	last_modified_time: number;
	created_by: string;
	modified_by: string;
}

export interface DumpedField {
	field_id: string;
	field_name: string;
	type: number;
	ui_type: string;
	property: Record<string, unknown> | null;
	is_primary: boolean;
}

export interface TableDump {
	fields: DumpedField[];
	records: DumpedRecord[];
}

export interface UploadInfo {
	file_token: string;
	name: string;
	size: number;
	mime: string;
	sha256: string;
	parent_type: string;
	parent_node: string;
}

export interface BotMessage {
	at: number;
	body: Record<string, unknown>;
}
