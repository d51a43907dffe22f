import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { SourcePriority, StatusMachine, type StatusContext } from '../../../lib/recordStatus';
import { openStore, type OpenStore } from '../transport/stores';
import { chosenOperation, runOnce } from '../../shared/router';
import * as findStuck from './findStuck.operation';
import * as reconcileStuck from './reconcileStuck.operation';
import * as setStatus from './setStatus.operation';

/** What every operation works on: the store with the transition rules, and the MySQL store's pool if any. */
export interface StatusRun {
	status: StatusContext;
	db: OpenStore['db'];
}

type Operation = (this: IExecuteFunctions, run: StatusRun) => Promise<INodeExecutionData[]>;

const operations: Record<string, Operation> = {
	setStatus: setStatus.execute,
	findStuck: findStuck.execute,
	reconcileStuck: reconcileStuck.execute,
};

/** Opens the store once for the run, runs the chosen operation, always releases the store. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { operation, run } = chosenOperation(this, operations);
	return await runOnce(
		this,
		async () => {
			const machine = StatusMachine.fromText(this.getNodeParameter('transitions', 0, '') as string);
			return { machine, ...(await openStore(this)) };
		},
		({ machine, store, db }) => run.call(this, { status: { store, machine, priority: new SourcePriority() }, db }),
		// Set Status handles Continue On Fail item by item; the other operations act once for all items.
		operation === 'setStatus',
	);
}
