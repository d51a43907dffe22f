/**
 * Write coercion: any reasonable input value (MySQL row values, n8n item values, strings typed by a
 * person) -> the write form Feishu accepts for the field's type, or a CoercionError saying what was
 * expected. `null` clears a cell (a checkbox becomes false).
 */
import { DEFAULT_TIME_ZONE } from '../../defaults';
import { joinSegments, plainLocation, type PlainValue } from './read';
import { compactDate, formatWallClock, parseDateString } from './time';
import { CoercionError, FieldType as T, READ_ONLY_TYPES, typeName, type FieldMeta, type ValueOptions } from './types';

export const MAX_TEXT_CHARS = 100_000;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const PHONE_RE = /^\+?\d*$/;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MOBILE_RE = /^\+?\d[\d\s-]{5,}$/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on', 't', '是', '对', '√', '✓']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'f', '否', '不', '']);
/** Numbers below this are read as epoch seconds, above it as epoch ms (1e11 s is the year 5138). */
const SECONDS_LIMIT = 1e11;

const isEmpty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

export function isEmailLike(s: string): boolean {
	return EMAIL_RE.test(s.trim());
}

export function isMobileLike(s: string): boolean {
	return MOBILE_RE.test(s.trim());
}

/** Canonical mobile for lookups: digits with an optional leading +. */
export const canonicalMobile = (s: string): string => s.trim().replace(/[\s-]/g, '');

/** Splits "a, b" or ["a","b"] into trimmed non-empty strings. */
function listOf(value: unknown, expected: string, splitStrings: boolean): string[] {
	const parts: unknown[] = Array.isArray(value)
		? value
		: typeof value === 'string' && splitStrings
			? value.split(/[,，;；\n]/)
			: [value];
	const out: string[] = [];
	for (const p of parts) {
		if (p === null || p === undefined) continue;
		if (typeof p !== 'string' && typeof p !== 'number') throw new CoercionError(expected, value);
		const s = String(p).trim();
		if (s !== '' && !out.includes(s)) out.push(s);
	}
	return out;
}

export function coerceNumber(value: unknown, expected = 'a number'): number | null {
	if (isEmpty(value)) return null;
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return value;
		throw new CoercionError(expected, value);
	}
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'string' && NUMBER_RE.test(value.trim())) return Number(value.trim());
	throw new CoercionError(expected, value);
}

export function coerceDate(value: unknown, options: ValueOptions): number | null {
	const expected = 'a date (ISO string, "YYYY-MM-DD HH:mm:ss" or epoch ms)';
	if (isEmpty(value)) return null;
	const compact = compactDate(value, options.timeZone ?? DEFAULT_TIME_ZONE);
	if (compact !== undefined) {
		if (Number.isNaN(compact)) throw new CoercionError(expected, value, 'eight digits that are not a date (YYYYMMDD)');
		return compact;
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new CoercionError(expected, value);
		return value.getTime();
	}
	let n: number | undefined;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string')
		n = NUMBER_RE.test(value.trim())
			? Number(value.trim())
			: parseDateString(value, options.timeZone ?? DEFAULT_TIME_ZONE);
	else if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISOString?: unknown }).toISOString === 'function'
	) {
		n = Date.parse((value as { toISOString(): string }).toISOString()); // Luxon / moment objects
	}
	if (n === undefined || !Number.isFinite(n)) throw new CoercionError(expected, value);
	return Math.abs(n) < SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n);
}

function jsonText(value: object, expected: string): string {
	try {
		return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
	} catch {
		throw new CoercionError(expected, value, 'an object that cannot be written as JSON');
	}
}

function coerceText(value: unknown, options: ValueOptions): string | null {
	const expected = 'text (a string, number or boolean)';
	if (value === null || value === undefined) return null;
	let s: string;
	if (typeof value === 'string') s = value;
	else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
	else if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new CoercionError(expected, value);
		s = formatWallClock(value.getTime(), options.timeZone ?? DEFAULT_TIME_ZONE);
	} else if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'text' in v))
		s = joinSegments(value);
	else if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
		s = value.join(', ');
	// other objects and arrays (e.g. a MySQL JSON column) are kept as JSON text rather than failing the item
	else if (typeof value === 'object') s = jsonText(value, expected);
	else throw new CoercionError(expected, value);
	if (s.length > MAX_TEXT_CHARS)
		throw new CoercionError(`text of at most ${MAX_TEXT_CHARS} characters`, value, `${s.length} characters`);
	return s === '' ? null : s;
}

