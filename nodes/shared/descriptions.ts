/**
 * Parameters that several nodes show alike, written once. Their name, type and default are what saved workflows
 * hold: change them only with a migration.
 */
import type { INodeProperties } from 'n8n-workflow';

/**
 * n8n draws the credentials where a parameter of type "credentials" stands (else above the last parameter a credential
 * depends on, such as Shared State or Table Lock, far down the panel): each node puts this one where n8n's own nodes
 * show the credentials, near the top.
 */
export const credentialsProperty: INodeProperties = {
	displayName: 'Credentials',
	name: 'credentials',
	type: 'credentials',
	default: '',
};

/** n8n's usual Limit of a list (shown alone, or under Return All = false). */
export function limitProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions,
	};
}
