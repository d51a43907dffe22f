import { EmulatorAdmin } from '../common';
import type { FaultPlanSpec } from './faults';
import type { User, UserStatus } from './model';
import type { RateLimitSetting } from './rateLimit';
import type { AppSettings, SeedDept, SeededDepts, SeededUsers, SeedTenant, SeedUser } from './seeding';
import type { Counters } from './state';

export interface DumpedDept {
	dept_id: string;
	ex_dept_id: string;
	name: string;
	parent_id: string;
	order: number;
	abs_path: string;
	leaders: string[];
	ctime: number;
}

/** A user as `dump()` shows it: the stored user, with its external id resolved (never null). */
export type DumpedUser = Omit<User, 'seq' | 'ex_user_id'> & { ex_user_id: string };

export interface Dump {
	depts: DumpedDept[];
	users: DumpedUser[];
}

/** Where seeding and dumps go: the named app's tenant, by default the last seeded one. */
export interface TenantRef {
	clientId?: string;
}

/** Client of the emulator's test-only `/__admin/` routes (one method per route). */
export class WpsAdmin extends EmulatorAdmin<Counters, FaultPlanSpec> {
	private readonly origin: string;

	constructor(baseUrl: string) {
		// A private-deployment base URL (`.../openapi`) still has its admin routes at the root.
		super();
		this.origin = new URL(baseUrl).origin;
	}

	protected async call<T>(name: string, body: unknown = {}): Promise<T> {
		const res = await fetch(`${this.origin}/__admin/${name}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const json = (await res.json()) as T & { error?: string };
		if (!res.ok) throw new Error(`WPS emulator admin ${name}: ${json.error ?? res.status}`);
		return json;
	}

	reset(): Promise<void> {
		return this.call('reset');
	}

	seedTenant(spec: SeedTenant): Promise<{ rootDeptId: string; tenantId: string }> {
		return this.call('seedTenant', spec);
	}

	/** Another app on the tenant of `sameTenantAs` (other scopes, range or signing). */
	addApp(spec: AppSettings & { clientSecret: string; sameTenantAs: string }): Promise<void> {
		return this.call('addApp', spec);
	}

	/** Changes an app's scopes, data range, signing or secret. */
	setApp(spec: AppSettings): Promise<void> {
		return this.call('setApp', spec);
	}

	seedDepts(depts: SeedDept[], ref: TenantRef = {}): Promise<SeededDepts> {
		return this.call('seedDepts', { ...ref, depts });
	}

	seedUsers(users: SeedUser[], ref: TenantRef = {}): Promise<SeededUsers> {
		return this.call('seedUsers', { ...ref, users });
	}

	/** Status changes made by WPS itself (dimission, never activated, disabled by an admin). */
	setUserStatus(userIds: string[], status: UserStatus, ref: TenantRef = {}): Promise<void> {
		return this.call('setUserStatus', { ...ref, userIds, status });
	}

	dump(ref: TenantRef = {}): Promise<Dump> {
		return this.call('dump', ref);
	}

	setRateLimits(limits: RateLimitSetting): Promise<void> {
		return this.call('setRateLimits', { limits });
	}

	/** Shifts the emulator clock (token expiry, rate buckets, X-Kso-Date skew). */
	setClock(clock: { offsetMs: number }): Promise<{ now: number }> {
		return this.call('setClock', clock);
	}

	expireTokens(): Promise<void> {
		return this.call('expireTokens');
	}
}
