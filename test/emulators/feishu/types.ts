/** Public types of the Feishu emulator (see README.md in this folder). */
import type { FaultPlanSettings } from '../common';
import type { LimitClass } from './http/route';

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

/**
 * Every Open API endpoint the emulator serves, as named in counters, fault plans and rate limits, with its rate
 * family (README "Endpoint keys"). The write endpoints are those of the write families (see http/route.ts).
 */
export const ENDPOINT_LIMITS = {
	'auth.tenant_token': 'none',
	'bitable.apps.get': 'read',
	'bitable.tables.list': 'read',
	'bitable.fields.list': 'read',
	'bitable.fields.create': 'fieldWrite',
	'bitable.fields.update': 'fieldWrite',
	'bitable.records.search': 'read',
	'bitable.records.batch_get': 'read',
	'bitable.records.get': 'read',
	'bitable.records.create': 'recordWrite',
	'bitable.records.update': 'recordWrite',
	'bitable.records.delete': 'recordWrite',
	'bitable.records.batch_create': 'recordWrite',
	'bitable.records.batch_update': 'recordWrite',
	'bitable.records.batch_delete': 'recordWrite',
	'wiki.get_node': 'wiki',
	'contact.batch_get_id': 'contact',
	'drive.upload_all': 'upload',
	'drive.download': 'read',
	'drive.permission_auth': 'read',
	'drive.subscribe': 'read',
	'drive.delete_subscribe': 'read',
	'drive.get_subscribe': 'read',
	'bot.send': 'none',
	'bot.info': 'read',
} as const satisfies Record<string, LimitClass>;
export type EndpointKey = keyof typeof ENDPOINT_LIMITS;
export const ENDPOINT_KEYS = Object.keys(ENDPOINT_LIMITS) as EndpointKey[];

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

/** Feishu's plan: by default it covers every `bitable.*` endpoint; `slowMs` delays `applied_then_slow`. */
export type FaultPlan = FaultPlanSettings<FaultKind>;

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