function optionName(field: FieldMeta, s: string): string {
	const options = field.property?.options as { id?: string; name: string }[] | undefined;
	if (!options || options.some((o) => o.name === s)) return s;
	return options.find((o) => o.id === s)?.name ?? s;
}

function coerceSingleSelect(field: FieldMeta, value: unknown): string | null {
	const expected = 'one option name';
	if (isEmpty(value)) return null;
	let v = value;
	if (Array.isArray(v)) {
		if (v.length > 1) throw new CoercionError(expected, value, 'several values for a single select');
		v = v[0];
		if (isEmpty(v)) return null;
	}
	if (typeof v !== 'string' && typeof v !== 'number') throw new CoercionError(expected, value);
	return optionName(field, String(v).trim());
}

function coerceMultiSelect(field: FieldMeta, value: unknown): string[] | null {
	if (isEmpty(value)) return null;
	const options = field.property?.options as { name: string }[] | undefined;
	// a whole string that names an existing option is one option, even with a comma in it
	const whole = typeof value === 'string' && options?.some((o) => o.name === value.trim());
	const names = whole ? [(value as string).trim()] : listOf(value, 'option names (an array or "a, b")', true);
	const out = [...new Set(names.map((n) => optionName(field, n)))];
	return out.length ? out : null;
}

function coerceCheckbox(value: unknown): boolean {
	if (value === null || value === undefined) return false;
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (TRUE_WORDS.has(s)) return true;
		if (FALSE_WORDS.has(s)) return false;
	}
	throw new CoercionError('a checkbox value (true/false, 1/0, yes/no)', value);
}

function coerceUsers(value: unknown, options: ValueOptions): { id: string }[] | null {
	const expected = 'users as open ids (ou_...), emails or mobiles';
	if (isEmpty(value)) return null;
	const entries: unknown[] = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[,，;；]/)
			: [value];
	const ids: string[] = [];
	for (const entry of entries) {
		const raw = entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : entry;
		if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
		if (typeof raw !== 'string' && typeof raw !== 'number') throw new CoercionError(expected, value);
		const s = String(raw).trim();
		let id: string | undefined;
		if (s.startsWith('ou_')) id = s;
		else if (isEmailLike(s)) {
			id = options.userIds?.get(s.toLowerCase());
			if (!id) throw new CoercionError(expected, value, `no Feishu user has the email ${s}`);
		} else if (isMobileLike(s)) {
			id = options.userIds?.get(canonicalMobile(s));
			if (!id) throw new CoercionError(expected, value, `no Feishu user has the mobile ${s}`);
		} else throw new CoercionError(expected, value);
		if (!ids.includes(id)) ids.push(id);
	}
	return ids.length ? ids.map((id) => ({ id })) : null;
}

function coercePhone(value: unknown): string | null {
	const expected = 'a phone number (digits with an optional leading +, at most 64)';
	if (isEmpty(value)) return null;
	if (typeof value !== 'string' && typeof value !== 'number') throw new CoercionError(expected, value);
	const s = String(value)
		.trim()
		.replace(/[\s\-()]/g, '');
	if (s.length > 64 || !PHONE_RE.test(s)) throw new CoercionError(expected, value);
	return s === '' ? null : s;
}

function coerceUrl(value: unknown): { text: string; link: string } | null {
	const expected = 'a URL (https://...) or {text, link}';
	if (isEmpty(value)) return null;
	let link: unknown;
	let text: unknown;
	if (typeof value === 'string') link = value.trim();
	else if (value && typeof value === 'object' && !Array.isArray(value))
		({ link, text } = value as { link?: unknown; text?: unknown });
	if (typeof link === 'string' && /^www\./i.test(link)) link = `https://${link}`;
	if (typeof link !== 'string' || !URL_RE.test(link)) throw new CoercionError(expected, value);
	if (text !== undefined && text !== null && typeof text !== 'string') throw new CoercionError(expected, value);
	return { text: (text as string | undefined) || link, link };
}

