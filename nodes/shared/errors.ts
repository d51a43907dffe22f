/**
 * The one error path of the package: whatever an operation throws becomes the n8n error a user reads
 * (what happened, on which item, what to do). lib/ errors share `ServiceError` (lib/errors.ts): a
 * failure of a call to Feishu, WPS or MySQL becomes a NodeApiError keeping the service's own answer;
 * bad input, a refusal or a setup fault becomes a NodeOperationError with the hint as description.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { ServiceError, type ErrorFields } from '../../lib/errors';
import { RetriesExhaustedError } from '../../lib/resilience';
import { toQueryError } from '../../lib/mysql/errors';

export type NodeError = NodeApiError | NodeOperationError;

/** The lib error a node error was made from, for the extra keys of a failed item. */
const causes = new WeakMap<NodeError, ServiceError>();

/** A driver error that reached us untranslated (it has a SQLSTATE) as the MySQL error it is. */
function asServiceError(error: unknown): unknown {
	const cause = error instanceof RetriesExhaustedError ? (error.lastError ?? error) : error;
	if (cause instanceof ServiceError || !(cause instanceof Error)) return cause;
	const driver = cause as { sqlState?: unknown; sqlMessage?: unknown };
	return driver.sqlState || driver.sqlMessage ? toQueryError(cause) : cause;
}

/** Bad input names the item and the field: `Item 2: "Query Parameters": ...`. */
function inputMessage(cause: ServiceError, itemIndex: number | undefined): string {
	if (!cause.field) return cause.message;
	return `${itemIndex === undefined ? '' : `Item ${itemIndex}: `}"${cause.field}": ${cause.message}`;
}

/** Any thrown value as an n8n node error (kept as is when it already is one). */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const cause = asServiceError(error);
	if (!(cause instanceof ServiceError)) {
		const at = itemIndex === undefined ? {} : { itemIndex };
		return new NodeOperationError(node, cause instanceof Error ? cause : String(cause), at);
	}
	const at = itemIndex ?? cause.itemIndex;
	const attempts = cause.attempts ?? (error instanceof RetriesExhaustedError ? error.attempts : undefined);
	const description =
		attempts && cause.hint && !/gave up after/.test(cause.hint)
			? `${cause.hint} (gave up after ${attempts} attempts)`
			: cause.hint;
	let nodeError: NodeError;
	if (cause.kind === 'api' || cause.kind === 'network') {
		nodeError = new NodeApiError(node, cause.serviceResponse as JsonObject, {
			message: cause.message,
			description,
			httpCode: cause.httpStatus !== undefined ? String(cause.httpStatus) : undefined,
			itemIndex: at,
		});
		// n8n swaps a message naming ECONNREFUSED & co. for a generic sentence; ours says where and what to check.
		nodeError.message = cause.message;
	} else {
		nodeError = new NodeOperationError(node, inputMessage(cause, at), { description, itemIndex: at });
	}
	causes.set(nodeError, cause);
	return nodeError;
}

/** The extra keys a failed item carries for this error (e.g. MySQL's code, errno and SQLSTATE). */
export function errorFields(error: unknown): ErrorFields {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return causes.get(error)?.itemFields ?? {};
	const cause = asServiceError(error);
	return cause instanceof ServiceError ? cause.itemFields : {};
}
