import { KeyedMutex } from '../../resilience';
import { DownloadError, downloadFile, type DownloadOptions } from '../../bitableSync/download';
import { coerceWriteValue, normaliseReadValue, type FieldMeta } from '../../feishu/fieldValues';
import type { BitableRecord, SearchBody } from '../../feishu/types';
import { recentCreates, tableScope, type RecentCreates } from '../../feishu/recentCreates';
import { mayHaveBeenApplied } from '../../feishu/retryPolicy';
import { clientTokenForKey } from '../clientToken';
import type { RecordLocator, StatusSnapshot, StatusStore, StatusWrite, StuckRule, WriteGuard } from '../types';
import { StatusStoreConfigError } from './errors';

/** The slice of the Feishu transport session the store uses. */
export interface BitableStatusApi {
	listFields(appToken: string, tableId: string): Promise<FieldMeta[]>;
	searchRecords(appToken: string, tableId: string, body?: SearchBody): Promise<BitableRecord[]>;
	batchGetRecords(appToken: string, tableId: string, ids: string[]): Promise<BitableRecord[]>;
	createRecord(
		appToken: string,
		tableId: string,
		fields: Record<string, unknown>,
		options?: { clientToken?: string },
	): Promise<BitableRecord>;
	updateRecord(
		appToken: string,
		tableId: string,
		recordId: string,
		fields: Record<string, unknown>,
	): Promise<BitableRecord>;
	uploadMedia(file: {
		appToken: string;
		fileName: string;
		content: Uint8Array;
		parentType?: 'bitable_image' | 'bitable_file';
	}): Promise<{ fileToken: string }>;
	deleteRecord?(appToken: string, tableId: string, recordId: string): Promise<unknown>;
}

/** Fetches a file by URL (injected so tests and n8n's own HTTP helpers can stand in). */
export type FetchFile = (url: string) => Promise<{ content: Uint8Array; fileName: string }>;

/** A FetchFile under the download rules of lib/bitableSync/download (http(s), public addresses unless allowed, deadline, size cap). */
export function fetchFileWith(options: DownloadOptions = {}): FetchFile {
	return async (url) => {
		try {
			const file = await downloadFile(url, options);
			return { content: new Uint8Array(file.data), fileName: file.name };
		} catch (error) {
			if (error instanceof DownloadError) throw new StatusStoreConfigError(`${error.message}. ${error.hint}`);
			throw error;
		}
	};
}

export const fetchFileByUrl: FetchFile = fetchFileWith();

const ATTACHMENT = 17;

export interface BitableStatusTable {
	appToken: string;
	tableId: string;
	/** Field holding the business key (e.g. taskId). */
	keyField?: string;
	statusField: string;
	versionField?: string;
	sourceField?: string;
	/** Date field written with the status time; find stuck and priority read it. */
	statusTimeField?: string;
	timeZone?: string;
	/** What this process remembers of its recent creates (default: the process-wide memory). */
	recentCreates?: RecentCreates;
}

/** One write at a time per record inside this n8n process (see the node description for what remains). */
const recordLocks = new KeyedMutex();

/**
 * Status in a Bitable table. Feishu has no compare-and-swap, so a write is: read, check the guard,
 * write, re-read to confirm. Inside one n8n process the steps for one record are serialised; across
 * processes (queue-mode workers) or against a person editing in Feishu, another write can still land
 * between our check and our write (a window of one API round trip): the confirming re-read catches
 * one that lands after ours, not one that lands just before it and is then overwritten.
 */
export class BitableStatusStore implements StatusStore {
	readonly hasVersion: boolean;
	readonly hasSource: boolean;
	private fieldsByName?: Promise<Map<string, FieldMeta>>;

	constructor(
		private readonly api: BitableStatusApi,
		private readonly t: BitableStatusTable,
		private readonly fetchFile: FetchFile = fetchFileByUrl,
	) {
		this.hasVersion = !!t.versionField;
		this.hasSource = !!t.sourceField;
	}

	private fields(): Promise<Map<string, FieldMeta>> {
		this.fieldsByName ??= this.api.listFields(this.t.appToken, this.t.tableId).then((list) => {
			const byName = new Map(list.map((f) => [f.field_name, f]));
			const t = this.t;
			for (const name of [t.keyField, t.statusField, t.versionField, t.sourceField, t.statusTimeField]) {
				if (name && !byName.has(name)) {
					throw new StatusStoreConfigError(`The table has no field named "${name}" (field names are case-sensitive)`);
				}
			}
			return byName;
		});
		return this.fieldsByName;
	}

