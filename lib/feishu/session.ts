/**
 * The Feishu session every Feishu node uses: typed Bitable, wiki, contact and drive calls over the
 * shared per-app transport (see caller.ts). A session belongs to one execution and counts its calls;
 * the app's token, limiters, breaker and base write locks are shared by the whole process.
 */
import { DEFAULT_TIME_ZONE } from '../defaults';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { CoordinationStore } from '../coordination';
import type { SharedUsageStore } from './usage';
import { chunk, systemClock, type Clock } from '../resilience';
import { FeishuRegistry, type BreakerSettings } from './appState';
import { parseBitableUrl } from './bitableUrl';
import { FeishuCaller, type ApiCall, type RetrySettings } from './caller';
import { newClientToken } from './clientToken';
import { DEFAULT_RATE_LIMITS, type FeishuRateLimits } from './endpoints';
import { FeishuApiError, FeishuInputError } from './errors';
import type { LogSink } from './logger';
import { readAllPages, shrinkingPages } from './paging';
import type { BitableField, BitableRecord, BitableTable, SearchBody, SearchPage, UserIdType, WikiNode } from './types';

export interface FeishuAppConfig {
	appId: string;
	appSecret: string;
	/** e.g. https://open.feishu.cn, https://open.larksuite.com, or a private deployment / the emulator. */
	baseUrl: string;
	/** Time zone for date values (nodes use it; the transport only carries it). */
	timeZone?: string;
	/** Per request; default 30 s. */
	timeoutMs?: number;
	/** Calls per second per app and endpoint family. */
	rateLimits?: Partial<FeishuRateLimits>;
	retry?: Partial<RetrySettings>;
	breaker?: Partial<BreakerSettings>;
}

export interface FeishuSessionOptions {
	/** Injected time (tests); a session with its own clock gets its own registry unless one is given. */
	clock?: Clock;
	random?: () => number;
	/** Where the process-level state lives; default: one registry per process. */
	registry?: FeishuRegistry;
	/** A shared coordination store (Redis from the node's Redis credential): limits, tokens, breaker and
	 * base write locks then span every queue-mode worker. Ignored when `registry` is given. */
	coordination?: CoordinationStore;
	/** Receives the SDK's log lines, redacted (no bodies, tokens or secrets). */
	log?: LogSink;
	/**
	 * Internal switch for tests: when false, a retried create sends a fresh client_token, as a naive
	 * client would (and duplicates records whose first attempt was applied). Default true.
	 */
	reuseClientTokens?: boolean;
}

export interface WriteOptions {
	userIdType?: UserIdType;
}

export interface BatchOptions extends WriteOptions {
	/** Records per call (Feishu allows 1000 for create/update, 500 for delete). */
	batchSize?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };
export const DEFAULT_BREAKER: BreakerSettings = { failureThreshold: 5, cooldownMs: 60_000 };
const DEFAULT_BATCH = 500;
const MAX_CREATE_BATCH = 1000;
const MAX_DELETE_BATCH = 500;
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const LISTED_FIELD_NAMES = 50;
const BASE_INFO_TTL_MS = 5 * 60_000;

export const processRegistry = new FeishuRegistry(systemClock);
const storeRegistries = new WeakMap<CoordinationStore, FeishuRegistry>();

/** The registry for a shared store: one per store, so every session on it shares the app states. */
function registryOf(store: CoordinationStore): FeishuRegistry {
	let registry = storeRegistries.get(store);
	if (!registry) storeRegistries.set(store, (registry = new FeishuRegistry(store.clock, store)));
	return registry;
}

/*
 * Every endpoint with an SDK method is called through it (docs/feishu-api.md, "Endpoints"), so the compiler checks
 * each request against @larksuiteoapi/node-sdk's typings. Answers are read into this package's types (types.ts).
 */
type Records = lark.Client['bitable']['v1']['appTableRecord'];
type Payload<F extends (...args: never[]) => unknown> = NonNullable<Parameters<F>[0]>;
/** A record's cells as the SDK types them. The package writes values coerced per field type (values/write.ts),
 * which the SDK's union cannot spell out (null clears a cell), hence this one cast. */
