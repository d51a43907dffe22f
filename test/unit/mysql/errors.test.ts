import { MySqlQueryError, isConnectionFailure, scrubSecret, toConnectionError, toQueryError } from '../../../lib/mysql';

const cred = { host: 'db.example', port: 3307, user: 'sync', password: 'S3cret!pw', database: 'shop' };

test('wrong password: says so, names host and port, never the password', () => {
	const err = toConnectionError(
		Object.assign(new Error("Access denied for user 'sync'@'10.0.0.1' (using password: YES)"), {
			code: 'ER_ACCESS_DENIED_ERROR',
			errno: 1045,
		}),
		cred,
	);
	expect(err.message).toBe(
		'Cannot connect to MySQL at db.example:3307: access denied for user "sync": the password or user name is wrong',
	);
	expect(err.message + err.hint).not.toContain(cred.password);
});

test('refused, timed out and unknown errors', () => {
	expect(toConnectionError({ code: 'ECONNREFUSED' }, cred).message).toContain('db.example:3307: connection refused');
	expect(toConnectionError({ code: 'ETIMEDOUT' }, { ...cred, connectTimeout: 500 }).message).toContain(
		'no answer within 500 ms',
	);
	const odd = toConnectionError({ code: 'WEIRD', message: 'driver said S3cret!pw' }, cred);
	expect(odd.message).not.toContain('S3cret!pw');
	expect(scrubSecret('a S3cret!pw b', 'S3cret!pw')).toBe('a *** b');
});

test('server errors keep code, number and SQLSTATE', () => {
	const err = toQueryError({
		code: 'ER_NO_SUCH_TABLE',
		errno: 1146,
		sqlState: '42S02',
		sqlMessage: "Table 'shop.x' doesn't exist",
	});
	expect(err).toBeInstanceOf(MySqlQueryError);
	expect(err.message).toBe("MySQL error ER_NO_SUCH_TABLE (1146): Table 'shop.x' doesn't exist");
	expect(isConnectionFailure({ code: 'ECONNREFUSED' })).toBe(true);
	expect(isConnectionFailure(err)).toBe(false);
});
