/** Turns transport and sync errors into n8n errors that say what happened and what to do. */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { SyncRefusedError } from '../../../lib/bitableSync/errors';
import { FeishuApiError, FeishuInputError, FeishuNetworkError } from '../../../lib/feishu/errors';

export function toNodeError(node: INode, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof SyncRefusedError) {
		return new NodeOperationError(node, error.message, { description: error.hint, itemIndex: itemIndex ?? error.itemIndex });
	}
	if (error instanceof FeishuApiError) {
		return new NodeApiError(node, { code: error.code, message: error.feishuMessage } as JsonObject, {
			message: error.message,
			description: error.hint,
			httpCode: error.httpStatus ? String(error.httpStatus) : undefined,
			itemIndex,
		});
	}
	if (error instanceof FeishuInputError) return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
	if (error instanceof FeishuNetworkError) {
		return new NodeApiError(node, { message: error.message } as JsonObject, { message: error.message, description: 'Check the network and the credential region / base URL, then run again.', itemIndex });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
