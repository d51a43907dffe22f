import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { coordinationProperties } from '../shared/coordination';
import { configuredInputs, configuredOutputs, properties } from './description';
import { wps365ApiTest } from './methods/credentialTest';

export class WpsContacts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WPS Contacts',
		name: 'wpsContacts',
		icon: { light: 'file:wpsContacts.svg', dark: 'file:wpsContacts.dark.svg' },
		group: ['transform'],
		version: [1],
		subtitle: '={{ {"preview": "Preview", "sync": "Sync", "applyPlan": "Apply plan"}[$parameter["operation"]] }}',
		description:
			'Keep WPS 365 contacts in step with an org chart (departments and users from MySQL or any node): preview, thresholds, ordered apply, resume, rollback',
		defaults: { name: 'WPS Contacts' },
		inputs: `={{(${configuredInputs})($parameter)}}`,
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		credentials: [
			{ name: 'wps365Api', required: true, testedBy: 'wps365ApiTest' },
			{ name: 'mySqlApi', required: true, displayOptions: { hide: { useStateDatabase: [false] } } },
			// n8n's built-in Redis credential (the one its queue uses), not ours: its name has no -Api suffix
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'redis', required: true, displayOptions: { show: { coordination: ['redis'] } } },
		],
		properties: [...properties, ...coordinationProperties],
	};

	methods = { credentialTest: { wps365ApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router(this);
	}
}
