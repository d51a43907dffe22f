import type { MySqlConnection } from './pool';

/**
 * The server's own counters for one session (SHOW SESSION STATUS): how many rows it sent and how
 * many index/table reads it did. They prove a read stopped at its limit on the server, which
 * counting output items cannot.
 */
export interface SessionCounters {
	rowsSent: number;
	handlerReadFirst: number;
	handlerReadKey: number;
	handlerReadNext: number;
	handlerReadPrev: number;
	handlerReadRnd: number;
	handlerReadRndNext: number;
}

const VARIABLES: Record<string, keyof SessionCounters> = {
	Rows_sent: 'rowsSent',
	Handler_read_first: 'handlerReadFirst',
	Handler_read_key: 'handlerReadKey',
	Handler_read_next: 'handlerReadNext',
	Handler_read_prev: 'handlerReadPrev',
	Handler_read_rnd: 'handlerReadRnd',
	Handler_read_rnd_next: 'handlerReadRndNext',
};

/** Current counters of the connection's session (SHOW STATUS itself does not add to Rows_sent). */
export async function readSessionCounters(connection: MySqlConnection): Promise<SessionCounters> {
	const [rows] = await connection.query(
		`SHOW SESSION STATUS WHERE Variable_name IN (${Object.keys(VARIABLES)
			.map((name) => `'${name}'`)
			.join(', ')})`,
	);
	const counters = Object.fromEntries(Object.values(VARIABLES).map((key) => [key, 0])) as unknown as SessionCounters;
	for (const row of rows as Array<{ Variable_name: string; Value: string }>) {
		const key = VARIABLES[row.Variable_name];
		if (key) counters[key] = Number(row.Value);
	}
	return counters;
}

/** after - before, counter by counter. */
export function diffCounters(before: SessionCounters, after: SessionCounters): SessionCounters {
	const result = {} as SessionCounters;
	for (const key of Object.keys(after) as Array<keyof SessionCounters>) result[key] = after[key] - before[key];
	return result;
}

/** Rows the storage engine read for the statement (index and table scans together). */
export function rowsRead(counters: SessionCounters): number {
	return (
		counters.handlerReadFirst +
		counters.handlerReadKey +
		counters.handlerReadNext +
		counters.handlerReadPrev +
		counters.handlerReadRnd +
		counters.handlerReadRndNext
	);
}