type SdkFields = Payload<Records['create']>['data']['fields'];
const sdkFields = (fields: Record<string, unknown>): SdkFields => fields as SdkFields;
type SdkSearch = NonNullable<Payload<Records['search']>['data']>;
type SdkFilter = NonNullable<SdkSearch['filter']>;
type SdkOperator = NonNullable<SdkFilter['conditions']>[number]['operator'];
/** A field as created or updated: name, type number, the type's property, and the UI type where the API needs one. */
export interface FieldSpec {
	field_name: string;
	type: number;
	property?: Record<string, unknown> | null;
	ui_type?: string;
}
type SdkFieldSpec = Payload<lark.Client['bitable']['v1']['appTableField']['create']>['data'];
/** Path parameters go into the URL as given (the SDK does not encode them). */
const enc = encodeURIComponent;
const clientToken = (attempt: Record<string, unknown>): string | undefined =>
	attempt.client_token as string | undefined;

/** Our search body in the SDK's terms (operators are strings in the filter builder; Feishu checks them). */
function sdkSearch(body: SearchBody): SdkSearch {
	const filter = body.filter
		? {
				conjunction: body.filter.conjunction,
				conditions: body.filter.conditions.map((c) => ({
					field_name: c.field_name,
					operator: c.operator as SdkOperator,
					value: c.value,
				})),
				...(body.filter.children ? { children: body.filter.children as SdkFilter['children'] } : {}),
			}
		: undefined;
	return {
		view_id: body.view_id,
		field_names: body.field_names,
		sort: body.sort,
		filter,
		automatic_fields: body.automatic_fields,
	};
}

function fieldNamesOfRecords(records: Array<{ fields: Record<string, unknown> }>): string[] {
	return [...new Set(records.flatMap((r) => Object.keys(r.fields ?? {})))];
}

function fieldNamesOfSearch(body: SearchBody): string[] {
	return [
		...new Set([
			...(body.field_names ?? []),
			...(body.filter?.conditions ?? []).map((c) => c.field_name),
			...(body.sort ?? []).map((s) => s.field_name),
		]),
	];
}

export class FeishuSession {
	readonly caller: FeishuCaller;
	readonly timeZone: string;
	/** The shared month totals of the app's calls (Redis), for the monthly call budget; undefined per process. */
	readonly sharedUsage: SharedUsageStore | undefined;
	private readonly reuseClientTokens: boolean;
	private readonly clock: Clock;

	constructor(
		readonly config: FeishuAppConfig,
		options: FeishuSessionOptions = {},
	) {
		const shared = !options.registry && options.coordination?.shared ? options.coordination : undefined;
		this.sharedUsage = shared?.usage;
		const clock = options.clock ?? options.registry?.clock ?? shared?.clock ?? systemClock;
		this.clock = clock;
		const registry =
			options.registry ?? (shared ? registryOf(shared) : options.clock ? new FeishuRegistry(clock) : processRegistry);
		const baseUrl = config.baseUrl.replace(/\/+$/, '');
		const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const app = registry.app(config.appId, config.appSecret, baseUrl, timeoutMs, {
			...DEFAULT_BREAKER,
			...config.breaker,
		});
		if (options.log) app.logSink = options.log;
		this.caller = new FeishuCaller(app, registry, {
			timeoutMs,
			rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
			retry: { ...DEFAULT_RETRY, ...config.retry },
			clock,
			random: options.random,
		});
		this.timeZone = config.timeZone ?? DEFAULT_TIME_ZONE;
		this.reuseClientTokens = options.reuseClientTokens ?? true;
	}

	/** Open API requests this session sent, retries included (token fetches excluded). */
	get calls(): number {
		return this.caller.calls;
	}

	/** Any Open API call through the shared transport (for endpoints without a method here). */
	request<T>(call: ApiCall): Promise<T> {
		return this.caller.call<T>(call);
	}

