/**
 * Read normalisation: the rich form search returns -> a plain value that compares equal to the plain
 * form of what we would write (see write.ts `plainOfWrite`). Empty is always `null`.
 *
 * Plain forms: text/phone/select/auto number string; number and dates ms number; checkbox boolean
 * (absent = false); multi select, user, attachment and link string[] (names, open ids, file tokens,
 * record ids); url its link; location "lng,lat"; formula and lookup their unwrapped value.
 */
import { FieldType as T, type FieldMeta, type ValueOptions } from './types';

export type PlainValue = string | number | boolean | string[] | null | PlainValue[] | Record<string, unknown>;

/** Joins rich-text segments (text, mention, url) into one string. */
export function joinSegments(value: unknown): string {
	if (typeof value === 'string') return value;
	if (!Array.isArray(value)) return value == null ? '' : String(value);
	let out = '';
	for (const s of value) {
		if (typeof s === 'string') out += s;
		else if (s && typeof s === 'object') out += String((s as { text?: unknown }).text ?? '');
	}
	return out;
}

const emptyToNull = (s: string): string | null => (s === '' ? null : s);

function idsOf(value: unknown, key: string): string[] | null {
	if (!Array.isArray(value)) return null;
	const ids: string[] = [];
	for (const v of value) {
		const id = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : v;
		if (typeof id === 'string' && id !== '') ids.push(id);
	}
	return ids.length ? ids : null;
}

function linkIds(value: unknown): string[] | null {
	if (Array.isArray(value)) {
		// older responses: [{record_ids:[...]}] or plain ids
		const ids = value.flatMap((v) =>
			typeof v === 'string'
				? [v]
				: Array.isArray((v as { record_ids?: unknown })?.record_ids)
					? (v as { record_ids: string[] }).record_ids
					: [],
		);
		return ids.length ? ids : null;
	}
	const ids = (value as { link_record_ids?: unknown } | null)?.link_record_ids;
	return Array.isArray(ids) && ids.length ? ids.map(String) : null;
}

export function plainLocation(lng: number, lat: number): string {
	return `${Number(lng)},${Number(lat)}`;
}

function location(value: unknown): string | null {
	if (value == null) return null;
	const s = typeof value === 'string' ? value : (value as { location?: unknown }).location;
	if (typeof s !== 'string') return null;
	const [lng, lat] = s.split(',').map((p) => Number(p.trim()));
	return Number.isFinite(lng) && Number.isFinite(lat) ? plainLocation(lng, lat) : emptyToNull(s);
}

/** Formula and lookup cells read as `{type, value:[...]}`: unwrap by the inner type. */
function computed(value: unknown, options: ValueOptions): PlainValue {
	if (!value || typeof value !== 'object' || Array.isArray(value) || !('value' in value)) {
		return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null;
	}
	const { type, value: inner } = value as { type?: number; value?: unknown };
	const list = Array.isArray(inner) ? inner : [inner];
	if (type === T.Text || type === undefined) {
		const isSegments = list.every((v) => v && typeof v === 'object' && 'text' in (v as object));
		if (isSegments || list.every((v) => typeof v === 'string')) return emptyToNull(joinSegments(list));
	}
	const values = list.map((v) => normaliseReadValue({ field_name: '', type: type ?? T.Text }, v, options));
	const flat = values.filter((v) => v !== null);
	if (flat.length === 0) return null;
	return flat.length === 1 ? flat[0] : (flat as PlainValue[]);
}

export function normaliseReadValue(field: FieldMeta, readValue: unknown, options: ValueOptions = {}): PlainValue {
	if (field.type === T.Checkbox) return readValue === true || readValue === 'true';
	if (readValue === undefined || readValue === null) return null;
	switch (field.type) {
		case T.Text:
		case T.Phone:
		case T.SingleSelect:
		case T.AutoNumber:
			return emptyToNull(joinSegments(readValue));
		case T.Number:
		case T.DateTime:
		case T.CreatedTime:
		case T.ModifiedTime: {
			const n = typeof readValue === 'number' ? readValue : Number(readValue);
			return Number.isFinite(n) ? n : null;
		}
		case T.MultiSelect:
			return Array.isArray(readValue)
				? readValue.length
					? readValue.map((v) => joinSegments(v))
					: null
				: emptyToNull(joinSegments(readValue));
		case T.User:
		case T.CreatedUser:
		case T.ModifiedUser:
			return idsOf(readValue, 'id');
		case T.Attachment:
			return idsOf(readValue, 'file_token');
		case T.SingleLink:
		case T.DuplexLink:
			return linkIds(readValue);
		case T.Url: {
			if (typeof readValue === 'string') return emptyToNull(readValue);
			const link = (readValue as { link?: unknown }).link;
			return typeof link === 'string' ? emptyToNull(link) : null;
		}
		case T.Location:
			return location(readValue);
		case T.Formula:
		case T.Lookup:
			return computed(readValue, options);
		default:
			return readValue as PlainValue;
	}
}
