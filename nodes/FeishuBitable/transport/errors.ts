/** Sync refusals become NodeOperationErrors with their hint; Feishu errors go through the shared mapping. */
import { NodeOperationError, type INode } from 'n8n-workflow';
import { SyncRefusedError } from '../../../lib/bitableSync/errors';
import { toNodeApiError } from '../../shared/feishu/errors';

export function toNodeError(node: INode, error: unknown, itemIndex?: number): Error {
	if (error instanceof SyncRefusedError) {
		return new NodeOperationError(node, error.message, {
			description: error.hint,
			itemIndex: itemIndex ?? error.itemIndex,
		});
	}
	return toNodeApiError(node, error, itemIndex);
}
