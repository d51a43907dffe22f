/**
 * Errors of the WPS transport. Plain TypeScript (no n8n import): the WPS Contacts node turns them
 * into NodeApiErrors with nodes/WpsContacts/transport/toNodeError.ts. Messages never carry secrets
 * or tokens. Codes and reasons follow the contract documented in test/emulators/wps/index.ts:
 * a numeric class in `code`, a stable snake_case reason in `msg`, a human sentence in `detail`.
 */

export const WPS_CODE = {
	quotaExceeded: 400000001,
	badFormat: 400000002,
	invalidValue: 400000003,
	notFound: 400000004,
	unauthorized: 401000001,
	noPermission: 403000001,
	tooManyRequests: 429000001,
	serverError: 500000004,
} as const;

/** Reasons (`msg`) the transport and the node act on. */
export const WPS_REASON = {
	deptNameExists: 'dept_name_exists',
	deptNotEmpty: 'dept_is_not_empty',
	deptExIdTaken: 'dept_union_id_already_exist',
	deptMaxDepth: 'dept_max_depth_limit',
	deptOrderRefactoring: 'dept_order_is_refactoring',
	deptNotFound: 'dept_not_found',
	parentNotFound: 'parent_dept_not_found',
	userExIdTaken: 'user_union_id_already_exist',
	loginNameTaken: 'user_login_name_exists',
	seatLimit: 'user_member_num_limit',
	deptsPerUserLimit: 'dept_user_account_dept_num_limit',
	leaderInvalid: 'user_leader_invalid',
	userNotFound: 'user_not_found',
	invalidToken: 'invalid_token',
	tokenExpired: 'token_expired',
	invalidClient: 'invalid_client',
	invalidSignature: 'invalid_signature',
} as const;

export type WpsErrorKind = 'api' | 'timeout' | 'network' | 'paging';

export interface WpsErrorInit {
	kind: WpsErrorKind;
	/** Which call failed, as `METHOD /template`, e.g. `POST /v7/depts/{dept_id}/delete`. */
	endpoint: string;
	code?: number;
	/** WPS's reason (`msg`), or a short transport reason (`timeout`, `network_error`, `bad_response`). */
	msg: string;
	detail?: string;
	httpStatus?: number;
	data?: unknown;
}

export class WpsApiError extends Error {
	readonly kind: WpsErrorKind;
	readonly endpoint: string;
	readonly code: number | undefined;
	readonly msg: string;
	readonly detail: string | undefined;
	readonly httpStatus: number | undefined;
	readonly data: unknown;
	/** What the user can do about it. */
	readonly hint: string;
	/** Attempts made before giving up (set when retries were exhausted). */
	attempts?: number;

	constructor(init: WpsErrorInit) {
		const what = init.code !== undefined ? `${init.code} ${init.msg}` : init.httpStatus ? `HTTP ${init.httpStatus} ${init.msg}` : init.msg;
		super(`WPS error ${what} on ${init.endpoint}${init.detail ? `: ${init.detail}` : ''}`);
		this.name = 'WpsApiError';
		this.kind = init.kind;
		this.endpoint = init.endpoint;
		this.code = init.code;
		this.msg = init.msg;
		this.detail = init.detail;
		this.httpStatus = init.httpStatus;
		this.data = init.data ?? null;
		this.hint = hintFor(this);
	}

	is(reason: string): boolean {
		return this.msg === reason;
	}
}

/** Scope a call needs when WPS's answer does not name one. */
export function scopeFor(endpoint: string): string {
	if (endpoint.includes('/by_emails')) return 'kso.user_email.read';
	if (endpoint.includes('/by_phones')) return 'kso.user_phone.read';
	return endpoint.startsWith('POST ') && !/\/(batch_read|by_ex_\w+)$/.test(endpoint)
		? 'kso.contact.readwrite'
		: 'kso.contact.read';
}

