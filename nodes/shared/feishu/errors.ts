/** Feishu transport errors -> n8n errors that keep Feishu's code and say what to do. */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { CircuitOpenError, RetriesExhaustedError } from '../../../lib/resilience';
import { FeishuApiError, FeishuInputError, FeishuNetworkError } from '../../../lib/feishu/errors';

export function toNodeApiError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const cause = error instanceof RetriesExhaustedError ? error.lastError : error;
	if (cause instanceof FeishuApiError) {
		return new NodeApiError(
			node,
			{ code: cause.code ?? null, message: cause.feishuMessage, endpoint: cause.endpoint } as JsonObject,
			{
				message: cause.message,
				description: cause.hint,
				httpCode: cause.httpStatus ? String(cause.httpStatus) : undefined,
				itemIndex,
			},
		);
	}
	if (cause instanceof FeishuNetworkError) {
		return new NodeApiError(node, { message: cause.message } as JsonObject, {
			message: cause.message,
			description:
				cause.kind === 'timeout'
					? 'Feishu did not answer in time; the call was retried and gave up. Try again later.'
					: 'Check the network from n8n to Feishu and the region / base URL of the credential.',
			itemIndex,
		});
	}
	if (cause instanceof CircuitOpenError) {
		return new NodeApiError(node, { message: cause.message } as JsonObject, {
			message: cause.message,
			description: `Several calls to Feishu in a row failed even after retries, so calls are paused to let it recover. The next call after ${new Date(
				cause.retryAt,
			).toISOString()} tries again.`,
			itemIndex,
		});
	}
	if (cause instanceof FeishuInputError) {
		return new NodeOperationError(node, cause.message, { description: cause.hint, itemIndex });
	}
	return new NodeOperationError(node, cause instanceof Error ? cause.message : String(cause), { itemIndex });
}
