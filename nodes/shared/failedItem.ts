/**
 * The one shape of a failed item under "Continue On Fail", for every node of the package.
 *
 * n8n-core 2.40 (`WorkflowExecute.handleNodeErrorOutput`) moves an item to the error output of a node
 * set to "On Error: Continue (using error output)" only when `item.error` is set, or when its json has
 * no key besides `error`, `message` and `details`. Our failed items carry more (SQL codes, the field,
 * the expected type), so under that setting they set `item.error`. n8n-core then rewrites such an
 * item's json to `{ error: message }` (`normalizeNodeErrors`, whichever output it is on), so under
 * "Continue (using regular output)" `item.error` stays unset and the json keeps its extra keys, as
 * workflows saved before rely on; the error object itself keeps the description and the item index.
 */
import type { IDataObject, INode, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { errorFields, toNodeError } from './errors';

/**
 * The output item standing for a failure: `json.error` is the message (plus the service's codes, e.g.
 * MySQL's SQLSTATE, and `fields`), `item.error` the node error itself, so the error output gets it.
 * `paired` is the input item index (or indexes).
 */
export function failedItem(
	node: INode,
	error: unknown,
	paired: number | IPairedItemData | IPairedItemData[],
	fields: IDataObject = {},
): INodeExecutionData {
	const nodeError = toNodeError(node, error, typeof paired === 'number' ? paired : undefined);
	const pairedItem = typeof paired === 'number' ? { item: paired } : paired;
	const json = { error: nodeError.message, ...errorFields(nodeError), ...fields };
	return node.onError === 'continueErrorOutput' ? { json, error: nodeError, pairedItem } : { json, pairedItem };
}
