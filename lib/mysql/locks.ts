import { ServiceError } from '../errors';
import { createHash } from 'crypto';
import type { MySqlConnection, MySqlPool } from './pool';

/** GET_LOCK did not get the lock within the timeout (someone else holds it). */
export class LockTimeoutError extends ServiceError {
	constructor(
		readonly lockName: string,
		readonly timeoutSec: number,
	) {
		super(`Could not get the MySQL lock "${lockName}" within ${timeoutSec} s: another run holds it`, {
			service: 'mysql',
			kind: 'refused',
		});
	}
}

/** MySQL lock names are server-wide and at most 64 characters: longer names are hashed. */
export function lockName(name: string): string {
	if (name.length <= 64) return name;
	return `${name.slice(0, 20)}#${createHash('sha1').update(name).digest('hex')}`;
}

/**
 * Runs `fn` while holding the MySQL named lock `name` (GET_LOCK), on a connection of its own that
 * is handed to `fn`. The lock is released, and the connection returned, also when `fn` throws;
 * if the connection dies the server releases the lock by itself.
 */
export async function withNamedLock<T>(
	pool: MySqlPool,
	name: string,
	options: { timeoutSec: number },
	fn: (connection: MySqlConnection) => Promise<T>,
): Promise<T> {
	const key = lockName(name);
	const connection = await pool.getConnection();
	try {
		const [rows] = await connection.execute('SELECT GET_LOCK(?, ?) AS got', [key, options.timeoutSec]);
		const got = (rows as Array<{ got: number | null }>)[0]?.got;
		if (got !== 1) throw new LockTimeoutError(name, options.timeoutSec);
		try {
			return await fn(connection);
		} finally {
			await connection.execute('SELECT RELEASE_LOCK(?)', [key]).catch(() => undefined);
		}
	} finally {
		connection.release();
	}
}
