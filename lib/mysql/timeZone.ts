/**
 * The credential's time zone: the offset the MySQL session runs in (so TIMESTAMP columns come back in
 * it) and the offset appended to DATETIME/TIMESTAMP values to make them ISO 8601.
 */
import { DEFAULT_UTC_OFFSET } from '../defaults';
import { ServiceError } from '../errors';
export interface TimeZone {
	readonly name: string;
	/** `±HH:MM` for `SET time_zone` (named zones need time zone tables the server may not have). */
	readonly sessionOffset: string;
	/** True for a fixed UTC offset (the same for every date). */
	readonly fixed: boolean;
	/** Offset (`±HH:MM`) of a wall-clock time `YYYY-MM-DD HH:MM:SS[.f]` in this zone. */
	offsetOf(localDateTime: string): string;
}

const OFFSET = /^([+-])(\d{1,2}):?(\d{2})$/;

function formatOffset(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export class InvalidTimeZoneError extends ServiceError {
	constructor(readonly input: string) {
		super(`Unknown time zone "${input}": use a UTC offset such as +08:00 or a zone name such as Asia/Shanghai`, {
			service: 'package',
			kind: 'input',
		});
	}
}

/** Offset in minutes of `zone` at UTC instant `ms`. */
function zoneOffsetMinutes(format: Intl.DateTimeFormat, ms: number): number {
	const parts: Record<string, number> = {};
	for (const part of format.formatToParts(new Date(ms))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

function namedZone(name: string): TimeZone {
	let format: Intl.DateTimeFormat;
	try {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: name,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
	} catch {
		throw new InvalidTimeZoneError(name);
	}
	// Offsets change at most hourly; cache per local hour so a million rows cost a map lookup each.
	const cache = new Map<string, string>();
	return {
		name,
		fixed: false,
		sessionOffset: formatOffset(zoneOffsetMinutes(format, Date.now())),
		offsetOf(local) {
			const key = local.slice(0, 13);
			let offset = cache.get(key);
			if (offset === undefined) {
				const wall = Date.UTC(
					Number(local.slice(0, 4)),
					Number(local.slice(5, 7)) - 1,
					Number(local.slice(8, 10)),
					Number(local.slice(11, 13) || 0),
				);
				// Two steps find the offset in force at that wall time (also across a DST change).
				const first = zoneOffsetMinutes(format, wall);
				const minutes = zoneOffsetMinutes(format, wall - first * 60000);
				offset = formatOffset(minutes);
				if (cache.size > 10000) cache.clear();
				cache.set(key, offset);
			}
			return offset;
		},
	};
}

/** Parses the credential's time zone (default DEFAULT_UTC_OFFSET, +08:00). */
export function parseTimeZone(input: string | undefined): TimeZone {
	const text = (input ?? '').trim() || DEFAULT_UTC_OFFSET;
	if (/^(z|utc|gmt)$/i.test(text)) return fixedZone('+00:00');
	const match = OFFSET.exec(text);
	if (match) {
		const minutes = Number(match[2]) * 60 + Number(match[3]);
		if (Number(match[2]) > 14 || Number(match[3]) > 59) throw new InvalidTimeZoneError(text);
		return fixedZone(formatOffset(match[1] === '-' ? -minutes : minutes));
	}
	return namedZone(text);
}

function fixedZone(offset: string): TimeZone {
	return { name: offset, sessionOffset: offset, fixed: true, offsetOf: () => offset };
}

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (as MySQL sends it) -> ISO 8601 with the zone's offset;
 * MySQL's zero date becomes null.
 */
export function toIsoDateTime(local: string, zone: TimeZone): string | null {
	if (local.startsWith('0000-00-00')) return null;
	return `${local.slice(0, 10)}T${local.slice(11)}${zone.offsetOf(local)}`;
}

/** A JavaScript Date as MySQL's `YYYY-MM-DD HH:MM:SS.mmm` wall-clock time in the zone (for binding). */
export function toMySqlDateTime(date: Date, zone: TimeZone): string {
	const utcIso = date.toISOString();
	let offset = zone.offsetOf(`${utcIso.slice(0, 10)} ${utcIso.slice(11, 19)}`);
	const minutesOf = (o: string) => (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6)));
	let local = new Date(date.getTime() + minutesOf(offset) * 60000).toISOString();
	// Re-check with the local time (the offset may differ across a DST change).
	const again = zone.offsetOf(`${local.slice(0, 10)} ${local.slice(11, 19)}`);
	if (again !== offset) {
		offset = again;
		local = new Date(date.getTime() + minutesOf(offset) * 60000).toISOString();
	}
	return `${local.slice(0, 10)} ${local.slice(11, 23)}`;
}
