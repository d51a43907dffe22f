import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { chosenOperation } from '../../shared/router';
import * as sendCard from './sendCard.operation';
import * as sendPost from './sendPost.operation';
import * as sendText from './sendText.operation';

const operations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[]>> = {
	sendText: sendText.execute,
	sendPost: sendPost.execute,
	sendCard: sendCard.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { run } = chosenOperation(this, operations);
	return [await run.call(this)];
}
