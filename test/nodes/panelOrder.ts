import { NodeHelpers, type INodeParameters, type INodeTypeDescription } from 'n8n-workflow';

/** The parameters the editor shows for these values (the rest at their defaults), in panel order. */
export function panelOrder(description: INodeTypeDescription, values: INodeParameters = {}, version = 1): string[] {
	const node = { typeVersion: version };
	const all = {
		...NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description),
		...values,
	};
	return description.properties
		.filter((p) => NodeHelpers.displayParameter(all, p, node, description))
		.map((p) => p.name);
}