function coerceAttachments(value: unknown): { file_token: string }[] | null {
	const expected = 'attachments (URLs or binary data, uploaded before writing)';
	if (isEmpty(value) || (Array.isArray(value) && value.length === 0)) return null;
	const list = Array.isArray(value) ? value : [value];
	const out: { file_token: string }[] = [];
	for (const v of list) {
		const token = v && typeof v === 'object' ? (v as { file_token?: unknown }).file_token : undefined;
		if (typeof token !== 'string' || token === '') throw new CoercionError(expected, value);
		out.push({ file_token: token });
	}
	return out;
}

function coerceLinks(value: unknown): string[] | null {
	const expected = 'linked record ids (rec...)';
	if (isEmpty(value)) return null;
	const v =
		value && typeof value === 'object' && !Array.isArray(value)
			? (value as { link_record_ids?: unknown }).link_record_ids
			: value;
	if (v === undefined) throw new CoercionError(expected, value);
	const ids = listOf(v, expected, true);
	if (ids.some((id) => !id.startsWith('rec'))) throw new CoercionError(expected, value);
	return ids.length ? ids : null;
}

function coerceLocation(value: unknown): string | null {
	const expected = 'a location "longitude,latitude"';
	if (isEmpty(value)) return null;
	let lng: unknown;
	let lat: unknown;
	if (typeof value === 'string') [lng, lat] = value.split(',').map((p) => p.trim());
	else if (Array.isArray(value)) [lng, lat] = value;
	else if (value && typeof value === 'object') {
		const o = value as Record<string, unknown>;
		if (typeof o.location === 'string') return coerceLocation(o.location);
		lng = o.lng ?? o.longitude;
		lat = o.lat ?? o.latitude;
	}
	const x = typeof lng === 'number' ? lng : typeof lng === 'string' && NUMBER_RE.test(lng) ? Number(lng) : NaN;
	const y = typeof lat === 'number' ? lat : typeof lat === 'string' && NUMBER_RE.test(lat) ? Number(lat) : NaN;
	if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90)
		throw new CoercionError(expected, value);
	return plainLocation(x, y);
}

/** The write form of `value` for `field`, or throws CoercionError. `null` clears the cell. */
export function coerceWriteValue(field: FieldMeta, value: unknown, options: ValueOptions = {}): unknown {
	if (READ_ONLY_TYPES.has(field.type)) {
		throw new CoercionError(
			'a writable field',
			value,
			`"${field.field_name}" is a ${typeName(field.type)} field, which Feishu computes itself`,
		);
	}
	switch (field.type) {
		case T.Text:
			return coerceText(value, options);
		case T.Number:
			return coerceNumber(value);
		case T.SingleSelect:
			return coerceSingleSelect(field, value);
		case T.MultiSelect:
			return coerceMultiSelect(field, value);
		case T.DateTime:
			return coerceDate(value, options);
		case T.Checkbox:
			return coerceCheckbox(value);
		case T.User:
			return coerceUsers(value, options);
		case T.Phone:
			return coercePhone(value);
		case T.Url:
			return coerceUrl(value);
		case T.Attachment:
			return coerceAttachments(value);
		case T.SingleLink:
		case T.DuplexLink:
			return coerceLinks(value);
		case T.Location:
			return coerceLocation(value);
		default:
			throw new CoercionError(
				'a field type the API can write',
				value,
				`"${field.field_name}" is a ${typeName(field.type)} field`,
			);
	}
}

/** The plain (comparable) form of a write form produced by coerceWriteValue. */
export function plainOfWrite(field: FieldMeta, write: unknown): PlainValue {
	if (field.type === T.Checkbox) return write === true;
	if (write === null || write === undefined) return null;
	switch (field.type) {
		case T.User:
			return (write as { id: string }[]).map((u) => u.id);
		case T.Attachment:
			return (write as { file_token: string }[]).map((a) => a.file_token);
		case T.Url:
			return (write as { link: string }).link;
		default:
			return write as PlainValue;
	}
}
