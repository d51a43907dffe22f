import { ServiceError, type ErrorFields } from '../errors';
import type { MySqlCredentialData } from './credentials';
import { describeServer } from './credentials';

interface DriverError {
	message?: string;
	code?: string;
	errno?: number;
	sqlState?: string;
	sqlMessage?: string;
	fatal?: boolean;
}

/** A failure to reach or log in to the server. The message names host and port, never the password. */
export class MySqlConnectionError extends ServiceError {
	declare readonly code: string;
	declare hint: string;
	constructor(
		message: string,
		code: string,
		readonly server: string,
		hint: string,
	) {
		super(message, { service: 'mysql', kind: 'network', code, hint });
	}

	get serviceResponse(): ErrorFields {
		return { code: this.code, server: this.server };
	}

	get itemFields(): ErrorFields {
		return { code: this.code };
	}
}

/** An error the server returned for a statement (syntax, missing table, constraint, ...). */
export class MySqlQueryError extends ServiceError {
	declare readonly code: string;
	/** The statement that failed, shown (shortened) in the error's description. */
	statement?: string;
	constructor(
		code: string,
		readonly errno: number | undefined,
		readonly sqlState: string | undefined,
		readonly sqlMessage: string,
	) {
		super(`MySQL error ${code}${errno ? ` (${errno})` : ''}: ${sqlMessage}`, {
			service: 'mysql',
			kind: 'api',
			code,
			hint: `SQLSTATE ${sqlState ?? '?'}.`,
		});
	}

	/** Names the statement in the hint (shortened), next to the SQLSTATE: what a user needs to find the fault. */
	withStatement(sql: string | undefined): this {
		this.statement = sql;
		const shown = sql && sql.length > MAX_STATEMENT_SHOWN ? `${sql.slice(0, MAX_STATEMENT_SHOWN)}…` : sql;
		this.hint = `SQLSTATE ${this.sqlState ?? '?'}.${shown ? ` Statement: ${shown}` : ''}`;
		return this;
	}

	get serviceResponse(): ErrorFields {
		return { code: this.code, errno: this.errno ?? null, sqlState: this.sqlState ?? null, message: this.sqlMessage };
	}

	get itemFields(): ErrorFields {
		const fields: ErrorFields = { code: this.code };
		if (this.errno) fields.errno = this.errno;
		if (this.sqlState) fields.sqlState = this.sqlState;
		return fields;
	}
}

const MAX_STATEMENT_SHOWN = 500;

/** Removes the password from a text, in case a driver ever puts it there. */
export function scrubSecret(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 3) return text;
	return text.split(secret).join('***');
}

const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ECONNRESET',
	'EPIPE',
	'PROTOCOL_CONNECTION_LOST',
	'PROTOCOL_SEQUENCE_TIMEOUT',
	'HANDSHAKE_NO_SSL_SUPPORT',
	'HANDSHAKE_SSL_ERROR',
	'ER_ACCESS_DENIED_ERROR',
	'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
	'ER_DBACCESS_DENIED_ERROR',
	'ER_BAD_DB_ERROR',
	'ER_HOST_NOT_PRIVILEGED',
	'ER_HOST_IS_BLOCKED',
	'ER_CON_COUNT_ERROR',
	'ER_TOO_MANY_USER_CONNECTIONS',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'CERT_HAS_EXPIRED',
]);

/** True for errors that mean the connection could not be made or was lost (not a statement's fault). */
export function isConnectionFailure(err: unknown): boolean {
	const e = err as DriverError | undefined;
	if (!e) return false;
	if (e instanceof MySqlConnectionError) return true;
	return (!!e.code && CONNECTION_CODES.has(e.code)) || (e.fatal === true && !e.sqlState);
}

/** What a user should read when connecting fails: what happened, where, and what to check. */
export function toConnectionError(err: unknown, cred: MySqlCredentialData): MySqlConnectionError {
	if (err instanceof MySqlConnectionError) return err;
	const e = (err ?? {}) as DriverError;
	const server = describeServer(cred);
	const code = e.code ?? 'UNKNOWN';
	let what: string;
	let hint: string;
	switch (code) {
		case 'ER_ACCESS_DENIED_ERROR':
		case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
			what = `access denied for user "${cred.user}": the password or user name is wrong`;
			hint = 'Check the user and password in the MySQL credential (and that the user may connect from this host).';
			break;
		case 'ER_DBACCESS_DENIED_ERROR':
			what = `user "${cred.user}" may not use database "${cred.database ?? ''}"`;
			hint = 'Grant the user access to the database, or pick another database in the credential.';
			break;
		case 'ER_BAD_DB_ERROR':
			what = `database "${cred.database ?? ''}" does not exist`;
			hint = 'Check the database name in the MySQL credential.';
			break;
		case 'ECONNREFUSED':
			what = 'connection refused (nothing listens on that port)';
			hint = 'Check host and port, and that the MySQL server is running and reachable from n8n.';
			break;
		case 'ETIMEDOUT':
		case 'PROTOCOL_SEQUENCE_TIMEOUT':
			what = `no answer within ${cred.connectTimeout ?? 10000} ms`;
			hint = 'Check host, port and firewalls, or raise the connect timeout in the credential.';
			break;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			what = `host name "${cred.host}" cannot be resolved`;
			hint = 'Check the host name in the MySQL credential.';
			break;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			what = 'the host is unreachable';
			hint = 'Check the host and the network route from n8n to the server.';
			break;
		case 'HANDSHAKE_NO_SSL_SUPPORT':
			what = 'the server does not support SSL, but the credential requires it';
			hint = 'Set SSL to "Disabled" in the credential, or enable TLS on the server.';
			break;
		case 'ER_CON_COUNT_ERROR':
		case 'ER_TOO_MANY_USER_CONNECTIONS':
			what = 'the server has too many connections';
			hint = 'Try again later or raise max_connections on the server.';
			break;
		default: {
			const detail = scrubSecret(e.sqlMessage ?? e.message ?? String(err), cred.password);
			what = /cert|ssl|tls/i.test(code + detail) ? `SSL check failed: ${detail}` : detail;
			hint = /cert|ssl|tls/i.test(code + detail)
				? 'Check the SSL mode and the CA certificate in the credential.'
				: 'Check the MySQL credential and that the server is reachable.';
		}
	}
	return new MySqlConnectionError(`Cannot connect to MySQL at ${server}: ${what}`, code, server, hint);
}

/** The server's error for a statement, keeping its code, number and SQLSTATE. */
export function toQueryError(err: unknown, secret?: string): MySqlQueryError | Error {
	const e = (err ?? {}) as DriverError;
	if (err instanceof MySqlQueryError) return err;
	if (!e.sqlMessage && !e.sqlState) return err instanceof Error ? err : new Error(String(err));
	return new MySqlQueryError(
		e.code ?? 'ER_UNKNOWN',
		e.errno,
		e.sqlState,
		scrubSecret(e.sqlMessage ?? e.message ?? '', secret),
	);
}

/** The error with the statement that failed named in its hint (a MySQL error), or as it was. */
export function withStatement(err: unknown, sql: string | undefined): unknown {
	return err instanceof MySqlQueryError ? err.withStatement(sql) : err;
}
