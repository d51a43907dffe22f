import { type INode, type JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { WpsApiError } from '../../../lib/wps';

/**
 * A WPS transport failure as a NodeApiError that keeps WPS's code and message (`msg`, human text,
 * shown as it came) and puts the hint in the description; anything else becomes a NodeOperationError.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof WpsApiError) {
		const response: JsonObject = {
			code: error.code ?? null,
			msg: error.msg,
			detail: error.detail ?? null,
			endpoint: error.endpoint,
			kind: error.kind,
		};
		if (error.attempts !== undefined) response.attempts = error.attempts;
		return new NodeApiError(node, response, {
			message: error.message,
			description: error.attempts ? `${error.hint} (gave up after ${error.attempts} attempts)` : error.hint,
			httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, error as Error, itemIndex === undefined ? {} : { itemIndex });
}
