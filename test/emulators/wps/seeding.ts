import { ALL_SCOPES, BLANK_USER_FIELDS, type App, type Dept, USER_STATUSES, type User, type UserStatus } from './model';
import type { EmulatorState } from './state';
import { Tenant } from './tenant';

/**
 * Test-only setup: tenants, apps and hand-made objects. Seeding bypasses limits and counters
 * but keeps the tree consistent (ids, external ids, emails, phones and sibling names unique;
 * parents and departments exist), since a broken seed would only produce confusing failures.
 */

export interface SeedTenant {
	clientId: string;
	clientSecret: string;
	signing?: boolean;
	scopes?: string[];
	rootDeptId?: string;
	rootName?: string;
	seatLimit?: number;
	maxDepth?: number;
	maxDeptsPerUser?: number;
	dataRange?: string[];
	/** Status of users created through /v7/users/create (default active; unverified, so tests run both). */
	newUserStatus?: UserStatus;
	/** Item shape of `GET /v7/depts/{id}/members` (default 'membership'; unverified). */
	memberListing?: 'membership' | 'user';
	/** Offer the private deployments' `POST /v7/depts/batch_delete` (default false, as on the SaaS). */
	privateBatchDelete?: boolean;
}

export interface AppSettings {
	clientId: string;
	clientSecret?: string;
	signing?: boolean;
	scopes?: string[];
	dataRange?: string[] | null;
}

export type SeedDept = Partial<Omit<Dept, 'seq' | 'ctime'>> & { name: string };
export type SeedUser = Partial<Omit<User, 'seq' | 'ctime' | 'mtime'>> & { user_name: string };

function makeApp(spec: AppSettings & { clientSecret: string }, tenantId: string): App {
	return {
		clientId: spec.clientId,
		clientSecret: spec.clientSecret,
		signing: spec.signing ?? false,
		scopes: new Set(spec.scopes ?? ALL_SCOPES),
		dataRange: spec.dataRange ? new Set(spec.dataRange) : null,
		tenantId,
	};
}

export function seedTenant(state: EmulatorState, spec: SeedTenant): { rootDeptId: string; tenantId: string } {
	if (!spec.clientId || !spec.clientSecret) throw new Error('clientId and clientSecret are required');
	if (state.apps.has(spec.clientId)) throw new Error(`app ${spec.clientId} is already seeded (reset first)`);
	const tenantId = `t${state.tenants.size + 1}`;
	const rootId = spec.rootDeptId ?? '1';
	const tenant = new Tenant(
		tenantId,
		rootId,
		spec.rootName ?? 'Root',
		{
			seatLimit: spec.seatLimit ?? 100_000,
			maxDepth: spec.maxDepth ?? 15,
			maxDeptsPerUser: spec.maxDeptsPerUser ?? 20,
			newUserStatus: spec.newUserStatus ?? 'active',
			memberListing: spec.memberListing ?? 'membership',
			privateBatchDelete: spec.privateBatchDelete ?? false,
		},
		state.now(),
	);
	tenant.clock = () => state.now();
	state.tenants.set(tenantId, tenant);
	state.apps.set(spec.clientId, makeApp(spec, tenantId));
	state.lastClientId = spec.clientId;
	return { rootDeptId: rootId, tenantId };
}

/** A second app on an existing tenant (e.g. one without the email scope, or with a narrower range). */
export function addApp(state: EmulatorState, spec: AppSettings & { clientSecret: string; sameTenantAs: string }): void {
	if (state.apps.has(spec.clientId)) throw new Error(`app ${spec.clientId} already exists`);
	state.apps.set(spec.clientId, makeApp(spec, state.app(spec.sameTenantAs).tenantId));
}

export function setApp(state: EmulatorState, spec: AppSettings): void {
	const app = state.app(spec.clientId);
	if (spec.clientSecret !== undefined) app.clientSecret = spec.clientSecret;
	if (spec.signing !== undefined) app.signing = spec.signing;
	if (spec.scopes !== undefined) app.scopes = new Set(spec.scopes);
	if (spec.dataRange !== undefined) app.dataRange = spec.dataRange ? new Set(spec.dataRange) : null;
	state.tenants.get(app.tenantId)!.touch();
}