	private async snapshot(record: BitableRecord): Promise<StatusSnapshot> {
		const byName = await this.fields();
		const opts = { timeZone: this.t.timeZone };
		const fields: Record<string, unknown> = {};
		for (const [name, raw] of Object.entries(record.fields ?? {})) {
			const meta = byName.get(name);
			fields[name] = meta ? normaliseReadValue(meta, raw, opts) : raw;
		}
		const t = this.t;
		const text = (name?: string) => (name && fields[name] != null ? String(fields[name]) : undefined);
		const created = typeof record.created_time === 'number' ? record.created_time : undefined;
		return {
			id: record.record_id,
			key: text(t.keyField),
			status: text(t.statusField) ?? '',
			version: t.versionField ? Number(fields[t.versionField] ?? 0) : undefined,
			source: text(t.sourceField),
			statusTime:
				t.statusTimeField && typeof fields[t.statusTimeField] === 'number'
					? (fields[t.statusTimeField] as number)
					: created,
			fields,
		};
	}

	private async getById(id: string): Promise<StatusSnapshot | undefined> {
		const [record] = await this.api.batchGetRecords(this.t.appToken, this.t.tableId, [id]);
		return record ? this.snapshot(record) : undefined;
	}

	async read(locator: RecordLocator): Promise<StatusSnapshot | undefined> {
		if (locator.by === 'id') return this.getById(locator.value);
		if (!this.t.keyField) throw new StatusStoreConfigError('Set the key field to find records by key');
		await this.fields();
		const found = await this.api.searchRecords(this.t.appToken, this.t.tableId, {
			filter: {
				conjunction: 'and',
				conditions: [{ field_name: this.t.keyField, operator: 'is', value: [locator.value] }],
			},
			automatic_fields: true,
		});
		// `is` on text may match loosely: keep exact matches; the oldest wins if a key was duplicated by hand.
		const snaps = await Promise.all(found.map((r) => this.snapshot(r)));
		const exact = snaps.filter((s) => s.key === locator.value);
		if (exact[0]) return exact[0];
		// search may not show a record created moments ago: one this process created is read by id
		const remembered = (this.t.recentCreates ?? recentCreates)
			.lookup(tableScope(this.t.appToken, this.t.tableId), [locator.value])
			.get(locator.value);
		const byId = remembered ? await this.getById(remembered) : undefined;
		return byId && byId.key === locator.value ? byId : undefined;
	}

