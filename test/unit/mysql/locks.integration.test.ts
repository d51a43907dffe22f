import { createTestDatabase, type TestDatabase } from '../../harness';
import { LockTimeoutError, closePool, createPool, lockName, withNamedLock, type MySqlPool } from '../../../lib/mysql';

let db: TestDatabase;
let pool: MySqlPool;
const name = () => `test-lock-${db.name}`;

beforeAll(async () => {
	db = await createTestDatabase('lk');
	pool = createPool(db.credentials);
});
afterAll(async () => {
	await closePool(pool);
	await db.drop();
});

test('a second holder waits and then times out with LockTimeoutError', async () => {
	await withNamedLock(pool, name(), { timeoutSec: 1 }, async () => {
		const other = createPool(db.credentials);
		try {
			await expect(withNamedLock(other, name(), { timeoutSec: 0 }, async () => 'never')).rejects.toBeInstanceOf(
				LockTimeoutError,
			);
		} finally {
			await closePool(other);
		}
	});
});

test('the lock is released when the work throws, and the work gets the locked connection', async () => {
	await expect(
		withNamedLock(pool, name(), { timeoutSec: 1 }, async (connection) => {
			const [rows] = await connection.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [name()]);
			expect((rows as Array<{ mine: number }>)[0].mine).toBe(1);
			throw new Error('boom');
		}),
	).rejects.toThrow('boom');
	const [rows] = await db.admin.query('SELECT IS_FREE_LOCK(?) AS free', [name()]);
	expect((rows as Array<{ free: number }>)[0].free).toBe(1);
	expect(await withNamedLock(pool, name(), { timeoutSec: 0 }, async () => 'again')).toBe('again');
});

test('long names are hashed to MySQL’s 64-character limit', () => {
	expect(lockName('short')).toBe('short');
	const long = lockName('x'.repeat(100));
	expect(long.length).toBeLessThanOrEqual(64);
	expect(long).not.toBe(lockName('x'.repeat(99) + 'y'));
});
