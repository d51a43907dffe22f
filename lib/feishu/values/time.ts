/**
 * Dates without a zone ("2024-05-01 08:00:00", as MySQL DATETIME values arrive) are read in the
 * credential's time zone, so the same wall-clock time always maps to the same Bitable milliseconds.
 */

const OFFSET_RE = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets per zone and hour: Intl is slow and 100,000 rows mostly share a few hours' offsets. */
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC in ms at the instant `utcMs`. */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
	const fixed = OFFSET_RE.exec(timeZone.trim());
	if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
	if (/^(utc|gmt|z)$/i.test(timeZone.trim())) return 0;
	const cacheKey = `${timeZone}|${Math.floor(utcMs / 3_600_000)}`;
	const cached = offsetCache.get(cacheKey);
	if (cached !== undefined) return cached;
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	const parts: Record<string, number> = {};
	for (const p of formatter.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
	const offset = asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
	if (offsetCache.size > 10_000) offsetCache.clear();
	offsetCache.set(cacheKey, offset);
	return offset;
}

/** Throws RangeError for an unknown zone name. */
export function checkTimeZone(timeZone: string): void {
	zoneOffsetMs(timeZone, Date.now());
}

/** Epoch ms of a wall-clock time in `timeZone`. */
export function wallClockToUtc(fields: number[], timeZone: string): number {
	const [y, mo, d, h = 0, mi = 0, s = 0, ms = 0] = fields;
	const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	let utc = guess - zoneOffsetMs(timeZone, guess);
	// across a DST change the offset at the result can differ from the one at the guess
	const again = guess - zoneOffsetMs(timeZone, utc);
	if (again !== utc) utc = again;
	return utc;
}

const DATE_RE =
	/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a date string; undefined when it is not one. A string without a zone is read in `timeZone`. */
export function parseDateString(input: string, timeZone: string): number | undefined {
	const s = input.trim();
	const m = DATE_RE.exec(s);
	if (!m) return undefined;
	const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? 0 : Number(v)));
	const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return undefined;
	const fields = [y, mo, d, h, mi, sec, ms];
	const zone = m[8];
	if (zone) {
		const utc = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
		return utc - zoneOffsetMs(zone.toUpperCase() === 'Z' ? 'UTC' : zone, utc);
	}
	const result = wallClockToUtc(fields, timeZone);
	// reject impossible calendar dates such as 2024-02-31 (Date.UTC would roll them over)
	const check = new Date(Date.UTC(y, mo - 1, d));
	if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
	return result;
}

/** "2024-05-01 08:00:00" in `timeZone` (used when a date is written to a text field). */
export function formatWallClock(utcMs: number, timeZone: string): string {
	const local = new Date(utcMs + zoneOffsetMs(timeZone, utcMs));
	const iso = local.toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * Eight digits ("20240101" or the number 20240101) are a compact date, YYYYMMDD at midnight in
 * `timeZone`, never epoch seconds or ms (both would land in 1970). undefined for any other input;
 * NaN for eight digits that are not a calendar date (callers refuse those).
 */
export function compactDate(value: unknown, timeZone: string): number | undefined {
	const text =
		typeof value === 'number'
			? Number.isInteger(value)
				? String(value)
				: ''
			: typeof value === 'string'
				? value.trim()
				: '';
	const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (!m) return undefined;
	return parseDateString(`${m[1]}-${m[2]}-${m[3]}`, timeZone) ?? Number.NaN;
}
