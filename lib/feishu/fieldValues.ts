/**
 * Bitable cell values in both directions, per field type: normalise what search reads, coerce what we
 * write, compare the two. A sync writes only what differs, so both sides must normalise to the same
 * plain form (text segments joined, dates in ms, option names, ids), or every re-run rewrites everything.
 */
export {
	CoercionError,
	FieldType,
	READ_ONLY_TYPES,
	WRITABLE_TYPES,
	describeValue,
	isWritable,
	typeName,
} from './values/types';
export type { FieldMeta, ValueOptions } from './values/types';
export { joinSegments, normaliseReadValue } from './values/read';
export type { PlainValue } from './values/read';
export {
	MAX_TEXT_CHARS,
	canonicalMobile,
	coerceDate,
	coerceNumber,
	coerceWriteValue,
	isEmailLike,
	isMobileLike,
	plainOfWrite,
} from './values/write';
export { valuesEqual } from './values/compare';
export { checkTimeZone, formatWallClock, parseDateString, zoneOffsetMs } from './values/time';
