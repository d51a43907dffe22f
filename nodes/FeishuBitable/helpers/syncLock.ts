/** The table lock the user chose: in-process (Redis with Shared State = Redis), a MySQL named lock (spans queue-mode workers), or none. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { inProcessLock, noLock, storeTableLock, type TableLock } from '../../../lib/bitableSync/lock';
import { getMySqlCredential } from '../../shared/mysql';
import { withNamedLock } from '../../../lib/mysql/locks';
import { withPool } from '../../../lib/mysql/pool';
import { coordinationFor } from '../../shared/coordination';

export async function tableLockFor(ctx: IExecuteFunctions, choice: string, timeoutSec: number): Promise<TableLock> {
	if (choice === 'none') return noLock;
	if (choice !== 'mysql') {
		// With Shared State = Redis the table lock lives there too: it spans workers, lapses if a worker dies,
		// and is checked before each write batch.
		const store = await coordinationFor(ctx);
		return store ? storeTableLock(store, { waitMs: timeoutSec * 1000 }) : inProcessLock;
	}
	const cred = await getMySqlCredential(ctx);
	// GET_LOCK waits server-side, on a connection of its own: it serialises runs in any process
	return (name, work) =>
		withPool(cred, (pool) => withNamedLock(pool, name, { timeoutSec }, () => work()), {
			connectionLimit: 1,
		});
}