	// ---- tables and fields

	listTables(appToken: string): Promise<BitableTable[]> {
		return readAllPages((pageToken) =>
			this.request({
				endpoint: 'bitable.tables.list',
				sdk: (c) =>
					c.bitable.v1.appTable.list({
						path: { app_token: enc(appToken) },
						params: { page_size: 100, page_token: pageToken },
					}),
			}),
		);
	}

	listFields(appToken: string, tableId: string): Promise<BitableField[]> {
		return readAllPages((pageToken) =>
			this.request({
				endpoint: 'bitable.fields.list',
				sdk: (c) =>
					c.bitable.v1.appTableField.list({
						path: { app_token: enc(appToken), table_id: enc(tableId) },
						params: { page_size: 100, page_token: pageToken },
					}),
			}),
		);
	}

	/** Creates a field; its client_token (reused by retries of this body only) keeps a retried create from adding it twice. */
	async createField(appToken: string, tableId: string, field: FieldSpec): Promise<BitableField> {
		const data = await this.request<{ field: BitableField }>({
			endpoint: 'bitable.fields.create',
			sdk: (c, attempt) =>
				c.bitable.v1.appTableField.create({
					path: { app_token: enc(appToken), table_id: enc(tableId) },
					params: { client_token: clientToken(attempt) },
					data: field as SdkFieldSpec,
				}),
			paramsForAttempt: this.clientTokenParam(newClientToken()),
			baseToken: appToken,
		});
		return data.field;
	}

	/**
	 * The base's metadata: whether it uses advanced permissions (a search may then answer success with no records
	 * when the app lacks manage rights) and its time zone (filter days count in it). Cached per session.
	 */
	baseInfo(appToken: string, options: { fresh?: boolean } = {}): Promise<{ isAdvanced: boolean; timeZone?: string }> {
		// shared by the app's sessions for a few minutes (a trigger polls often and calls count against quotas);
		// a decision that refuses or allows writes asks afresh
		const shared = this.caller.app.baseInfos;
		const now = this.clock.now();
		const cached = shared.get(appToken);
		if (cached && !options.fresh && now - cached.at < BASE_INFO_TTL_MS) return cached.info;
		const info = this.request<{ app?: { is_advanced?: boolean; time_zone?: string } }>({
			endpoint: 'bitable.apps.get',
			sdk: (c) => c.bitable.v1.app.get({ path: { app_token: enc(appToken) } }),
		}).then((data) => ({ isAdvanced: data?.app?.is_advanced === true, timeZone: data?.app?.time_zone || undefined }));
		shared.set(appToken, { at: now, info });
		info.catch(() => shared.delete(appToken));
		return info;
	}

	/**
	 * Whether the app holds a right on the base (drive permission member auth, action `view` / `edit`):
	 * docs/feishu-api.md, "Access check". Needs the scope docs:permission.member:auth (or drive).
	 */
	async permissionAuth(appToken: string, action: 'view' | 'edit'): Promise<boolean> {
		const data = await this.request<{ auth_result?: boolean }>({
			endpoint: 'drive.permission_auth',
			sdk: (c) =>
				c.drive.v1.permissionMember.auth({ path: { token: enc(appToken) }, params: { type: 'bitable', action } }),
		});
		return data?.auth_result === true;
	}

	async updateField(appToken: string, tableId: string, fieldId: string, field: FieldSpec): Promise<BitableField> {
		const data = await this.request<{ field: BitableField }>({
			endpoint: 'bitable.fields.update',
			sdk: (c) =>
				c.bitable.v1.appTableField.update({
					path: { app_token: enc(appToken), table_id: enc(tableId), field_id: enc(fieldId) },
					data: field as SdkFieldSpec,
				}),
			baseToken: appToken,
		});
		return data.field;
	}

	// ---- reading records

