import type { INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	InvalidIdentifierError,
	InvalidTimeZoneError,
	LockTimeoutError,
	MultipleStatementsError,
	MySqlConnectionError,
	MySqlQueryError,
	PlaceholderCountError,
} from '../../../lib/mysql';
import { failedItem } from '../../shared/failedItem';

const MAX_SQL_IN_DESCRIPTION = 500;

/** The MySQL error a NodeOperationError was made from (for the codes of a Continue On Fail item). */
const causes = new WeakMap<NodeOperationError, unknown>();

/** Any failure as a NodeOperationError with a message a user can act on (and the item it belongs to). */
export function toNodeError(node: INode, err: unknown, itemIndex?: number, sql?: string): NodeOperationError {
	if (err instanceof NodeOperationError) return err;
	const error = describe(node, err, itemIndex, sql);
	causes.set(error, err);
	return error;
}

function describe(node: INode, err: unknown, itemIndex?: number, sql?: string): NodeOperationError {
	const at = itemIndex === undefined ? {} : { itemIndex };
	if (err instanceof MySqlQueryError) {
		const shown = sql && sql.length > MAX_SQL_IN_DESCRIPTION ? `${sql.slice(0, MAX_SQL_IN_DESCRIPTION)}…` : sql;
		return new NodeOperationError(node, `MySQL error ${err.message}`, {
			...at,
			description: `SQLSTATE ${err.sqlState ?? '?'}.${shown ? ` Statement: ${shown}` : ''}`,
		});
	}
	if (err instanceof MySqlConnectionError) {
		return new NodeOperationError(node, err.message, { ...at, description: err.hint });
	}
	const item = itemIndex === undefined ? '' : `Item ${itemIndex}: `;
	if (err instanceof PlaceholderCountError) {
		return new NodeOperationError(node, `${item}"Query Parameters": ${err.message}`, {
			...at,
			description:
				'Nothing was run. Give one Query Parameter per "?" in the query, in the same order (a list for IN (?)).',
		});
	}
	if (err instanceof MultipleStatementsError) {
		return new NodeOperationError(node, `${item}"Query": ${err.message}`, { ...at, description: 'Nothing was run.' });
	}
	if (err instanceof InvalidIdentifierError || err instanceof InvalidTimeZoneError || err instanceof LockTimeoutError) {
		return new NodeOperationError(node, err.message, at);
	}
	return new NodeOperationError(node, err as Error, at);
}

/** The output item that stands for a failed input item under "Continue On Fail". */
export function errorItem(
	node: INode,
	err: NodeOperationError,
	source: unknown,
	itemIndex: number,
): INodeExecutionData {
	const json: Record<string, string | number> = {};
	const original = source instanceof NodeOperationError ? causes.get(source) : source;
	const cause = original as { code?: string; errno?: number; sqlState?: string };
	if (original instanceof MySqlQueryError || original instanceof MySqlConnectionError) {
		if (cause.code) json.code = cause.code;
		if (cause.errno) json.errno = cause.errno;
		if (cause.sqlState) json.sqlState = cause.sqlState;
	}
	return failedItem(node, err, itemIndex, json);
}
