import { fail } from './errors';
import type { App, Dept, User } from './model';
import type { Tenant } from './tenant';

/**
 * What one app sees: its data-permission range (outside looks absent) and its read scopes
 * (email / phone / gender read back empty without their own scope).
 *
 * Every `*Json` method answers exactly the keys of the official page named beside it (docs/wps-api.md),
 * no more: test/contract/wps checks them against the fixtures under test/fixtures/wps.
 */
export class AppView {
	constructor(
		readonly tenant: Tenant,
		readonly app: App,
	) {}

	seesDept(deptId: string): boolean {
		const range = this.app.dataRange;
		if (!range) return this.tenant.depts.has(deptId);
		for (
			let d = this.tenant.depts.get(deptId);
			d;
			d = d.parent_id === null ? undefined : this.tenant.depts.get(d.parent_id)
		) {
			if (range.has(d.dept_id)) return true;
		}
		return false;
	}

	seesUser(user: User): boolean {
		return !this.app.dataRange || user.dept_ids.some((d) => this.seesDept(d));
	}

	dept(deptId: string): Dept {
		const dept = this.tenant.depts.get(deptId);
		if (!dept || !this.seesDept(deptId)) throw fail.notFound('dept_not_found', `department ${deptId} not found`);
		return dept;
	}

	user(userId: string): User {
		const user = this.tenant.users.get(userId);
		if (!user || !this.seesUser(user)) throw fail.notFound('user_not_found', `user ${userId} not found`);
		return user;
	}

	/** Department in reads (root, children, batch_read, by_ex_dept_ids): keyed `id`; the root's parent is "0". */
	deptJson(dept: Dept): Record<string, unknown> {
		return {
			abs_path: this.tenant.absPath(dept),
			ctime: dept.ctime,
			ex_dept_id: this.tenant.exOfDept(dept),
			id: dept.dept_id,
			leaders: dept.leaders.map((user_id, order) => ({ order, user_id })),
			name: dept.name,
			order: dept.order,
			parent_id: dept.parent_id ?? '0',
		};
	}

	/** Department create answers `dept_id` where every read says `id` (create-dept page). */
	createdDeptJson(dept: Dept): Record<string, unknown> {
		const { id, ...rest } = this.deptJson(dept);
		return { ...rest, dept_id: id };
	}

	private personal(user: User): { email: string; phone: string; gender: string } {
		const scopes = this.app.scopes;
		return {
			email: scopes.has('kso.user_email.read') ? user.email : '',
			phone: scopes.has('kso.user_phone.read') ? user.phone : '',
			gender: scopes.has('kso.user_gender.read') ? user.gender || 'undefined' : '',
		};
	}

	private visibleDepts(user: User): string[] {
		return user.dept_ids.filter((d) => this.seesDept(d));
	}

	/** The keys a full user read and a membership's `user_info` share (get-user and batch-get-dept-user pages). */
	private profile(user: User): Record<string, unknown> {
		const visible = this.visibleDepts(user);
		return {
			city: '',
			country: '',
			...this.personal(user),
			employee_id: user.employee_id,
			employer: '',
			employment_status: '',
			employment_type: user.employment_type,
			id: user.user_id,
			role: 'normal',
			status: user.status,
			telephone: user.telephone,
			title: user.title,
			user_name: user.user_name,
			work_place: user.work_place,
			def_dept_id: visible.includes(user.def_dept_id) ? user.def_dept_id : (visible[0] ?? ''),
		};
	}

	/** The user as `GET /v7/users/{id}` and `POST /v7/users/batch_read` answer it (get-user page). */
	userJson(user: User, withDept: boolean): Record<string, unknown> {
		const json: Record<string, unknown> = {
			...this.profile(user),
			ctime: user.ctime,
			ex_user_id: this.tenant.exOfUser(user),
			leader_id: user.leader_id,
		};
		if (withDept) {
			json.depts = this.visibleDepts(user).map((d) => {
				const dept = this.tenant.depts.get(d)!;
				return { abs_path: this.tenant.absPath(dept), id: d, name: dept.name };
			});
		}
		return json;
	}

	/** `POST /v7/users/by_ex_user_ids` items: a short user, no departments, leader or employee id (get-ex-user page). */
	exUserJson(user: User): Record<string, unknown> {
		const { email, phone } = this.personal(user);
		return {
			avatar: '',
			ctime: user.ctime,
			email,
			ex_user_id: this.tenant.exOfUser(user),
			id: user.user_id,
			phone,
			role: 'normal',
			status: user.status,
			title: user.title,
			user_name: user.user_name,
		};
	}

	/** `user_info` of a membership: no ex_user_id and no leader_id (batch-get-dept-user page). */
	memberUserInfo(user: User): Record<string, unknown> {
		return { avatar: '', ...this.profile(user) };
	}

	/** One membership (user in one department), the user nested under `user_info` when asked for. */
	membershipJson(user: User, deptId: string, order: number, withDetail: boolean): Record<string, unknown> {
		const dept = this.tenant.depts.get(deptId);
		const json: Record<string, unknown> = {
			ctime: user.ctime,
			dept_id: deptId,
			is_leader: !!dept?.leaders.includes(user.user_id),
			mtime: user.mtime,
			order,
			user_id: user.user_id,
		};
		if (withDetail) json.user_info = this.memberUserInfo(user);
		return json;
	}
}