	async searchPage(
		appToken: string,
		tableId: string,
		body: SearchBody,
		pageSize = 500,
		pageToken?: string,
		options: WriteOptions = {},
	): Promise<SearchPage> {
		const data = await this.withFieldHint(
			appToken,
			tableId,
			() => fieldNamesOfSearch(body),
			() =>
				this.request<SearchPage>({
					endpoint: 'bitable.records.search',
					sdk: (c) =>
						c.bitable.v1.appTableRecord.search({
							path: { app_token: enc(appToken), table_id: enc(tableId) },
							params: { page_size: pageSize, page_token: pageToken, user_id_type: options.userIdType },
							data: sdkSearch(body),
						}),
				}),
		);
		return { items: data?.items ?? [], has_more: !!data?.has_more, page_token: data?.page_token, total: data?.total };
	}

	/**
	 * Every matching record (all pages), or an error: never a silently shortened list. Pages are not a snapshot
	 * (a record edited during the read can come twice): a record_id is kept once, its last read winning. On 1254030
	 * the page size is halved and the read goes on.
	 */
	async searchRecords(
		appToken: string,
		tableId: string,
		body: SearchBody = {},
		options: { pageSize?: number } & WriteOptions = {},
	): Promise<BitableRecord[]> {
		const all = await readAllPages(
			shrinkingPages(options.pageSize ?? 500, (size, pageToken) =>
				this.searchPage(appToken, tableId, body, size, pageToken, options),
			),
		);
		const byId = new Map<string, BitableRecord>();
		for (const r of all) {
			byId.delete(r.record_id);
			byId.set(r.record_id, r);
		}
		return byId.size === all.length ? all : [...byId.values()];
	}

	/** The records that exist among `recordIds` (absent ids are simply missing from the result). */
	async batchGetRecords(
		appToken: string,
		tableId: string,
		recordIds: string[],
		options: WriteOptions & { automaticFields?: boolean } = {},
	): Promise<BitableRecord[]> {
		const found: BitableRecord[] = [];
		for (const ids of chunk(recordIds, 100)) {
			const data = await this.request<{ records?: BitableRecord[] }>({
				endpoint: 'bitable.records.batch_get',
				sdk: (c) =>
					c.bitable.v1.appTableRecord.batchGet({
						path: { app_token: enc(appToken), table_id: enc(tableId) },
						data: { record_ids: ids, user_id_type: options.userIdType, automatic_fields: options.automaticFields },
					}),
			});
			found.push(...(data?.records ?? []));
		}
		return found;
	}

	async getRecord(
		appToken: string,
		tableId: string,
		recordId: string,
		options: WriteOptions = {},
	): Promise<BitableRecord> {
		const data = await this.request<{ record: BitableRecord }>({
			endpoint: 'bitable.records.get',
			sdk: (c) =>
				c.bitable.v1.appTableRecord.get({
					path: { app_token: enc(appToken), table_id: enc(tableId), record_id: enc(recordId) },
					params: { user_id_type: options.userIdType },
				}),
		});
		return data.record;
	}

	// ---- writing records

	/**
	 * Creates records in batches, returned in input order. Each batch carries a uuid v4 client_token
	 * that is reused by its retries, so a batch that was applied but whose answer was lost is not
	 * written twice. `clientTokens` (one per batch) lets a caller make re-runs idempotent too.
	 */
	async batchCreateRecords(
		appToken: string,
		tableId: string,
		records: Array<{ fields: Record<string, unknown> }>,
		options: BatchOptions & { clientTokens?: string[] } = {},
	): Promise<BitableRecord[]> {
		return this.writeInBatches(appToken, tableId, records, options, (batch, index) => {
			const batchToken = options.clientTokens?.[index] ?? newClientToken();
			return this.request<{ records: BitableRecord[] }>({
				endpoint: 'bitable.records.batch_create',
				sdk: (c, attempt) =>
					c.bitable.v1.appTableRecord.batchCreate({
						path: { app_token: enc(appToken), table_id: enc(tableId) },
						params: { user_id_type: options.userIdType, client_token: clientToken(attempt) },
						data: { records: batch.map((r) => ({ fields: sdkFields(r.fields) })) },
					}),
				paramsForAttempt: this.clientTokenParam(batchToken),
				baseToken: appToken,
			});
		});
	}

