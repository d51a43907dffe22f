import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { coordinationShownFor } from '../shared/coordination';
import { searchTables } from '../shared/feishu/tableLocator';
import { storeProperties } from './actions/common.descriptions';
import * as findStuck from './actions/findStuck.operation';
import * as reconcileStuck from './actions/reconcileStuck.operation';
import { router } from './actions/router';
import * as setStatus from './actions/setStatus.operation';

const coordination = coordinationShownFor({ store: ['bitable'] });

export class RecordStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Record Status',
		name: 'recordStatus',
		icon: { light: 'file:recordStatus.svg', dark: 'file:recordStatus.dark.svg' },
		group: ['transform'],
		version: [1],
		subtitle: '={{ $parameter["operation"] === "findStuck" ? "Find stuck" : "Set " + $parameter["targetStatus"] }}',
		description:
			'Guarded status changes on a Feishu Bitable record or a MySQL row: allowed transitions, optimistic versions, source priority, create-if-missing, and finding stuck records',
		defaults: { name: 'Record Status' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'feishuAppApi', required: true, displayOptions: { show: { store: ['bitable'] } } },
			{ name: 'mySqlApi', required: true, displayOptions: { show: { store: ['mysql'] } } },
			// n8n's built-in Redis credential (the one its queue uses), not ours: its name has no -Api suffix
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'redis', required: true, displayOptions: { show: { store: ['bitable'], coordination: ['redis'] } } },
		],
		properties: [
			...storeProperties,
			...setStatus.description,
			...findStuck.description,
			...reconcileStuck.description,
			...coordination.properties,
		],
	};

	methods = { listSearch: { searchTables } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
