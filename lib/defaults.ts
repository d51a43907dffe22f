/**
 * The time zone of dates given without one: where this package's users are (and where Feishu counts
 * an app's monthly calls). Credentials default to it; code falls back to it when a caller gives none.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The same zone as a fixed UTC offset, for MySQL sessions (a server may have no time-zone tables). */
export const DEFAULT_UTC_OFFSET = '+08:00';
