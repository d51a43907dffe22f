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

/** Whether URLs the node downloads may reach the own network (off: refused, so data cannot make n8n fetch from its host). */
export function allowPrivateNetworkProperty(urls: string, consequence = ''): INodeProperties {
	return {
		displayName: 'Allow Private Network URLs',
		name: 'allowPrivateNetwork',
		type: 'boolean',
		default: false,
		description: `Whether ${urls} may point at private, loopback or link-local addresses (your own network)${consequence}`,
	};
}

/** The consequence sentence where the URLs come from the input items. */
export const REFUSED_ITEM_URLS =
	'. Off, such URLs are refused, so a URL in an item cannot make n8n fetch from its own host.';

/** Feishu's monthly cap of an app's API calls, as a budget the node keeps within (`description`: how it keeps it). */
export function monthlyCallBudgetProperty(description: string): INodeProperties {
	return {
		displayName: 'Monthly Call Budget',
		name: 'monthlyCallBudget',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description,
	};
}
