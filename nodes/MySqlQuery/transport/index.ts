import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import type { MySqlCredentialData, MySqlPool } from '../../../lib/mysql';
import { createPool } from '../../../lib/mysql';

/** The credential's data in the shape lib/mysql expects (defaults filled in). */
export function toCredentialData(data: ICredentialDataDecryptedObject): MySqlCredentialData {
	return {
		host: String(data.host ?? 'localhost'),
		port: Number(data.port ?? 3306),
		database: data.database ? String(data.database) : undefined,
		user: String(data.user ?? ''),
		password: data.password === undefined ? '' : String(data.password),
		ssl: (data.ssl as MySqlCredentialData['ssl']) ?? 'disabled',
		caCertificate: data.caCertificate ? String(data.caCertificate) : undefined,
		timezone: data.timezone ? String(data.timezone) : '+08:00',
		connectTimeout: Number(data.connectTimeout ?? 10000),
	};
}

export interface MySqlContext {
	cred: MySqlCredentialData;
	pool: MySqlPool;
}

/** A pool for this node run (the router closes it when the run ends, also on error). */
export async function openPool(this: IExecuteFunctions): Promise<MySqlContext> {
	const cred = toCredentialData(await this.getCredentials('mySqlApi'));
	return { cred, pool: createPool(cred) };
}