/** What seeding answers: each new department's or user's id and external id (its own id when none was given). */
export interface SeededDepts {
	depts: { dept_id: string; ex_dept_id: string }[];
}
export interface SeededUsers {
	users: { user_id: string; ex_user_id: string }[];
}

export function seedDepts(tenant: Tenant, depts: SeedDept[], now: number): SeededDepts {
	const out = depts.map((d) => {
		const id = d.dept_id ?? tenant.newDeptId();
		const parentId = d.parent_id ?? tenant.rootId;
		if (tenant.depts.has(id)) throw new Error(`dept ${id} already exists`);
		if (!tenant.depts.has(parentId)) throw new Error(`parent ${parentId} of ${d.name} does not exist`);
		if (tenant.childIdOf(parentId, d.name) !== undefined)
			throw new Error(`"${d.name}" already exists under ${parentId}`);
		const ex = d.ex_dept_id ?? null;
		if (tenant.deptByEx.has(ex ?? id)) throw new Error(`ex_dept_id ${ex ?? id} is already used`);
		const dept = tenant.addDept(
			{ dept_id: id, ex_dept_id: ex, name: d.name, parent_id: parentId, order: d.order ?? 0, leaders: d.leaders ?? [] },
			now,
		);
		return { dept_id: dept.dept_id, ex_dept_id: tenant.exOfDept(dept) };
	});
	return { depts: out };
}

export function seedUsers(tenant: Tenant, users: SeedUser[], now: number): SeededUsers {
	const out = users.map((u) => {
		const id = u.user_id ?? tenant.newUserId();
		const deptIds = u.dept_ids?.length ? [...new Set(u.dept_ids)] : [tenant.rootId];
		const status = u.status ?? 'active';
		if (tenant.users.has(id)) throw new Error(`user ${id} already exists`);
		if (!USER_STATUSES.includes(status)) throw new Error(`unknown status ${status}`);
		for (const d of deptIds)
			if (!tenant.depts.has(d)) throw new Error(`dept ${d} of user ${u.user_name} does not exist`);
		const ex = u.ex_user_id ?? null;
		if (tenant.userByEx.has(ex ?? id)) throw new Error(`ex_user_id ${ex ?? id} is already used`);
		if (u.email && tenant.userByEmail.has(u.email.toLowerCase())) throw new Error(`email ${u.email} is already used`);
		if (u.phone && tenant.userByPhone.has(u.phone)) throw new Error(`phone ${u.phone} is already used`);
		const user = tenant.addUser(
			{
				...BLANK_USER_FIELDS,
				...u,
				user_id: id,
				ex_user_id: ex,
				status,
				dept_ids: deptIds,
				def_dept_id: u.def_dept_id && deptIds.includes(u.def_dept_id) ? u.def_dept_id : deptIds[0],
			},
			now,
		);
		return { user_id: user.user_id, ex_user_id: tenant.exOfUser(user) };
	});
	return { users: out };
}

/** Status changes WPS makes on its own (an employee leaves, never activates): for tests only. */
export function setUserStatus(tenant: Tenant, userIds: string[], status: UserStatus): void {
	if (!USER_STATUSES.includes(status)) throw new Error(`unknown status ${status}`);
	for (const id of userIds) {
		const user = tenant.users.get(id);
		if (!user) throw new Error(`user ${id} does not exist`);
		user.status = status;
	}
	tenant.touch();
}

/** The whole directory, unfiltered: departments parents-first, then users in creation order. */
export function dump(tenant: Tenant) {
	const depts = tenant.subtreeIds(tenant.rootId).map((id) => {
		const d = tenant.depts.get(id)!;
		return {
			dept_id: d.dept_id,
			ex_dept_id: tenant.exOfDept(d),
			name: d.name,
			parent_id: d.parent_id ?? '',
			order: d.order,
			abs_path: tenant.absPath(d),
			leaders: [...d.leaders],
			ctime: d.ctime,
		};
	});
	const users = [...tenant.users.values()].map((u) => {
		const { seq: _seq, ...fields } = u;
		return { ...fields, ex_user_id: tenant.exOfUser(u), dept_ids: [...u.dept_ids] };
	});
	return { depts, users };
}
