import type { IExecuteFunctions } from 'n8n-workflow';
import type { MySqlCredentialData, MySqlPool } from '../../../lib/mysql';
import { createPool } from '../../../lib/mysql';
import { getMySqlCredential } from '../../shared/mysql';

export interface MySqlContext {
	cred: MySqlCredentialData;
	pool: MySqlPool;
}

/** A pool for this node run (the router closes it when the run ends, also on error). */
export async function openPool(this: IExecuteFunctions): Promise<MySqlContext> {
	const cred = await getMySqlCredential(this);
	return { cred, pool: createPool(cred) };
}