	/** Write form of the status columns plus the extra fields, coerced per field type. */
	private async writeFields(write: StatusWrite, key?: string): Promise<Record<string, unknown>> {
		const byName = await this.fields();
		const t = this.t;
		const plain: Record<string, unknown> = { ...write.fields, [t.statusField]: write.status };
		if (key !== undefined && t.keyField) plain[t.keyField] = key;
		if (t.versionField && write.version !== undefined) plain[t.versionField] = write.version;
		if (t.sourceField && write.source !== undefined) plain[t.sourceField] = write.source;
		if (t.statusTimeField) plain[t.statusTimeField] = write.statusTime;
		const out: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(plain)) {
			const meta = byName.get(name);
			if (!meta) throw new StatusStoreConfigError(`The table has no field named "${name}"`);
			out[name] =
				meta.type === ATTACHMENT
					? await this.attachments(value)
					: coerceWriteValue(meta, value, { timeZone: t.timeZone });
		}
		return out;
	}

	/** Attachment fields take URLs (downloaded and uploaded, e.g. generated images) or file tokens. */
	private async attachments(value: unknown): Promise<Array<{ file_token: string }> | null> {
		if (value === null || value === undefined || value === '') return null;
		let list: unknown[] = Array.isArray(value) ? value : [value];
		if (typeof value === 'string' && value.trim().startsWith('[')) list = JSON.parse(value) as unknown[];
		const tokens: Array<{ file_token: string }> = [];
		for (const v of list) {
			if (v && typeof v === 'object' && typeof (v as { file_token?: unknown }).file_token === 'string') {
				tokens.push({ file_token: (v as { file_token: string }).file_token });
			} else if (typeof v === 'string' && /^https?:\/\//i.test(v.trim())) {
				const file = await this.fetchFile(v.trim());
				const { fileToken } = await this.api.uploadMedia({
					appToken: this.t.appToken,
					fileName: file.fileName,
					content: file.content,
					parentType: 'bitable_image',
				});
				tokens.push({ file_token: fileToken });
			} else {
				throw new StatusStoreConfigError(
					`An attachment field takes URLs or {file_token} objects, not ${JSON.stringify(v)}`,
				);
			}
		}
		return tokens.length ? tokens : null;
	}

	private holds(current: StatusSnapshot, guard: WriteGuard): boolean {
		if (!guard.allowedFrom.includes(current.status)) return false;
		if (guard.expectedVersion !== undefined && (current.version ?? 0) !== guard.expectedVersion) return false;
		const o = guard.outranking;
		if (o && current.source && o.sources.includes(current.source) && (current.statusTime ?? 0) > o.notAfter)
			return false;
		return true;
	}

	private confirms(after: StatusSnapshot | undefined, write: StatusWrite): boolean {
		if (!after || after.status !== write.status) return false;
		return write.version === undefined || after.version === write.version;
	}

	async write(record: StatusSnapshot, write: StatusWrite, guard: WriteGuard): Promise<boolean> {
		const fields = await this.writeFields(write);
		return recordLocks.run(`${this.t.appToken}/${this.t.tableId}/${record.id}`, async () => {
			const current = await this.getById(record.id);
			if (!current || !this.holds(current, guard)) return false;
			await this.api.updateRecord(this.t.appToken, this.t.tableId, record.id, fields);
			return this.confirms(await this.getById(record.id), write);
		});
	}

	/** Read, check the guard, delete (Bitable has no conditional delete: same window as write()). */
	async remove(record: StatusSnapshot, guard: WriteGuard): Promise<boolean> {
		const api = this.api;
		if (!api.deleteRecord) throw new StatusStoreConfigError('This Feishu client cannot delete records');
		return recordLocks.run(`${this.t.appToken}/${this.t.tableId}/${record.id}`, async () => {
			const current = await this.getById(record.id);
			if (!current || !this.holds(current, guard)) return false;
			await api.deleteRecord!(this.t.appToken, this.t.tableId, record.id);
			return true;
		});
	}

	async create(key: string, write: StatusWrite): Promise<{ record: StatusSnapshot; created: boolean }> {
		if (!this.t.keyField) throw new StatusStoreConfigError('Set the key field to create missing records');
		const fields = await this.writeFields(write, key);
		const scope = `${this.t.appToken}/${this.t.tableId}`;
		return recordLocks.run(`${scope}/key:${key}`, async () => {
			// Another execution of this process may have created it since our read.
			const existing = await this.read({ by: 'key', value: key });
			if (existing) return { record: existing, created: false };
			// Same key, same token: a create racing from another process (intake vs reconciler), or a
			// retried one, replays the first instead of adding a second record.
			// The token derives from key and body (a token reused with another body is 1255006).
			const clientToken = clientTokenForKey(scope, key, fields);
			let made: BitableRecord;
			try {
				made = await this.api.createRecord(this.t.appToken, this.t.tableId, fields, { clientToken });
			} catch (error) {
				if (!mayHaveBeenApplied(error)) throw error;
				// maybe applied (timeout, 5xx, 1254608): read by key before deciding, never create again
				const after = await this.read({ by: 'key', value: key });
				if (after) return { record: after, created: this.confirms(after, write) };
				throw error;
			}
			(this.t.recentCreates ?? recentCreates).remember(
				tableScope(this.t.appToken, this.t.tableId),
				key,
				made.record_id,
			);
			const record = await this.getById(made.record_id);
			if (!record) throw new StatusStoreConfigError(`Record ${made.record_id} was created but cannot be read back`);
			return { record, created: this.confirms(record, write) };
		});
	}

	async findStuck(rules: StuckRule[], limit: number): Promise<StatusSnapshot[]> {
		if (!this.t.statusTimeField) throw new StatusStoreConfigError('Set the status time field to find stuck records');
		await this.fields();
		const stuck: StatusSnapshot[] = [];
		// Search filters a date by day only: filter by status, compare the instant here.
		for (const rule of rules) {
			const records = await this.api.searchRecords(this.t.appToken, this.t.tableId, {
				filter: {
					conjunction: 'and',
					conditions: [{ field_name: this.t.statusField, operator: 'is', value: [rule.status] }],
				},
				automatic_fields: true,
			});
			for (const r of records) {
				const snap = await this.snapshot(r);
				if (snap.status === rule.status && snap.statusTime !== undefined && snap.statusTime < rule.before)
					stuck.push(snap);
			}
		}
		stuck.sort((a, b) => (a.statusTime ?? 0) - (b.statusTime ?? 0) || a.id.localeCompare(b.id));
		return stuck.slice(0, Math.max(0, Math.floor(limit)));
	}
}
