import { type Route, route } from './route';

/**
 * The two requests of the spec's KSO-1 vectors (`GET /v7/test?key=value`, `POST /v7/test/body`):
 * they answer once the signature check passed, so a test can replay each vector exactly.
 */
export const echoRoutes: Route[] = [
	route('GET', '/v7/test', false, ({ query }) => ({ query: Object.fromEntries(query) })),
	route('POST', '/v7/test/body', false, ({ body }) => ({ body })),
];
