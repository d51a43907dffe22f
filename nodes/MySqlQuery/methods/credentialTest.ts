import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { testConnection, toConnectionError } from '../../../lib/mysql';
import { toCredentialData } from '../../shared/mysql';

/** The credential's "Test": connect and run SELECT 1; the message never holds the password. */
export async function mySqlConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const cred = toCredentialData(credential.data ?? {});
	try {
		await testConnection(cred);
	} catch (err) {
		const error = toConnectionError(err, cred);
		return { status: 'Error', message: `${error.message}. ${error.hint}` };
	}
	return { status: 'OK', message: 'Connection successful: SELECT 1 ran' };
}
