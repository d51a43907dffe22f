/**
 * Validation of every input item before the first write: each mapped value is coerced to its field's
 * write form (a value that cannot be fails the item, naming item, field, value and expected type), and
 * turned into the plain form the diff compares. Users given as emails/mobiles and attachments given
 * as URLs are resolved first, in bulk.
 */
import {
	CoercionError,
	FieldType as T,
	canonicalMobile,
	coerceWriteValue,
	isEmailLike,
	isMobileLike,
	plainOfWrite,
	type FieldMeta,
	type PlainValue,
	type ValueOptions,
} from '../feishu/fieldValues';
import { attachmentRefs, fetchUrls, type AttachmentRef } from './attachments';
import { DownloadError } from './download';
import { validationMessage } from './errors';
import { buildKey, displayKey } from './keys';
import type { Schema } from './schema';
import type { AttachmentFile, BitableClient, ItemValidationError, SyncInputItem } from './types';

export interface PreparedItem {
	index: number;
	key: string;
	deleted: boolean;
	/** Aligned with Prepared.fields; undefined = the item does not map that field (left untouched). */
	writes: unknown[];
	plains: PlainValue[];
	attachments: (AttachmentRef[] | null | undefined)[];
}

export interface Prepared {
	/** Written fields (key fields first). */
	fields: FieldMeta[];
	items: PreparedItem[];
	failures: ItemValidationError[];
	/** Keys of failed items that could still be read: mirror and prune treat them as present. */
	failedKeys: Set<string>;
}

const USER_SPLIT = /[,，;；]/;

/** Emails and mobiles in user fields -> open ids, in one lookup per 50. */
async function resolveUsers(
	client: BitableClient,
	items: SyncInputItem[],
	userFields: string[],
): Promise<Map<string, string>> {
	const emails = new Set<string>();
	const mobiles = new Set<string>();
	for (const item of items) {
		for (const name of userFields) {
			const v = item.values[name];
			const list: unknown[] = Array.isArray(v) ? v : typeof v === 'string' ? v.split(USER_SPLIT) : [v];
			for (const entry of list) {
				const s = entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : entry;
				if (typeof s !== 'string' && typeof s !== 'number') continue;
				const t = String(s).trim();
				if (t.startsWith('ou_')) continue;
				if (isEmailLike(t)) emails.add(t.toLowerCase());
				else if (isMobileLike(t)) mobiles.add(canonicalMobile(t));
			}
		}
	}
	if ((emails.size === 0 && mobiles.size === 0) || !client.lookupUserIds) return new Map();
	return client.lookupUserIds({ emails: [...emails], mobiles: [...mobiles] });
}