	async batchUpdateRecords(
		appToken: string,
		tableId: string,
		records: Array<{ record_id: string; fields: Record<string, unknown> }>,
		options: BatchOptions = {},
	): Promise<BitableRecord[]> {
		// Updates are idempotent: a retry of an applied batch writes the same values again.
		return this.writeInBatches(appToken, tableId, records, options, (batch) =>
			this.request<{ records: BitableRecord[] }>({
				endpoint: 'bitable.records.batch_update',
				sdk: (c) =>
					c.bitable.v1.appTableRecord.batchUpdate({
						path: { app_token: enc(appToken), table_id: enc(tableId) },
						params: { user_id_type: options.userIdType },
						data: { records: batch.map((r) => ({ record_id: r.record_id, fields: sdkFields(r.fields) })) },
					}),
				baseToken: appToken,
			}),
		);
	}

	/** Creates or updates in batches (at most MAX_CREATE_BATCH), a missing field named in the error. */
	private async writeInBatches<R extends { fields: Record<string, unknown> }>(
		appToken: string,
		tableId: string,
		records: R[],
		options: BatchOptions,
		write: (batch: R[], index: number) => Promise<{ records: BitableRecord[] }>,
	): Promise<BitableRecord[]> {
		const size = Math.min(options.batchSize ?? DEFAULT_BATCH, MAX_CREATE_BATCH);
		const written: BitableRecord[] = [];
		let index = 0;
		for (const batch of chunk(records, size)) {
			const at = index++;
			const data = await this.withFieldHint(
				appToken,
				tableId,
				() => fieldNamesOfRecords(batch),
				() => write(batch, at),
			);
			written.push(...data.records);
		}
		return written;
	}

	/**
	 * Deletes records in batches. When a retry finds records gone (1254043) after an earlier attempt
	 * failed, that attempt was applied: the records still present are deleted and the rest count as
	 * done. With `ignoreMissing`, ids that never existed are skipped the same way.
	 */
	async batchDeleteRecords(
		appToken: string,
		tableId: string,
		recordIds: string[],
		options: BatchOptions & { ignoreMissing?: boolean } = {},
	): Promise<{ deleted: number }> {
		const size = Math.min(options.batchSize ?? DEFAULT_BATCH, MAX_DELETE_BATCH);
		let deleted = 0;
		for (const batch of chunk(recordIds, size)) {
			let pending = batch;
			for (let round = 0; pending.length > 0; round++) {
				try {
					const records = pending;
					await this.request({
						endpoint: 'bitable.records.batch_delete',
						sdk: (c) =>
							c.bitable.v1.appTableRecord.batchDelete({
								path: { app_token: enc(appToken), table_id: enc(tableId) },
								data: { records },
							}),
						baseToken: appToken,
					});
					pending = [];
				} catch (error) {
					const gone = error instanceof FeishuApiError && error.code === 1254043;
					if (!gone || !(error.afterFailedAttempt || options.ignoreMissing) || round >= 2) throw error;
					const present = new Set((await this.batchGetRecords(appToken, tableId, pending)).map((r) => r.record_id));
					pending = pending.filter((id) => present.has(id));
				}
			}
			deleted += batch.length;
		}
		return { deleted };
	}

	async createRecord(
		appToken: string,
		tableId: string,
		fields: Record<string, unknown>,
		options: WriteOptions & { clientToken?: string } = {},
	): Promise<BitableRecord> {
		return this.writeRecord(appToken, tableId, fields, () =>
			this.request<{ record: BitableRecord }>({
				endpoint: 'bitable.records.create',
				sdk: (c, attempt) =>
					c.bitable.v1.appTableRecord.create({
						path: { app_token: enc(appToken), table_id: enc(tableId) },
						params: { user_id_type: options.userIdType, client_token: clientToken(attempt) },
						data: { fields: sdkFields(fields) },
					}),
				paramsForAttempt: this.clientTokenParam(options.clientToken ?? newClientToken()),
				baseToken: appToken,
			}),
		);
	}

