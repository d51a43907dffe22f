/**
 * Per-type value handling: write validation (-> the stored canonical form), the rich read form search returns,
 * and a plain form for test assertions.
 *
 * Stored forms: text/phone/select string, number/date number, checkbox true, multi select string[],
 * user open_id[], attachment file_token[], link record_id[], url {text, link}, location {lng, lat},
 * auto number string, lookup/formula/stage/button the raw seeded value.
 */
import { E, FeishuError } from '../errors';
import type { State, User } from '../state';
import { FieldType as T, READ_ONLY_TYPES, type Base, type Field, type Rec, type Table } from './model';
import { joinSegments, toSegments } from './text';

export const CLEAR = Symbol('clear');
export const MAX_TEXT = 100_000;

export interface WriteCtx {
	state: State;
	base: Base;
	table: Table;
	userIdType: string;
	/** Select options to create once the whole call validated (a failed batch creates nothing). */
	newOptions: Map<Field, Set<string>>;
	/** Setup writes (admin seeding) may fill read-only computed fields. */
	allowReadOnly?: boolean;
	/** The calling app (open_ids are per app); undefined for admin writes. */
	appId?: string;
}

export interface ReadCtx {
	state: State;
	base: Base;
	userIdType: string;
	baseUrl: string;
	/** The calling app: user open_ids read as that app sees them. */
	appId?: string;
}

const PHONE_RE = /^\+?\d*$/;

export function toStored(field: Field, value: unknown, ctx: WriteCtx): unknown {
	if (READ_ONLY_TYPES.has(field.type)) {
		if (ctx.allowReadOnly && !isAutomaticOrAutoNumber(field.type)) return value === null ? CLEAR : value;
		throw E.fieldTypeMismatch(`field "${field.field_name}" (type ${field.type}) is read-only`);
	}
	if (value === null || value === undefined) return CLEAR;
	const name = field.field_name;
	switch (field.type) {
		case T.Text: {
			if (typeof value !== 'string') throw E.conv(1254060, `field "${name}" expects a string`);
			if (value.length > MAX_TEXT) throw E.tooLargeCell();
			return value === '' ? CLEAR : value;
		}
		case T.Number:
			if (typeof value !== 'number' || !Number.isFinite(value))
				throw E.conv(1254061, `field "${name}" expects a number`);
			return value;
		case T.SingleSelect: {
			if (typeof value !== 'string') throw E.conv(1254062, `field "${name}" expects an option name`);
			if (value === '') return CLEAR;
			noteOption(field, value, ctx);
			return value;
		}
		case T.MultiSelect: {
			if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
				throw E.conv(1254063, `field "${name}" expects an array of option names`);
			}
			const names = [...new Set(value as string[])];
			names.forEach((n) => noteOption(field, n, ctx));
			return names.length ? names : CLEAR;
		}
		case T.DateTime:
			if (typeof value !== 'number' || !Number.isFinite(value))
				throw E.conv(1254064, `field "${name}" expects a ms timestamp`);
			return value;
		case T.Checkbox:
			if (typeof value !== 'boolean') throw E.conv(1254065, `field "${name}" expects a boolean`);
			return value ? true : CLEAR;
		case T.User:
			return storeUsers(field, value, ctx);
		case T.Phone:
			if (typeof value !== 'string' || value.length > 64 || !PHONE_RE.test(value)) {
				throw E.conv(1254072, `field "${name}" expects a phone number matching (\\+)?\\d* of at most 64 characters`);
			}
			return value === '' ? CLEAR : value;
		case T.Url: {
			const v = value as { text?: unknown; link?: unknown };
			if (
				typeof v !== 'object' ||
				Array.isArray(v) ||
				typeof v.link !== 'string' ||
				!/^[a-z][a-z0-9+.-]*:\/\//i.test(v.link)
			) {
				throw E.conv(1254068, `field "${name}" expects {text, link} with an absolute link`);
			}
			if (v.text !== undefined && typeof v.text !== 'string')
				throw E.conv(1254068, `field "${name}": text must be a string`);
			return { text: (v.text as string | undefined) ?? v.link, link: v.link };
		}
		case T.Attachment:
			return storeAttachments(field, value, ctx);
		case T.SingleLink:
		case T.DuplexLink:
			return storeLinks(field, value, ctx);
		case T.Location: {
			const m = typeof value === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value) : null;
			const lng = m ? Number(m[1]) : NaN;
			const lat = m ? Number(m[2]) : NaN;
			if (!m || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
				// Feishu documents no conversion code for locations: answer the generic type mismatch.
				throw E.fieldTypeMismatch(`field "${name}" expects "lng,lat"`);
			}
			return { lng, lat };
		}
		default:
			throw E.fieldTypeMismatch(`field "${name}" (type ${field.type}) cannot be written through the API`);
	}
}