export async function prepareItems(
	client: BitableClient,
	schema: Schema,
	items: SyncInputItem[],
	options: ValueOptions & { download?: (url: string) => Promise<AttachmentFile> },
): Promise<Prepared> {
	const keyNames = new Set(schema.keyFields.map((f) => f.field_name));
	const fields = [...schema.keyFields, ...[...schema.targets.values()].filter((f) => !keyNames.has(f.field_name))];
	// the input's name of each field (Feishu trims field names, so " Note " may write the field "Note")
	const sourceOf = new Map<FieldMeta, string>();
	for (const [name, f] of schema.targets) sourceOf.set(f, name);
	const source = (f: FieldMeta): string => sourceOf.get(f) ?? f.field_name;
	const userFields = fields.filter((f) => f.type === T.User).map(source);
	const userIds = userFields.length ? await resolveUsers(client, items, userFields) : undefined;
	const valueOptions: ValueOptions = { timeZone: options.timeZone, userIds };

	// attachments: parse references, then fetch every URL once
	const attachmentCols = fields.map((f, i) => (f.type === T.Attachment ? i : -1)).filter((i) => i >= 0);
	const refsByItem = new Map<number, Map<number, AttachmentRef[] | null | Error>>();
	if (attachmentCols.length) {
		const allRefs: AttachmentRef[] = [];
		for (const item of items) {
			const perCol = new Map<number, AttachmentRef[] | null | Error>();
			for (const col of attachmentCols) {
				const raw = item.values[source(fields[col])];
				if (raw === undefined) continue;
				try {
					const refs = attachmentRefs(raw);
					perCol.set(col, refs);
					if (refs) allRefs.push(...refs);
				} catch (error) {
					perCol.set(col, error as Error);
				}
			}
			refsByItem.set(item.index, perCol);
		}
		const fetched = await fetchUrls(allRefs, options.download);
		for (const ref of allRefs) {
			if (!ref.url) continue;
			const got = fetched.get(ref.url);
			if (got && !(got instanceof Error)) ref.file = got;
			else if (got) ref.error = got;
		}
	}

	const prepared: PreparedItem[] = [];
	const failures: ItemValidationError[] = [];
	const failedKeys = new Set<string>();
	const keyCount = schema.keyFields.length;
	for (const item of items) {
		const writes = new Array<unknown>(fields.length);
		const plains = new Array<PlainValue>(fields.length);
		const attachments = new Array<AttachmentRef[] | null | undefined>(fields.length);
		let failure: ItemValidationError | undefined;
		let failedCol = -1;
		for (let c = 0; c < fields.length && !failure; c++) {
			failedCol = c;
			const field = fields[c];
			const raw = item.values[source(field)];
			if (raw === undefined) {
				if (c < keyCount) failure = fail(item.index, field, raw, 'a key value', 'the key is missing');
				continue;
			}
			try {
				if (field.type === T.Attachment) {
					const refs = refsByItem.get(item.index)?.get(c);
					if (refs instanceof Error) throw refs;
					const broken = refs?.find((r) => r.url && !r.file);
					if (broken) {
						const reason =
							broken.error instanceof DownloadError
								? `${broken.error.reason}. ${broken.error.hint}`
								: 'the download failed';
						throw new CoercionError('a downloadable attachment URL', broken.url, reason);
					}
					attachments[c] = refs ?? null;
					writes[c] = refs ?? null;
					continue;
				}
				const write = coerceWriteValue(field, raw, valueOptions);
				writes[c] = write;
				plains[c] = plainOfWrite(field, write);
				if (c < keyCount && (plains[c] === null || plains[c] === '')) {
					failure = fail(item.index, field, raw, `a ${field.field_name} value`, 'the key is empty');
				}
			} catch (error) {
				if (!(error instanceof CoercionError)) throw error;
				failure = fail(
					item.index,
					field,
					raw,
					error.expected,
					`expected ${error.expected}${error.detail ? ` (${error.detail})` : ''}`,
				);
			}
		}
		if (failure) {
			failures.push(failure);
			const rawKey =
				failedCol >= keyCount
					? buildKey(plains.slice(0, keyCount))
					: buildKey(schema.keyFields.map((f) => rawKeyPart(item.values[source(f)])));
			if (rawKey !== undefined) failedKeys.add(rawKey);
			continue;
		}
		const key = buildKey(plains.slice(0, keyCount)) as string;
		prepared.push({ index: item.index, key, deleted: !!item.deleted, writes, plains, attachments });
	}
	return { fields, items: prepared, failures, failedKeys };
}

/** A failed item's key as well as it can be read (the key itself may be what failed). */
function rawKeyPart(v: unknown): PlainValue {
	if (v === null || v === undefined) return null;
	return typeof v === 'string' ? v.trim() : typeof v === 'number' ? v : String(v);
}

function fail(
	itemIndex: number,
	field: FieldMeta,
	value: unknown,
	expected: string,
	detail: string,
): ItemValidationError {
	const base = { itemIndex, field: field.field_name, value, expected };
	return { ...base, message: validationMessage(base, detail) };
}

export { displayKey };
