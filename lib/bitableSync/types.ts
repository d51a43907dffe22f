/** The vocabulary of a Bitable sync: the request, the client it needs, the plan and the result. */
import type { FieldMeta } from '../feishu/fieldValues';
import type { SnapshotReport, SnapshotRequest, SyncSnapshot } from './snapshot';

/** A record as search / batch_get return it. */
export interface BitableRecord {
	record_id: string;
	fields: Record<string, unknown>;
}

export interface NewFieldSpec {
	field_name: string;
	type: number;
	ui_type?: string;
	property?: Record<string, unknown> | null;
}

/**
 * The calls a sync makes, as the Feishu transport (lib/feishu session) offers them. Retries, rate
 * limits, client tokens and write serialisation are the transport's job, not the sync's.
 */
export interface BitableClient {
	readonly calls: number;
	listFields(appToken: string, tableId: string): Promise<FieldMeta[]>;
	createField(appToken: string, tableId: string, spec: NewFieldSpec): Promise<FieldMeta>;
	searchRecords(
		appToken: string,
		tableId: string,
		body: Record<string, unknown>,
		opts?: { pageSize?: number },
	): Promise<BitableRecord[]>;
	/** One page of a search (lets the sync index records while the next page is rate-limited). */
	searchPage?(
		appToken: string,
		tableId: string,
		body: Record<string, unknown>,
		pageSize: number,
		pageToken?: string,
	): Promise<{ items: BitableRecord[]; has_more: boolean; page_token?: string; total?: number }>;
	batchGetRecords(appToken: string, tableId: string, ids: string[]): Promise<BitableRecord[]>;
	batchCreateRecords(
		appToken: string,
		tableId: string,
		records: { fields: Record<string, unknown> }[],
		opts?: { batchSize?: number },
	): Promise<BitableRecord[]>;
	batchUpdateRecords(
		appToken: string,
		tableId: string,
		records: { record_id: string; fields: Record<string, unknown> }[],
		opts?: { batchSize?: number },
	): Promise<unknown>;
	batchDeleteRecords(appToken: string, tableId: string, ids: string[], opts?: { batchSize?: number }): Promise<unknown>;
	/** emails / mobiles -> open ids (unknown ones absent from the result). */
	lookupUserIds?(query: { emails: string[]; mobiles: string[] }): Promise<Map<string, string>>;
	/** Uploads one file for an attachment field; returns its file_token. */
	uploadAttachment?(appToken: string, file: AttachmentFile): Promise<string>;
	/** The base's metadata (app get): advanced permissions on, and its time zone. */
	baseInfo?(appToken: string): Promise<{ isAdvanced: boolean; timeZone?: string }>;
}

export type SyncMode = 'upsert' | 'insert' | 'overwrite' | 'clone' | 'mirror' | 'prune';
/** How a new field's type is chosen: lib/bitableSync/inferTypes.ts, README "Field types for new fields". */
export type FieldStrategy = 'raw' | 'base' | 'auto' | 'intelligence';

/** One input item, already mapped: target field name -> raw value. */
export interface SyncInputItem {
	index: number;
	values: Record<string, unknown>;
	/** Soft-delete flag read from the input (deletes the record with this key). */
	deleted?: boolean;
}

/** A file for an attachment field (n8n binary data or a downloaded URL). */
export interface AttachmentFile {
	name: string;
	mimeType: string;
	data: Buffer;
	sha256: string;
}

export interface Thresholds {
	/** Stop when a mirror or prune would delete more than this many records (-1 = no limit). */
	maxDeleteCount: number;
	/** ... or more than this percent of the table's keyed records (100 = no limit). */
	maxDeletePercent: number;
}

export interface SyncRequest {
	appToken: string;
	tableId: string;
	mode: SyncMode;
	dryRun?: boolean;
	/** Key field names (several = composite key). */
	keyFields: string[];
	items: SyncInputItem[];
	/** Create mapped fields the table lacks (never changes an existing field's type). */
	createMissingFields?: boolean;
	strategy?: FieldStrategy;
	/** Input duplicate keys: 'error' (default) refuses the run; 'lastWins' keeps the last item of each key. */
	duplicateInputKeys?: 'error' | 'lastWins';
	/** Delete extra table records sharing a key (keeps the one closest to the input). */
	dedupe?: boolean;
	thresholds?: Partial<Thresholds>;
	/** Items that fail validation become failures instead of stopping the run. */
	continueOnFail?: boolean;
	verify?: boolean;
	batchSizes?: { create?: number; update?: number; delete?: number };
	timeZone?: string;
	/** file_token -> sha256 of files this sync uploaded before (kept by the node between runs). */
	attachmentHashes?: Record<string, string>;
	/** Fetches an attachment given as a URL. */
	downloadUrl?: (url: string) => Promise<AttachmentFile>;
	/** Number of sample rows in a dry run's plan. */
	sampleSize?: number;
	/** Read only what changed since the last run (lib/bitableSync/snapshot.ts); the result carries the next snapshot. */
	snapshot?: SnapshotRequest;
}

export type ItemAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'deleted'
	| 'skipped'
	| 'failed'
	| 'wouldCreate'
	| 'wouldUpdate'
	| 'wouldDelete';

export interface ItemOutcome {
	index: number;
	action: ItemAction;
	key?: string;
	record_id?: string;
	/** Why an item was skipped or failed. */
	reason?: string;
	error?: ItemValidationError;
}

export interface ItemValidationError {
	itemIndex: number;
	field: string;
	value: unknown;
	expected: string;
	message: string;
}

export interface SyncSummary {
	mode: SyncMode;
	dryRun: boolean;
	created: number;
	updated: number;
	unchanged: number;
	deleted: number;
	skipped: number;
	failed: number;
	fieldsCreated: string[];
	/** Mapped names that are not written, and why (read-only field, no such field). */
	ignoredFields: { field: string; reason: string }[];
	apiCalls: number;
	durationMs: number;
	tableRecordsRead: number;
	/** 'byKeys' when only the input's keys were looked up (cheaper than reading the whole table). */
	tableRead: 'full' | 'byKeys' | 'none' | 'changedSince';
	/** The Feishu app's API calls this month (lib/feishu/usage.ts), set by the node. */
	monthCalls?: { month: string; calls: number; shared: boolean; budget?: number };
	/** How the sync's snapshot served this run (when the request gave one). */
	snapshot?: SnapshotReport;
	duplicateKeysInTable: string[];
	recordsWithoutKey: number;
	verified?: boolean;
}

export interface SyncResult {
	summary: SyncSummary;
	items: ItemOutcome[];
	/** For a dry run: what would be written (a sample). */
	plan?: PlanPreview;
	/** file_token -> sha256, to keep for the next run. */
	attachmentHashes: Record<string, string>;
	/** The snapshot to give the next run (not after a dry run). */
	snapshot?: SyncSnapshot;
}

export interface PlanPreview {
	fieldsToCreate: NewFieldSpec[];
	create: { key: string; fields: Record<string, unknown> }[];
	update: { key: string; record_id: string; fields: Record<string, unknown> }[];
	delete: { key: string; record_id: string; reason: string }[];
}
