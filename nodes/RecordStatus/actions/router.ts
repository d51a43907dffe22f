import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { SourcePriority, StatusMachine } from '../../../lib/status';
import { openStore } from '../transport/stores';
import { failedItem } from '../../shared/failedItem';
import { toNodeError } from './errors';
import { executeFindStuck } from './findStuck';
import { executeReconcileStuck } from './reconcileStuck';
import { executeSetStatus } from './setStatus';

export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	let machine: StatusMachine;
	try {
		machine = StatusMachine.fromText(ctx.getNodeParameter('transitions', 0, '') as string);
	} catch (err) {
		throw toNodeError(ctx.getNode(), err, 0);
	}
	const opened = await openStore(ctx).catch((err) => {
		throw toNodeError(ctx.getNode(), err, 0);
	});
	try {
		const status = { store: opened.store, machine, priority: new SourcePriority() };
		if (operation === 'findStuck' || operation === 'reconcileStuck') {
			try {
				if (operation === 'reconcileStuck') return [await executeReconcileStuck(ctx, status, opened.db)];
				return [await executeFindStuck(ctx, status)];
			} catch (err) {
				const error = toNodeError(ctx.getNode(), err, 0);
				if (!ctx.continueOnFail()) throw error;
				return [[failedItem(ctx.getNode(), error, 0)]];
			}
		}
		return [await executeSetStatus(ctx, status)];
	} finally {
		await opened.close();
	}
}
