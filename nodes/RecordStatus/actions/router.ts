import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { SourcePriority, StatusMachine, type StatusContext } from '../../../lib/recordStatus';
import { openStore, type OpenStore } from '../transport/stores';
import { toNodeError } from '../../shared/errors';
import { chosenOperation, failedOnce } from '../../shared/router';
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
	let machine: StatusMachine;
	try {
		machine = StatusMachine.fromText(this.getNodeParameter('transitions', 0, '') as string);
	} catch (err) {
		throw toNodeError(this.getNode(), err, 0);
	}
	const opened = await openStore(this).catch((err) => {
		throw toNodeError(this.getNode(), err, 0);
	});
	try {
		const status = { store: opened.store, machine, priority: new SourcePriority() };
		try {
			return [await run.call(this, { status, db: opened.db })];
		} catch (err) {
			// Set Status handles Continue On Fail item by item; the other operations act once for all items.
			if (operation === 'setStatus') throw err;
			return failedOnce(this, err);
		}
	} finally {
		await opened.close();
	}
}
