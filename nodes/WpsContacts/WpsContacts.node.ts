import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { coordinationProperties } from '../shared/coordination';
import * as applyPlan from './actions/applyPlan.operation';
import {
	configuredInputs,
	configuredOutputs,
	inputsNotice,
	operationProperty,
	optionsProperty,
	readModeProperties,
	scopeProperty,
	sourceMappingProperties,
} from './actions/common.descriptions';
import * as preview from './actions/preview.operation';
import { router } from './actions/router';
import * as sync from './actions/sync.operation';
import { wps365ApiTest } from './methods/credentialTest';
import { credentialsProperty } from '../shared/descriptions';

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
		// Panel order: the operation, the credentials, what to connect, the scope, how to read WPS, each
		// operation's own parameters, the source mapping, the options, Shared State.
		properties: [
			operationProperty,
			credentialsProperty, // right below Operation
			inputsNotice,
			...applyPlan.description,
			scopeProperty,
			...readModeProperties,
			...preview.description,
			...sync.description,
			...sourceMappingProperties,
			optionsProperty,
			...coordinationProperties,
		],
	};

	methods = { credentialTest: { wps365ApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
