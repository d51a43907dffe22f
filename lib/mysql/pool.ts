import type * as mysql from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import type { MySqlCredentialData } from './credentials';
import { toConnectionError } from './errors';
import type { TimeZone } from './timeZone';
import { parseTimeZone } from './timeZone';

export type MySqlPool = mysql.Pool;
export type MySqlConnection = mysql.PoolConnection;

export interface PoolOptions {
	/** Connections the pool may open (default 4: a node uses one, plus one for a named lock). */
	connectionLimit?: number;
}

/** Pasted PEM blocks often lose their line breaks; TLS needs them back. */
export function normalisePem(pem: string): string {
	const text = pem.trim();
	const match = /^(-----BEGIN [A-Z0-9 ]+-----)\s*([\s\S]*?)\s*(-----END [A-Z0-9 ]+-----)$/.exec(text);
	if (!match || text.includes('\n')) return text;
	const body = match[2].replace(/\s+/g, '');
	return `${match[1]}\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n${match[3]}`;
}

/** TLS options for the credential's SSL mode. */
export function sslOptions(cred: MySqlCredentialData): ConnectionOptions['ssl'] {
	switch (cred.ssl) {
		case 'required':
			// Encrypted, but any certificate is accepted (MySQL's ssl-mode=REQUIRED).
			return { rejectUnauthorized: false };
		case 'verify':
			// The certificate must chain to the CA (MySQL's VERIFY_CA); the host name is not compared.
			return {
				rejectUnauthorized: true,
				...(cred.caCertificate ? { ca: normalisePem(cred.caCertificate) } : {}),
				verifyIdentity: false,
			} as ConnectionOptions['ssl'];
		default:
			return undefined;
	}
}

/** mysql2 options for a credential: exact numbers, dates as text (we format them), one statement per call. */
export function connectionOptions(
	cred: MySqlCredentialData,
	zone: TimeZone = parseTimeZone(cred.timezone),
): ConnectionOptions {
	return {
		host: cred.host,
		port: Number(cred.port ?? 3306),
		user: cred.user,
		password: cred.password ?? '',
		database: cred.database || undefined,
		connectTimeout: Number(cred.connectTimeout ?? 10000),
		ssl: sslOptions(cred),
		supportBigNumbers: true,
		bigNumberStrings: false,
		decimalNumbers: false,
		dateStrings: true,
		timezone: zone.sessionOffset,
		multipleStatements: false,
		charset: 'UTF8MB4_UNICODE_CI',
	};
}

const zones = new WeakMap<MySqlPool, TimeZone>();

/** The time zone a pool's sessions run in. */
export function poolTimeZone(pool: MySqlPool): TimeZone {
	return zones.get(pool) ?? parseTimeZone(undefined);
}

/**
 * A pool whose every new session runs in the credential's time zone, so TIMESTAMP columns and
 * NOW() agree with how DATETIME values are read.
 */
export function createPool(cred: MySqlCredentialData, opts: PoolOptions = {}): MySqlPool {
	const zone = parseTimeZone(cred.timezone);
	// mysql2 loads with the first pool, not when n8n loads the nodes (docs/mysql-performance.md).
	const driver = require('mysql2/promise') as typeof mysql;
	const pool = driver.createPool({
		...connectionOptions(cred, zone),
		connectionLimit: opts.connectionLimit ?? 4,
		maxIdle: opts.connectionLimit ?? 4,
		waitForConnections: true,
	});
	// Enqueued before the connection is handed out, so it runs before anything else on it.
	pool.on('connection', (connection) => {
		(connection as unknown as { query(sql: string, cb: (err: unknown) => void): void }).query(
			`SET time_zone = '${zone.sessionOffset}'`,
			() => undefined,
		);
	});
	zones.set(pool, zone);
	return pool;
}

/** A connection from the pool; failures become a MySqlConnectionError (host and port, no password). */
export async function getConnection(pool: MySqlPool, cred: MySqlCredentialData): Promise<MySqlConnection> {
	try {
		return await pool.getConnection();
	} catch (err) {
		throw toConnectionError(err, cred);
	}
}

/** Runs `fn` with a pool that is closed afterwards, also when `fn` throws. */
export async function withPool<T>(
	cred: MySqlCredentialData,
	fn: (pool: MySqlPool) => Promise<T>,
	opts?: PoolOptions,
): Promise<T> {
	const pool = createPool(cred, opts);
	try {
		return await fn(pool);
	} finally {
		await closePool(pool);
	}
}

/** Ends every connection of the pool; never throws (a closing error must not hide the real one). */
export async function closePool(pool: MySqlPool): Promise<void> {
	try {
		await pool.end();
	} catch {
		// Already closed or the server went away: nothing left to release.
	}
}

/** Connects once and runs `SELECT 1` (the credential test). */
export async function testConnection(cred: MySqlCredentialData): Promise<void> {
	await withPool(
		cred,
		async (pool) => {
			const connection = await getConnection(pool, cred);
			try {
				await connection.query('SELECT 1');
			} catch (err) {
				throw toConnectionError(err, cred);
			} finally {
				connection.release();
			}
		},
		{ connectionLimit: 1 },
	);
}