const isAutomaticOrAutoNumber = (type: number): boolean => type >= 1001 && type <= 1005;

function noteOption(field: Field, name: string, ctx: WriteCtx): void {
	const options = (field.property?.options as { name: string }[] | undefined) ?? [];
	if (options.some((o) => o.name === name)) return;
	let pending = ctx.newOptions.get(field);
	if (!pending) ctx.newOptions.set(field, (pending = new Set()));
	pending.add(name);
}

export function commitOptions(newOptions: Map<Field, Set<string>>, state: State): void {
	for (const [field, names] of newOptions) {
		const property = (field.property ??= {});
		const options = ((property.options as unknown[]) ??= []) as { id: string; name: string; color: number }[];
		for (const name of names) {
			if (options.some((o) => o.name === name)) continue;
			options.push({ id: state.ids.id('opt', 8), name, color: options.length % 55 });
		}
	}
}

/** Visits the `key` string of each item of a `[{key}]` value in order, refusing any other shape with `bad`. */
function eachKey(value: unknown, key: string, bad: (why: string) => FeishuError, visit: (k: string) => void): void {
	if (!Array.isArray(value)) throw bad(`expects [{${key}}]`);
	for (const v of value) {
		const k = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
		if (typeof k !== 'string') throw bad(`expects [{${key}}]`);
		visit(k);
	}
}

function storeUsers(field: Field, value: unknown, ctx: WriteCtx): unknown {
	const bad = (why: string): FeishuError => E.conv(1254066, `field "${field.field_name}": ${why}`);
	const ids: string[] = [];
	eachKey(value, 'id', bad, (id) => {
		const user = ctx.state.userByAnyId(id, ctx.userIdType, ctx.appId);
		if (!user || user.open_id.startsWith('ou_app_')) {
			throw bad(
				`no user with ${ctx.userIdType} ${id}${ctx.userIdType === 'open_id' ? ' for this app (open_ids differ per app)' : ''}`,
			);
		}
		if (!ids.includes(user.open_id)) ids.push(user.open_id);
	});
	return ids.length ? ids : CLEAR;
}

function storeAttachments(field: Field, value: unknown, ctx: WriteCtx): unknown {
	const bad = (why: string): FeishuError => E.conv(1254069, `field "${field.field_name}": ${why}`);
	const tokens: string[] = [];
	eachKey(value, 'file_token', bad, (token) => {
		const upload = ctx.state.uploads.get(token);
		if (!upload) throw bad(`file_token ${token} was not uploaded`);
		// a file_token belongs to the base it was uploaded to
		if (upload.parent_node !== ctx.base.app_token) throw bad(`file_token ${token} was uploaded to another base`);
		tokens.push(token);
	});
	return tokens.length ? tokens : CLEAR;
}

function storeLinks(field: Field, value: unknown, ctx: WriteCtx): unknown {
	const bad = (why: string): FeishuError => E.conv(1254067, `field "${field.field_name}": ${why}`);
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad('expects ["rec..."]');
	const target = linkTarget(field, ctx.base, ctx.table);
	for (const id of value as string[]) {
		if (!target.records.has(id)) throw bad(`record ${id} does not exist in table ${target.table_id}`);
	}
	const ids = [...new Set(value as string[])];
	return ids.length ? ids : CLEAR;
}

function linkTarget(field: Field, base: Base, table: Table): Table {
	const tableId = field.property?.table_id;
	return (typeof tableId === 'string' && base.tables.get(tableId)) || table;
}

// ---------------------------------------------------------------------------------------------- read forms

