/**
 * Errors of the WPS transport. Plain TypeScript (no n8n import): the WPS Contacts node turns them
 * into NodeApiErrors with nodes/shared/errors.ts. Messages never carry secrets
 * or tokens.
 *
 * WPS answers `{code, msg}` where `msg` is human text ("Permission denied", "业务参数错误") that may
 * change at any time: nothing here branches on it (docs/wps-api.md, "Errors"). Decisions use the
 * numeric `code`, the HTTP status, and, after a resend, a read of what is there.
 */

import { ServiceError, type ErrorFields } from '../errors';

export const WPS_CODE = {
	/** Unverified beyond the class: quota. */
	quotaExceeded: 400000001,
	/** Unverified beyond the class: request format. */
	badFormat: 400000002,
	/** Seen on real tenants ("业务参数错误"): any business rule refused the request. */
	invalidValue: 400000003,
	/** Unverified beyond the class: not found. */
	notFound: 400000004,
	unauthorized: 401000001,
	/** Seen on real tenants ("Permission denied"). */
	noPermission: 403000001,
	tooManyRequests: 429000001,
	serverError: 500000004,
} as const;

export type WpsErrorKind = 'api' | 'timeout' | 'network' | 'paging';

export interface WpsErrorInit {
	kind: WpsErrorKind;
	/** Which call failed, as `METHOD /template`, e.g. `POST /v7/depts/{dept_id}/delete`. */
	endpoint: string;
	code?: number;
	/** WPS's `msg` (human text, shown as is), or a short transport reason (`timeout`, `network_error`, `bad_response`). */
	msg: string;
	detail?: string;
	httpStatus?: number;
}

export class WpsApiError extends ServiceError {
	/** What failed, finer than `kind`: a timeout and a refused connection both count as `network`. */
	readonly failure: WpsErrorKind;
	declare readonly endpoint: string;
	declare readonly code: number | undefined;
	readonly msg: string;
	readonly detail: string | undefined;
	declare hint: string;

	constructor(init: WpsErrorInit) {
		const what =
			init.code !== undefined
				? `${init.code} ${init.msg}`
				: init.httpStatus
					? `HTTP ${init.httpStatus} ${init.msg}`
					: init.msg;
		super(`WPS error ${what} on ${init.endpoint}${init.detail ? `: ${init.detail}` : ''}`, {
			service: 'wps',
			kind: init.kind === 'timeout' || init.kind === 'network' ? 'network' : 'api',
			code: init.code,
			httpStatus: init.httpStatus,
			endpoint: init.endpoint,
		});
		this.failure = init.kind;
		this.msg = init.msg;
		this.detail = init.detail;
		this.hint = hintFor(this);
	}

	get serviceResponse(): ErrorFields {
		const response: ErrorFields = {
			code: this.code ?? null,
			msg: this.msg,
			detail: this.detail ?? null,
			endpoint: this.endpoint,
			kind: this.failure,
		};
		if (this.attempts !== undefined) response.attempts = this.attempts;
		return response;
	}

	/** WPS says the object is not there (or outside the app's data range, which WPS reports alike). */
	get notFound(): boolean {
		return this.code === WPS_CODE.notFound || (this.failure === 'api' && this.httpStatus === 404);
	}
}

/** Scope a call needs (from its page): WPS's refusal does not name it. */
export function scopeFor(endpoint: string): string {
	return endpoint.startsWith('POST ') && !/\/(batch_read|by_ex_\w+|by_emails|by_phones)$/.test(endpoint)
		? 'kso.contact.readwrite'
		: 'kso.contact.read';
}

function hintFor(error: WpsApiError): string {
	if (error.failure === 'timeout')
		return 'WPS did not answer in time; the call was retried. Raise the timeout or lower the request rate if this keeps happening.';
	if (error.failure === 'network')
		return 'WPS could not be reached: check the base URL of the WPS 365 App credential and the network.';
	if (error.failure === 'paging')
		return 'WPS returned an inconsistent page sequence; nothing was assumed about the missing pages. Run again.';
	if (error.endpoint === 'POST /oauth2/token') {
		return 'WPS refused the app credentials: check the client id (APPID) and client secret (APPKEY) of the WPS 365 App credential, and its base URL.';
	}
	if (error.code === WPS_CODE.noPermission || error.httpStatus === 403) {
		return `Grant the app the scope "${scopeFor(error.endpoint)}" in the WPS 365 developer console (and publish the app version), and check that the object is inside the app's data-permission range; then run again.`;
	}
	if (error.httpStatus === 401 || error.code === WPS_CODE.unauthorized) {
		return 'WPS refused the access token even after fetching a new one: check the credential, its base URL, "KSO-1 Signing" (it must match the app\'s interface-signing setting) and the server clock.';
	}
	if (error.notFound)
		return "The object does not exist, or it is outside the app's data-permission range (WPS reports both alike).";
	if (error.code === WPS_CODE.tooManyRequests || error.httpStatus === 429) {
		return 'WPS rate limit reached (documented: 10 requests per second per app); the call was retried. Lower the request rate.';
	}
	if ((error.httpStatus ?? 0) >= 500 || error.code === WPS_CODE.serverError)
		return 'WPS had a server error; the call was retried.';
	if (error.code === WPS_CODE.quotaExceeded)
		return 'A WPS limit was reached (seats, departments per user or tree depth): see the message.';
	if (error.code === WPS_CODE.badFormat || error.code === WPS_CODE.invalidValue) {
		return 'WPS refused a value of the request (for example a name already used by a sibling department, an external id, email or phone already taken, or a department that is not empty): see the message.';
	}
	return 'See the WPS code and message.';
}
