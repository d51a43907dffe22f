/** Shared vocabulary of Bitable field values: field metadata, type codes, options and the coercion error. */

/** A Bitable field as `list fields` describes it (only what value handling needs). */
import { ServiceError } from '../../errors';
export interface FieldMeta {
	field_id?: string;
	field_name: string;
	type: number;
	ui_type?: string;
	property?: Record<string, unknown> | null;
	is_primary?: boolean;
}

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
	Stage: 24,
	CreatedTime: 1001,
	ModifiedTime: 1002,
	CreatedUser: 1003,
	ModifiedUser: 1004,
	AutoNumber: 1005,
	Button: 3001,
} as const;

/** Types Feishu computes itself: an API write to them is refused. */
export const READ_ONLY_TYPES: ReadonlySet<number> = new Set([19, 20, 24, 1001, 1002, 1003, 1004, 1005, 3001]);

/** Types this package can write (the rest are read-only or not writable through the API, e.g. group chat). */
export const WRITABLE_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 21, 22]);

export const isWritable = (field: FieldMeta): boolean => WRITABLE_TYPES.has(field.type);

/** Human names, used in messages ("expected a number"). */
export const TYPE_NAMES: Record<number, string> = {
	1: 'text',
	2: 'number',
	3: 'single select',
	4: 'multi select',
	5: 'date',
	7: 'checkbox',
	11: 'user',
	13: 'phone',
	15: 'URL',
	17: 'attachment',
	18: 'link',
	19: 'lookup',
	20: 'formula',
	21: 'two-way link',
	22: 'location',
	23: 'group chat',
	24: 'stage',
	1001: 'created time',
	1002: 'modified time',
	1003: 'created by',
	1004: 'modified by',
	1005: 'auto number',
	3001: 'button',
};

export const typeName = (type: number): string => TYPE_NAMES[type] ?? `type ${type}`;

export interface ValueOptions {
	/** IANA zone ("Asia/Shanghai") or a fixed offset ("+08:00") for dates written without one. */
	timeZone?: string;
	/**
	 * Emails and mobiles already resolved to open ids (user fields accept an open id, an email or a
	 * mobile; the lookup is a network call, so it happens before coercion).
	 */
	userIds?: ReadonlyMap<string, string>;
}

/** A value that cannot become the field's write form; the caller adds the item and field to the message. */
export class CoercionError extends ServiceError {
	constructor(
		readonly expected: string,
		readonly value: unknown,
		readonly detail?: string,
	) {
		super(`expected ${expected}, got ${describeValue(value)}${detail ? ` (${detail})` : ''}`, {
			service: 'package',
			kind: 'input',
			hint: 'A field value does not fit its field: give the value in the format the field type takes.',
		});
	}
}

/** A short, safe rendering of a value for messages. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	try {
		const json = JSON.stringify(value);
		return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
	} catch {
		return String(value);
	}
}