function userRead(user: User | undefined, openId: string, ctx: ReadCtx): Record<string, unknown> {
	const own = user ? ctx.state.openIdFor(user, ctx.appId) : openId;
	const id =
		ctx.userIdType === 'user_id'
			? (user?.user_id ?? openId)
			: ctx.userIdType === 'union_id'
				? (user?.union_id ?? openId)
				: own;
	return { id, name: user?.name ?? '', en_name: user?.en_name ?? user?.name ?? '', email: user?.email ?? '' };
}

export function userObject(openId: string, ctx: ReadCtx): Record<string, unknown> {
	return userRead(ctx.state.userByAnyId(openId, 'open_id'), openId, ctx);
}

/** A created / modified time or user cell, taken from the record itself; undefined for every other type. */
function automaticCell(field: Field, rec: Rec): { time?: number; user?: string } | undefined {
	switch (field.type) {
		case T.CreatedTime:
			return { time: rec.created_time };
		case T.ModifiedTime:
			return { time: rec.last_modified_time };
		case T.CreatedUser:
			return { user: rec.created_by };
		case T.ModifiedUser:
			return { user: rec.modified_by };
		default:
			return undefined;
	}
}

/** The value of a cell as search returns it; undefined = empty (omitted from `fields`). */
export function readForm(field: Field, rec: Rec, ctx: ReadCtx): unknown {
	const auto = automaticCell(field, rec);
	if (auto !== undefined) return auto.user !== undefined ? [userObject(auto.user, ctx)] : auto.time;
	const v = rec.cells[field.field_id];
	if (v === undefined) return undefined;
	switch (field.type) {
		case T.Text:
			return toSegments(v as string);
		case T.User:
			return (v as string[]).map((id) => userObject(id, ctx));
		case T.Attachment:
			return (v as string[]).map((token) => attachmentRead(token, ctx));
		case T.SingleLink:
		case T.DuplexLink:
			return { link_record_ids: [...(v as string[])] };
		case T.Url:
			return { ...(v as object) };
		case T.Location: {
			const { lng, lat } = v as { lng: number; lat: number };
			return {
				location: `${lng},${lat}`,
				pname: '',
				cityname: '',
				adname: '',
				address: '',
				name: '',
				full_address: '',
			};
		}
		case T.MultiSelect:
			return [...(v as string[])];
		case T.Lookup:
		case T.Formula:
			return wrapComputed(v);
		default:
			return v;
	}
}

function attachmentRead(token: string, ctx: ReadCtx): Record<string, unknown> {
	const u = ctx.state.uploads.get(token);
	return {
		file_token: token,
		name: u?.name ?? '',
		type: u?.mime ?? 'application/octet-stream',
		size: u?.size ?? 0,
		url: `${ctx.baseUrl}/open-apis/drive/v1/medias/${token}/download`,
		tmp_url: `${ctx.baseUrl}/open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=${token}`,
	};
}

/** Formula and lookup cells read as `{type, value:[...]}`: a seeded object of that shape is kept as is. */
function wrapComputed(v: unknown): unknown {
	if (v && typeof v === 'object' && !Array.isArray(v) && 'type' in v && 'value' in v) return v;
	if (typeof v === 'number') return { type: T.Number, value: [v] };
	if (typeof v === 'string') return { type: T.Text, value: toSegments(v) };
	return { type: T.Text, value: Array.isArray(v) ? v : [v] };
}

/** A plain, comparable form of a cell (text joined, ids only, computed values unwrapped). */
export function plainForm(field: Field, rec: Rec): unknown {
	const auto = automaticCell(field, rec);
	if (auto !== undefined) return auto.user ?? auto.time;
	const v = rec.cells[field.field_id];
	if (v === undefined) return undefined;
	switch (field.type) {
		case T.Location: {
			const { lng, lat } = v as { lng: number; lat: number };
			return `${lng},${lat}`;
		}
		case T.Lookup:
		case T.Formula: {
			const w = wrapComputed(v) as { type: number; value: unknown[] };
			if (w.type === T.Text) return joinSegments(w.value);
			return w.value.length === 1 ? w.value[0] : w.value;
		}
		case T.Url:
		case T.MultiSelect:
		case T.User:
		case T.Attachment:
		case T.SingleLink:
		case T.DuplexLink:
			return JSON.parse(JSON.stringify(v));
		default:
			return v;
	}
}

/** The echo of a write: the value as the client sent it (Feishu answers writes in the write form). */
export function echoForm(value: unknown): unknown {
	return value === undefined ? null : value;
}