	/** Incremental: only the given fields change; a field set to null is cleared. */
	async updateRecord(
		appToken: string,
		tableId: string,
		recordId: string,
		fields: Record<string, unknown>,
		options: WriteOptions = {},
	): Promise<BitableRecord> {
		return this.writeRecord(appToken, tableId, fields, () =>
			this.request<{ record: BitableRecord }>({
				endpoint: 'bitable.records.update',
				sdk: (c) =>
					c.bitable.v1.appTableRecord.update({
						path: { app_token: enc(appToken), table_id: enc(tableId), record_id: enc(recordId) },
						params: { user_id_type: options.userIdType },
						data: { fields: sdkFields(fields) },
					}),
				baseToken: appToken,
			}),
		);
	}

	/** One record written, a missing field named in the error. */
	private async writeRecord(
		appToken: string,
		tableId: string,
		fields: Record<string, unknown>,
		write: () => Promise<{ record: BitableRecord }>,
	): Promise<BitableRecord> {
		return (await this.withFieldHint(appToken, tableId, () => Object.keys(fields), write)).record;
	}

	/** Deletes one record; a retry that finds it gone after a failed attempt counts as deleted. */
	async deleteRecord(appToken: string, tableId: string, recordId: string): Promise<{ deleted: boolean }> {
		try {
			await this.request({
				endpoint: 'bitable.records.delete',
				sdk: (c) =>
					c.bitable.v1.appTableRecord.delete({
						path: { app_token: enc(appToken), table_id: enc(tableId), record_id: enc(recordId) },
					}),
				baseToken: appToken,
			});
		} catch (error) {
			if (!(error instanceof FeishuApiError && error.code === 1254043 && error.afterFailedAttempt)) throw error;
		}
		return { deleted: true };
	}

	// ---- links, wiki, users, files

	async getWikiNode(token: string): Promise<WikiNode> {
		const data = await this.request<{ node: WikiNode }>({
			endpoint: 'wiki.get_node',
			sdk: (c) => c.wiki.v2.space.getNode({ params: { token, obj_type: 'wiki' } }),
		});
		return data.node;
	}

	/** A pasted base link, wiki link or app token -> the base's app token (and table/view when given). */
	async resolveBitable(input: string): Promise<{ appToken: string; tableId?: string; viewId?: string }> {
		const parsed = parseBitableUrl(input);
		if (parsed.kind === 'base') return { appToken: parsed.appToken, tableId: parsed.tableId, viewId: parsed.viewId };
		const node = await this.getWikiNode(parsed.wikiToken);
		if (node.obj_type !== 'bitable') {
			throw new FeishuInputError(
				`The wiki page${node.title ? ` "${node.title}"` : ''} is a ${node.obj_type}, not a Bitable base`,
				'Paste the link of a wiki page that is a base (multi-dimensional table).',
			);
		}
		return { appToken: node.obj_token, tableId: parsed.tableId, viewId: parsed.viewId };
	}

