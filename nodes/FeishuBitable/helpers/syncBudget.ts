import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getMySqlCredential } from '../../shared/mysql';
import { withPool } from '../../../lib/mysql/pool';
import type { FeishuSession } from '../../../lib/feishu/session';
import {
	BudgetReachedError,
	monthSpend,
	mysqlUsageStore,
	underBudget,
	type MonthSpend,
} from '../../../lib/feishu/usage';

/**
 * The Sync's side of the monthly call budget (lib/feishu/usage.ts): refused before its first call when the app's
 * month is at its budget; the summary reports the month's spend. Shared across processes through the MySQL
 * credential when Table Lock is MySQL Named Lock or through Redis when Shared State is Redis, else counted in this process.
 */
export async function syncMonthSpend(
	ctx: IExecuteFunctions,
	session: FeishuSession,
	options: IDataObject,
): Promise<MonthSpend> {
	const budget = Number(options.monthlyCallBudget ?? 0) || 0;
	const now = Date.now();
	const usage = session.caller.app.usage;
	// Shared State = Redis: every process's calls add up there; else through the MySQL credential, else this process.
	if (session.sharedUsage) return monthSpend(session.config.appId, usage, now, session.sharedUsage, budget);
	if (ctx.getNodeParameter('tableLock', 0, 'process') !== 'mysql')
		return monthSpend(session.config.appId, usage, now, undefined, budget);
	const cred = await getMySqlCredential(ctx);
	return withPool(cred, (pool) => monthSpend(session.config.appId, usage, now, mysqlUsageStore(pool), budget), {
		connectionLimit: 1,
	});
}

export async function checkSyncBudget(
	ctx: IExecuteFunctions,
	session: FeishuSession,
	options: IDataObject,
): Promise<void> {
	if (!(Number(options.monthlyCallBudget ?? 0) > 0)) return;
	const spend = await syncMonthSpend(ctx, session, options);
	if (underBudget(spend)) return;
	const error = new BudgetReachedError(spend, 'The sync');
	throw new NodeOperationError(ctx.getNode(), error.message, {
		description:
			'Nothing was read or written. Raise "Monthly Call Budget" in the Sync options (0 = no budget), or wait for next month.',
	});
}
