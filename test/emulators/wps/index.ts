/**
 * WPS 365 open platform emulator: `/oauth2/token` and the contacts v7 endpoints of
 * ../shared/specs/wps-contacts-api.md, refusing what WPS refuses, plus test-only `/__admin/` routes.
 *
 * ERROR CONTRACT (the transport in lib/wps and the WPS Contacts node match on it). The public code
 * table is unverified, so one mapping is fixed here:
 *   envelope   success `{code: 0, msg: "ok", data}`; failure `{code, msg, detail, data}` where
 *              `code` is the numeric class, `msg` the stable snake_case reason (match on it),
 *              `detail` a human sentence, `data` extra facts (null mostly).
 *   HTTP       400 for 4000000xx except 404 for 400000004; 401, 403, 429, 500 by code class.
 *   400000001  quota: user_member_num_limit (seats), dept_user_account_dept_num_limit, dept_max_depth_limit
 *   400000002  format: invalid_param (missing/mistyped field, missing `status` filter, bad JSON,
 *              token request not form-encoded), method_not_allowed (HTTP 405: writes are POST-only)
 *   400000003  value: dept_name_exists (data.dept_id holds the sibling), dept_union_id_already_exist,
 *              dept_name_too_long, id_too_long, dept_parent_is_descendant (cycle on move),
 *              root_dept_cannot_be_deleted, root_dept_cannot_be_moved,
 *              dept_is_not_empty (data: {child_dept_count, member_count}, members of ANY status count),
 *              user_union_id_already_exist, user_login_name_exists (email or phone; data.field),
 *              user_leader_invalid, user_def_dept_invalid, user_dept_required, user_name_too_long,
 *              user_not_in_dept, invalid_page_size (page_size > 50), invalid_page_token,
 *              batch_size_exceeded (> 50 deletes, > 100 lookups/ids), unsupported_grant_type,
 *              dept_order_is_refactoring (transient: retry)
 *   400000004  dept_not_found, parent_dept_not_found, user_not_found, route_not_found
 *              (anything outside the app's data range is reported exactly like a missing object)
 *   401000001  invalid_token, token_expired (refresh the token), invalid_client (token endpoint:
 *              wrong id or secret), invalid_signature (KSO-1)
 *   403000001  no_permission (data.required_scope, e.g. kso.contact.readwrite, kso.user_email.read)
 *   429000001  too_many_requests (per-app token bucket)
 *   500000004  server_error (HTTP 500/503 with the envelope; injected 502s answer an HTML body)
 *
 * Other choices where the spec is silent: the token endpoint answers flat
 * `{access_token, expires_in: 7200, token_type: "bearer"}`; lists answer `{items, next_page_token, total?}`
 * with a keyset cursor; `batch_delete` answers per id `{items: [{dept_id, code, msg}]}`;
 * batch_disable / batch_enable / batch_update_dept take <= 100 ids and change nothing if one is unknown;
 * `batch_update_dept` takes `{items: [{user_id, dept_ids, def_dept_id?}]}` and keeps departments outside the
 * app's range; membership create/delete are idempotent; a read by id (`GET /v7/users/{id}`) returns any status,
 * lists and batch lookups only the statuses asked for; `GET /v7/depts/root` answers even for an app whose range
 * is a sub-tree (it is the entry point); every user counts against the seat limit; users created through the
 * API start `active` (tenant option `newUserStatus`); email/phone/gender read back "" without their scope and
 * `by_emails` / `by_phones` need it (403). KSO-1 is checked only for apps with `signing`, X-Kso-Date within
 * 15 minutes of the emulator clock; with `pathPrefix: '/openapi'` the signed path drops the prefix.
 * `GET /v7/test` and `POST /v7/test/body` exist to replay the spec's two signature vectors.
 *
 * Endpoint keys (counters, fault plans) are `METHOD /template`, e.g. `POST /v7/depts/create`,
 * `GET /v7/depts/{dept_id}/children`, `POST /oauth2/token` (see ENDPOINT_KEYS).
 */
import { WpsAdmin } from './admin';
import type { RateLimitSetting } from './rateLimit';
import { startServer } from './server';
import { EmulatorState } from './state';

export { WpsAdmin } from './admin';
export type { Dump, DumpedDept, DumpedUser, TenantRef } from './admin';
export { ENDPOINT_KEYS, TOKEN_ENDPOINT_KEY } from './router';
export { CODE } from './errors';
export { FAULT_KINDS } from './faults';
export type { FaultKind, FaultPlanSpec } from './faults';
export type { SeedDept, SeedTenant, SeedUser, AppSettings } from './seeding';
export type { Counters } from './state';
export { ALL_SCOPES, USER_STATUSES } from './model';
export type { UserStatus } from './model';
export { SPEC_PER_SECOND } from './rateLimit';
export type { RateLimitSetting } from './rateLimit';

export interface WpsEmulatorOptions {
	port?: number;
	/** Default seed of fault plans that name none. */
	seed?: number;
	now?: () => number;
	/** Default 'spec' (10 requests per second per app). */
	rateLimits?: RateLimitSetting;
	/** Private deployments serve everything under `/openapi`. */
	pathPrefix?: '' | '/openapi';
}

export interface WpsEmulator {
	/** Includes the path prefix, e.g. `http://127.0.0.1:40123/openapi`. */
	baseUrl: string;
	admin: WpsAdmin;
	close(): Promise<void>;
}

export async function startWpsEmulator(opts: WpsEmulatorOptions = {}): Promise<WpsEmulator> {
	const state = new EmulatorState(opts.rateLimits ?? 'spec', opts.now ?? Date.now, opts.seed ?? 1);
	const prefix = opts.pathPrefix ?? '';
	const running = await startServer(state, opts.port ?? 0, prefix);
	const baseUrl = `http://127.0.0.1:${running.port}${prefix}`;
	return { baseUrl, admin: new WpsAdmin(baseUrl), close: running.close };
}
