/**
 * App scopes. An app created without `scopes` holds every scope; one created with a list gets 99991672 (HTTP 400)
 * on an endpoint none of whose scopes it holds, naming the scopes that would do.
 */
import type { EndpointKey } from './types';

const READ = ['bitable:app', 'bitable:app:readonly'];
const WRITE = ['bitable:app'];

export const REQUIRED_SCOPES: Partial<Record<EndpointKey, string[]>> = {
	'bitable.apps.get': READ,
	'bitable.tables.list': READ,
	'bitable.fields.list': READ,
	'bitable.records.search': READ,
	'bitable.records.batch_get': READ,
	'bitable.records.get': READ,
	'bitable.fields.create': WRITE,
	'bitable.fields.update': WRITE,
	'bitable.records.create': WRITE,
	'bitable.records.update': WRITE,
	'bitable.records.delete': WRITE,
	'bitable.records.batch_create': WRITE,
	'bitable.records.batch_update': WRITE,
	'bitable.records.batch_delete': WRITE,
	'wiki.get_node': ['wiki:wiki', 'wiki:wiki:readonly', 'wiki:node:read'],
	'contact.batch_get_id': ['contact:user.id:readonly', 'contact:contact.base:readonly'],
	'drive.upload_all': ['drive:drive', 'bitable:app'],
	'drive.download': ['drive:drive', 'drive:drive:readonly', 'bitable:app', 'bitable:app:readonly'],
	'drive.permission_auth': ['docs:permission.member:auth', 'drive:drive', 'drive:drive:readonly'],
};

/** The answer body for a missing scope, or undefined when the app may call the endpoint. */
export function missingScope(granted: string[] | undefined, key: EndpointKey): Record<string, unknown> | undefined {
	const required = REQUIRED_SCOPES[key];
	if (!granted || !required || required.some((s) => granted.includes(s))) return undefined;
	return {
		code: 99991672,
		msg: `Access denied. One of the following scopes is required: [${required.join(', ')}].`,
		error: { permission_violations: required.map((subject) => ({ type: 'action_scope_required', subject })) },
		data: {},
	};
}