const HINTS: Record<string, string> = {
	dept_name_exists:
		'Another department under the same parent already has this name: rename or move that one first (names are unique among siblings).',
	dept_union_id_already_exist:
		'Another department already uses this external id (ex_dept_id), possibly one outside the app\'s data range: link to it instead of creating a new one.',
	user_union_id_already_exist:
		'Another user already uses this external id (ex_user_id). It is often a disabled or departed user that a read asking only for active users did not show: read every status and re-enable it instead of creating a new one.',
	user_login_name_exists: 'This email or phone number already belongs to another WPS user (of any status).',
	user_member_num_limit: 'The WPS tenant has no free seats left: free or buy seats before creating users.',
	dept_user_account_dept_num_limit: 'The user would belong to more departments than WPS allows.',
	dept_max_depth_limit: 'The department would be deeper than WPS allows: flatten the source tree.',
	dept_parent_is_descendant: 'A department cannot move under itself or one of its own sub-departments.',
	root_dept_cannot_be_deleted: 'The root department cannot be deleted.',
	root_dept_cannot_be_moved: 'The root department cannot be moved.',
	user_leader_invalid: 'The leader must be an existing WPS user.',
	user_def_dept_invalid: 'The main department must be one of the user\'s departments.',
	user_dept_required: 'A user must belong to at least one department.',
	dept_order_is_refactoring: 'WPS was rebuilding the department order; the call was retried.',
	invalid_client: 'The client id or client secret of the WPS 365 App credential is wrong.',
	invalid_signature:
		'WPS refused the KSO-1 signature: make "KSO-1 Signing" in the credential match the app\'s interface-signing setting, check the secret, and for private deployments check "Signed Path Drops /openapi Prefix" and the server clock.',
	invalid_token: 'The access token was refused even after a refresh: check the credential and the base URL.',
	token_expired: 'The access token expired even after a refresh: check the server clock.',
	invalid_page_size: 'A page size must be 1 to 50.',
	batch_size_exceeded: 'Too many ids in one call (50 deletes, 100 lookups).',
};

function hintFor(error: WpsApiError): string {
	if (error.kind === 'timeout') return 'WPS did not answer in time; the call was retried. Raise the timeout or lower the request rate if this keeps happening.';
	if (error.kind === 'network') return 'WPS could not be reached: check the base URL of the WPS 365 App credential and the network.';
	if (error.kind === 'paging') return 'WPS returned an inconsistent page sequence; nothing was assumed about the missing pages. Run again.';
	if (error.code === WPS_CODE.noPermission) {
		const data = error.data as { required_scope?: string } | null;
		const scope = data?.required_scope ?? scopeFor(error.endpoint);
		return `Grant the app the scope "${scope}" in the WPS 365 developer console (and publish the app version), then run again.`;
	}
	if (error.msg === 'dept_is_not_empty') {
		const data = error.data as { child_dept_count?: number; member_count?: number } | null;
		const inside =
			data && typeof data.child_dept_count === 'number'
				? `${data.child_dept_count} sub-department(s) and ${data.member_count ?? 0} user(s)`
				: 'sub-departments or users';
		return `The department still contains ${inside}, counting disabled and departed users that reads filtered on active users do not show. Move or delete them first.`;
	}
	if (HINTS[error.msg]) return HINTS[error.msg];
	if (error.code === WPS_CODE.notFound) {
		return 'The object does not exist, or it is outside the app\'s data-permission range (WPS reports both alike).';
	}
	if (error.code === WPS_CODE.tooManyRequests || error.httpStatus === 429) {
		return 'WPS rate limit reached (documented: 10 requests per second per app); the call was retried. Lower the request rate.';
	}
	if ((error.httpStatus ?? 0) >= 500 || error.code === WPS_CODE.serverError) return 'WPS had a server error; the call was retried.';
	if (error.code === WPS_CODE.badFormat || error.code === WPS_CODE.invalidValue) return 'WPS refused a value of the request; see the detail.';
	return 'See the WPS code and message.';
}
