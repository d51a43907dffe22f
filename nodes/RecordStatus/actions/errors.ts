import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { FeishuApiError, FeishuInputError, FeishuNetworkError } from '../../../lib/feishu/errors';
import { CircuitOpenError, RetriesExhaustedError } from '../../../lib/sync';
import { toNodeApiError } from '../../shared/feishu/errors';
import { CoercionError } from '../../../lib/feishu/fieldValues';
import { toQueryError } from '../../../lib/mysql/errors';
import { StatusStoreConfigError } from '../../../lib/status/stores/errors';
import { TransitionSyntaxError, UnknownStatusError } from '../../../lib/status';

/** Any failure of one item as the n8n error a user should see (what happened, what to do). */
export function toNodeError(node: INode, err: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (err instanceof NodeApiError || err instanceof NodeOperationError) return err;
	const feishu = [FeishuApiError, FeishuInputError, FeishuNetworkError, CircuitOpenError, RetriesExhaustedError];
	if (feishu.some((type) => err instanceof type)) return toNodeApiError(node, err, itemIndex);
	if (
		err instanceof UnknownStatusError ||
		err instanceof TransitionSyntaxError ||
		err instanceof StatusStoreConfigError
	) {
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
