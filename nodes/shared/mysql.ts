/** The one way a node reads the MySQL credential (defaults filled in), for MySQL Query and every node's state tables. */
import { DEFAULT_UTC_OFFSET } from '../../lib/defaults';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import type { MySqlCredentialData } from '../../lib/mysql';

export const MYSQL_CREDENTIAL = 'mySqlApi';

/** The credential's data in the shape lib/mysql expects. */
export function toCredentialData(data: ICredentialDataDecryptedObject): MySqlCredentialData {
	return {
		host: String(data.host ?? 'localhost'),
		port: Number(data.port ?? 3306),
		database: data.database ? String(data.database) : undefined,
		user: String(data.user ?? ''),
		password: data.password === undefined ? '' : String(data.password),
		ssl: (data.ssl as MySqlCredentialData['ssl']) ?? 'disabled',
		caCertificate: data.caCertificate ? String(data.caCertificate) : undefined,
		timezone: data.timezone ? String(data.timezone) : DEFAULT_UTC_OFFSET,
		connectTimeout: Number(data.connectTimeout ?? 10000),
	};
}

export async function getMySqlCredential(
	ctx: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
): Promise<MySqlCredentialData> {
	return toCredentialData(await ctx.getCredentials(MYSQL_CREDENTIAL));
}
