/**
 * Set Status's event log: every transition attempt (applied, skipped and why, or failed) as a row of a MySQL table
 * (lib/runLog appendStatusEvents), written once after the items, through the MySQL store's credential. Checked before
 * the first write; a failed log write never undoes or fails the status updates (each output item says so).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { withPool } from '../../../lib/mysql/pool';
import { appendStatusEvents, type StatusEvent } from '../../../lib/runLog';
import type { SetStatusRequest, StatusOutcome } from '../../../lib/recordStatus';
import { mySqlLogTable } from '../../shared/runLog';

export interface StatusEventLog {
	attempt(req: SetStatusRequest, run: () => Promise<StatusOutcome>): Promise<StatusOutcome>;
	flush(out: INodeExecutionData[]): Promise<void>;
}

const NONE: StatusEventLog = { attempt: (_req, run) => run(), flush: async () => undefined };

export async function statusEventLog(ctx: IExecuteFunctions): Promise<StatusEventLog> {
	const log = await mySqlLogTable(
		ctx,
		(ctx.getNodeParameter('options', 0, {}) as IDataObject).eventLogTable,
		ctx.getNodeParameter('store', 0, 'bitable') === 'mysql',
		{
			message: '"Event Log Table (MySQL)" needs Store = MySQL',
			description:
				'Nothing was written. The event log goes to a table of the database of the MySQL store: use Store = MySQL, or clear "Event Log Table (MySQL)".',
		},
	);
	if (!log) return NONE;
	const { table, cred } = log;
	const events: StatusEvent[] = [];
	const executionId = ctx.getExecutionId();
	return {
		async attempt(req, run) {
			const base = {
				recordKey: req.locator.value,
				toStatus: req.target,
				source: req.source,
				expectedVersion: req.expectedVersion ?? null,
				executionId,
			};
			try {
				const o = await run();
				events.push({
					...base,
					recordKey: o.key ?? req.locator.value,
					recordId: o.recordId,
					fromStatus: o.previousStatus ?? null,
					version: o.version ?? null,
					outcome: o.applied ? 'applied' : 'skipped',
					reason: o.applied ? o.reason : [o.reason, o.message].filter(Boolean).join(': '),
					at: new Date(),
				});
				return o;
			} catch (error) {
				events.push({ ...base, outcome: 'failed', reason: (error as Error)?.message ?? String(error), at: new Date() });
				throw error;
			}
		},
		async flush(out) {
			if (!events.length) return;
			try {
				await withPool(cred, (pool) => appendStatusEvents(pool, table, events), { connectionLimit: 1 });
			} catch (error) {
				const message = `event log not written: ${(error as Error).message}`;
				for (const item of out) item.json.eventLog = message;
			}
		},
	};
}
