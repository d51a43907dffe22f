/** WPS 365 contacts v7 transport: plain TypeScript, no n8n runtime import. */
import { WpsClient, type WpsClientOptions } from './client';
import { WpsDepts } from './depts';
import { WpsUsers } from './users';

export * from './client';
export * from './depts';
export * from './errors';
export * from './ksoSign';
export * from './paging';
export * from './readers';
export * from './retryPolicy';
export * from './types';
export * from './users';
export * from './credentials';
export { clearTokenCache } from './tokenCache';

export interface WpsContacts {
	client: WpsClient;
	depts: WpsDepts;
	users: WpsUsers;
}

export function createWpsContacts(options: WpsClientOptions): WpsContacts {
	const client = new WpsClient(options);
	return { client, depts: new WpsDepts(client), users: new WpsUsers(client) };
}
