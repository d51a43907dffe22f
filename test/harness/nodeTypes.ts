import * as path from 'path';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType, ICredentialType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/** Our package's node types are registered as `n8n-nodes-feishu-wps-sync.<name>`, as n8n does. */
export const PACKAGE_PREFIX = 'n8n-nodes-feishu-wps-sync';

type NodeClass = new () => INodeType | IVersionedNodeType;

const baseNodesRoot = path.dirname(require.resolve('n8n-nodes-base/package.json'));
// n8n-nodes-base lists its node files in its package.json; like n8n, load them from there by path.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const baseNodeFiles: string[] = require('n8n-nodes-base/package.json').n8n.nodes;

/** Loads an n8n-nodes-base node (e.g. `manualTrigger`) from its compiled file, on first use. */
function loadBaseNode(name: string): INodeType | IVersionedNodeType | undefined {
	for (const file of baseNodeFiles) {
		const className = path.basename(file).replace(/\.node\.js$/, '');
		if (className.charAt(0).toLowerCase() + className.slice(1) !== name) continue;
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		const mod = require(path.join(baseNodesRoot, file)) as Record<string, NodeClass>;
		const Class = mod[className];
		if (!Class) continue;
		const instance = new Class();
		const description = (instance as INodeType).description ?? (instance as IVersionedNodeType).description;
		if (description?.name === name) return instance;
	}
	return undefined;
}

/**
 * The INodeTypes n8n-core needs: our nodes (given as classes, loaded from source) plus any
 * n8n-nodes-base node by its short name.
 */
export class HarnessNodeTypes implements INodeTypes {
	private readonly byType = new Map<string, INodeType | IVersionedNodeType>();

	register(nodeClass: NodeClass): string {
		const instance = new nodeClass();
		const type = `${PACKAGE_PREFIX}.${instance.description.name}`;
		this.byType.set(type, instance);
		return type;
	}

	private resolve(type: string): INodeType | IVersionedNodeType {
		let node = this.byType.get(type);
		if (!node && type.startsWith('n8n-nodes-base.')) {
			node = loadBaseNode(type.slice('n8n-nodes-base.'.length));
			if (node) this.byType.set(type, node);
		}
		if (!node) throw new Error(`harness: unknown node type "${type}" (register it first)`);
		return node;
	}

	getByName(type: string): INodeType | IVersionedNodeType {
		return this.resolve(type);
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.resolve(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export type CredentialClass = new () => ICredentialType;
