import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { FeishuApiError, FeishuInputError } from '../../../lib/feishu/errors';
import { CoercionError } from '../../../lib/feishu/fieldValues';
import { toQueryError } from '../../../lib/mysql/errors';
import { StatusStoreConfigError } from '../../../lib/status/stores/errors';
import { TransitionSyntaxError, UnknownStatusError } from '../../../lib/status';

/** Any failure of one item as the n8n error a user should see (what happened, what to do). */
export function toNodeError(node: INode, err: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (err instanceof NodeApiError || err instanceof NodeOperationError) return err;
	if (err instanceof FeishuApiError) {
		return new NodeApiError(node, { message: err.message, code: err.code } as unknown as JsonObject, {
			itemIndex,
			message: err.message,
			description: err.hint,
			httpCode: err.httpStatus ? String(err.httpStatus) : undefined,
		});
	}
	if (err instanceof FeishuInputError) {
		return new NodeOperationError(node, err.message, { itemIndex, description: err.hint });
	}
	if (err instanceof UnknownStatusError || err instanceof TransitionSyntaxError || err instanceof StatusStoreConfigError) {
		return new NodeOperationError(node, err.message, { itemIndex });
	}
	if (err instanceof CoercionError) {
		return new NodeOperationError(node, `A field value does not fit its field: ${err.message}`, { itemIndex });
	}
	const sqlCode = (err as { code?: unknown })?.code;
	if (typeof sqlCode === 'string' && sqlCode.startsWith('ER_')) {
		return new NodeOperationError(node, (toQueryError(err) as Error).message, { itemIndex });
	}
	return new NodeOperationError(node, err instanceof Error ? err.message : String(err), { itemIndex });
}