	/** Emails / mobiles -> user ids (null when Feishu knows no such user). */
	async batchGetUserIds(
		query: { emails?: string[]; mobiles?: string[] },
		options: { userIdType?: UserIdType } = {},
	): Promise<{ emails: Record<string, string | null>; mobiles: Record<string, string | null> }> {
		const result = { emails: {} as Record<string, string | null>, mobiles: {} as Record<string, string | null> };
		const emails = [...new Set(query.emails ?? [])];
		const mobiles = [...new Set(query.mobiles ?? [])];
		for (const email of emails) result.emails[email] = null;
		for (const mobile of mobiles) result.mobiles[mobile] = null;
		const emailByLower = new Map(emails.map((e) => [e.toLowerCase(), e]));
		const digits = (m: string) => m.replace(/\D/g, '');
		const rounds = Math.max(Math.ceil(emails.length / 50), Math.ceil(mobiles.length / 50));
		for (let i = 0; i < rounds; i++) {
			const emailPart = emails.slice(i * 50, i * 50 + 50);
			const mobilePart = mobiles.slice(i * 50, i * 50 + 50);
			const data = await this.request<{ user_list?: Array<{ user_id?: string; email?: string; mobile?: string }> }>({
				endpoint: 'contact.batch_get_id',
				sdk: (c) =>
					c.contact.v3.user.batchGetId({
						params: { user_id_type: options.userIdType ?? 'open_id' },
						data: {
							emails: emailPart.length ? emailPart : undefined,
							mobiles: mobilePart.length ? mobilePart : undefined,
						},
					}),
			});
			for (const user of data?.user_list ?? []) {
				if (!user.user_id) continue;
				if (user.email) {
					const key = emailByLower.get(user.email.toLowerCase());
					if (key) result.emails[key] = user.user_id;
				}
				if (user.mobile) {
					// Feishu may answer with a country prefix the input lacked (or the other way round).
					const key =
						mobilePart.find((m) => m === user.mobile) ??
						mobilePart.find(
							(m) => digits(user.mobile!).endsWith(digits(m)) || digits(m).endsWith(digits(user.mobile!)),
						);
					if (key) result.mobiles[key] = user.user_id;
				}
			}
		}
		return result;
	}

	/** Uploads a file for an attachment field and returns its file_token (files up to 20 MB). */
	async uploadMedia(file: {
		appToken: string;
		fileName: string;
		content: Uint8Array;
		parentType?: 'bitable_image' | 'bitable_file';
	}): Promise<{ fileToken: string }> {
		if (file.content.byteLength > MAX_UPLOAD_BYTES) {
			throw new FeishuInputError(
				`"${file.fileName}" is ${(file.content.byteLength / 1048576).toFixed(1)} MB; attachments are uploaded up to 20 MB`,
			);
		}
		const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
		const data = await this.request<{ file_token: string }>({
			endpoint: 'drive.upload_all',
			// the SDK's uploadAll answers `data` alone (a file method): put it back in its envelope
			sdk: async (c) => ({
				data: await c.drive.v1.media.uploadAll({
					data: {
						file_name: file.fileName,
						parent_type: file.parentType ?? 'bitable_file',
						parent_node: file.appToken,
						size: content.byteLength,
						file: content,
					},
				}),
			}),
		});
		return { fileToken: data.file_token };
	}

	// ---- helpers

	private clientTokenParam(token: string): (attempt: number) => Record<string, unknown> {
		return (attempt) => ({ client_token: attempt === 1 || this.reuseClientTokens ? token : newClientToken() });
	}

	/** On 1254045 (field name not found), says which names are missing and which the table has. */
	private async withFieldHint<T>(
		appToken: string,
		tableId: string,
		requested: () => string[],
		work: () => Promise<T>,
	): Promise<T> {
		try {
			return await work();
		} catch (error) {
			if (error instanceof FeishuApiError && error.code === 1254045) {
				try {
					const known = (await this.listFields(appToken, tableId)).map((f) => f.field_name);
					const missing = requested().filter((name) => !known.includes(name));
					const shown = known
						.slice(0, LISTED_FIELD_NAMES)
						.map((n) => `"${n}"`)
						.join(', ');
					const more = known.length > LISTED_FIELD_NAMES ? ` and ${known.length - LISTED_FIELD_NAMES} more` : '';
					error.hint =
						(missing.length
							? `No field named ${missing.map((n) => `"${n}"`).join(', ')} in this table (names must match exactly, including spaces and case).`
							: 'A field name was not found (advanced permissions may hide a field from the app).') +
						` The table's fields are: ${shown}${more}.`;
				} catch {
					// Keep the generic hint: the field list could not be read.
				}
			}
			throw error;
		}
	}
}

export function feishuSession(config: FeishuAppConfig, options?: FeishuSessionOptions): FeishuSession {
	return new FeishuSession(config, options);
}
