import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { getFields, getFilterOperators, searchTables } from '../shared/feishu/tableLocator';
import { coordinationProperties } from '../shared/coordination';
import { triggerProperties } from './description';
import { startEventMode } from './helpers/events';
import { pollChanges } from './helpers/poll';
import { getModifiedTimeFields } from './methods/loadOptions';

export class FeishuBitableTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Bitable Trigger',
		name: 'feishuBitableTrigger',
		icon: 'file:feishuBitableTrigger.svg',
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"created": "On record created", "updated": "On record updated", "both": "On record created or updated"}[$parameter["events"]] }}',
		description: 'Starts the workflow when records are created or edited in a Feishu (Lark) Bitable table',
		defaults: { name: 'Feishu Bitable Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// n8n's built-in Redis credential (the one its queue uses), not ours: its name has no -Api suffix
		credentials: [
			{ name: 'feishuAppApi', required: true },
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'redis', required: true, displayOptions: { show: { coordination: ['redis'] } } },
		],
		properties: [...triggerProperties, ...coordinationProperties],
	};

	methods = {
		listSearch: { searchTables },
		loadOptions: { getFields, getFilterOperators, getModifiedTimeFields },
	};

	/** Poll mode (the event mode's poll does nothing: its changes arrive through trigger()). */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		if (!manual && this.getNodeParameter('mode', 'poll') === 'events') return null;
		const items = await pollChanges(this, manual);
		return items ? [items] : null;
	}

	/** Events mode only (Poll mode is driven by n8n's poll times through poll()). */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('mode', 'poll') !== 'events') return {};
		return startEventMode.call(this);
	}
}
