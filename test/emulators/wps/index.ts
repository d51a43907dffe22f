/**
 * WPS 365 open platform emulator: `/oauth2/token` and the contacts v7 endpoints the package calls, answering
 * the shapes WPS's own pages document (docs/wps-api.md, the contract; the pages win over this code), refusing
 * what WPS refuses, plus test-only `/__admin/` routes.
 *
 * Envelope: success `{code: 0, msg, data}`, or `{code, msg}` for calls documented without `data`; failure
 * `{code, msg}` with `msg` a human sentence (Chinese and English) and the emulator's own reason in the
 * `x-emulator-reason` header, for its self-tests only. HTTP status by code class: 400 (404 for 400000004), 401,
 * 403, 429, 500; writes are POST-only (405).
 *
 * Where no page settles a behaviour it is an option (docs/wps-api.md says "unverified"): `newUserStatus`
 * (active or notactive for API-created users), `memberListing` (memberships or flat users in
 * `GET /v7/depts/{id}/members`), `privateBatchDelete` (the private deployments' batch delete). Other choices:
 * lists page with a keyset cursor (`{items, next_page_token, total?}`), batch lookups take at most 100 ids, a read
 * by id answers any status while filters hide the others, every user counts against the seat limit,
 * email/phone/gender read back "" without their scope, KSO-1 is checked only for apps with `signing`
 * (X-Kso-Date within 15 minutes; with `pathPrefix: '/openapi'` the signed path drops the prefix), and
 * `GET /v7/test` / `POST /v7/test/body` replay the spec's two signature vectors.
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
