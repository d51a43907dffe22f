/** What a store knows about one record's status (both stores map their rows/records to this). */
export interface StatusSnapshot {
	/** Bitable record_id, or the MySQL row's primary key as text. */
	id: string;
	key?: string;
	/** '' when the record has no status yet. */
	status: string;
	version?: number;
	/** Which source (user, workflow, reconciler) set the status. */
	source?: string;
	/** When the status was set (ms epoch). */
	statusTime?: number;
	/** The record's other fields as plain values (for expressions downstream, e.g. an attempt count). */
	fields: Record<string, unknown>;
}

export type RecordLocator = { by: 'id'; value: string } | { by: 'key'; value: string };

/** What an applied update writes. */
export interface StatusWrite {
	status: string;
	/** Set when the store has a version field/column. */
	version?: number;
	source?: string;
	statusTime: number;
	fields: Record<string, unknown>;
}

/** The conditions the store must check at write time (atomically when it can). */
export interface WriteGuard {
	/** Statuses the record may be in when the write lands. */
	allowedFrom: string[];
	/** The version the record must still have; undefined = no version check. */
	expectedVersion?: number;
	/** Sources that outrank the writer: a status they set after `notAfter` must not be overridden. */
	outranking?: { sources: string[]; notAfter: number };
}

export interface StuckRule {
	status: string;
	/** Records whose status time is before this instant (ms epoch) are stuck. */
	before: number;
}

export interface StatusStore {
	readonly hasVersion: boolean;
	readonly hasSource: boolean;
	read(locator: RecordLocator): Promise<StatusSnapshot | undefined>;
	/** Applies `write` when `guard` still holds; true when it did (and, for Bitable, a re-read confirmed it). */
	write(record: StatusSnapshot, write: StatusWrite, guard: WriteGuard): Promise<boolean>;
	/**
	 * Creates the record with its key; safe to repeat: when another writer created it first,
	 * `created` is false and the caller treats the update as one on that record.
	 */
	create(key: string, write: StatusWrite): Promise<{ record: StatusSnapshot; created: boolean }>;
	/** Stuck records, oldest status time first, at most `limit`. */
	findStuck(rules: StuckRule[], limit: number): Promise<StatusSnapshot[]>;
	/** Deletes the record when `guard` still holds (the stuck-upload cleanup); true when it did. */
	remove?(record: StatusSnapshot, guard: WriteGuard): Promise<boolean>;
}
