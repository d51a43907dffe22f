/** What a route handler sees and returns. */
import type { IncomingHttpHeaders } from 'http';
import type { State } from '../state';
import { ENDPOINT_LIMITS, type EndpointKey } from '../types';

/** Rate-limit families (per app, per endpoint). */
export type LimitClass = 'none' | 'read' | 'recordWrite' | 'fieldWrite' | 'contact' | 'upload' | 'wiki';

export interface Ctx {
	state: State;
	baseUrl: string;
	params: Record<string, string>;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body (or {} when none). */
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	raw: Buffer;
	/** The app whose tenant token authenticated the call. */
	appId: string;
}

/** A reply that is not the standard `{code:0, msg, data}` envelope. */
export class RawReply {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {}
}

export interface Route {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	path: string;
	key: EndpointKey;
	limit: LimitClass;
	write: boolean;
	/** Needs `Authorization: Bearer <tenant token>`. */
	auth: boolean;
	body: 'json' | 'multipart' | 'none';
	/** Returns the `data` of a success envelope, or a RawReply; throws FeishuError for business errors. */
	handle(ctx: Ctx): unknown;
}

/** The families whose calls write: their endpoints are the write endpoints of the README. */
const WRITE_FAMILIES: ReadonlySet<LimitClass> = new Set<LimitClass>(['recordWrite', 'fieldWrite', 'upload']);

/**
 * A route of the tables. Its rate family is its key's in ENDPOINT_LIMITS and it writes when that family does; every
 * route needs a tenant token but the token call itself and bot webhooks (`{ auth: false }`).
 */
export function route(
	method: Route['method'],
	path: string,
	key: EndpointKey,
	body: Route['body'],
	handle: Route['handle'],
	{ auth = true }: { auth?: boolean } = {},
): Route {
	const limit = ENDPOINT_LIMITS[key];
	return { method, path, key, limit, write: WRITE_FAMILIES.has(limit), auth, body, handle };
}
