import { fail } from './errors';
import type { App, Dept, User } from './model';
import type { Tenant } from './tenant';

/**
 * What one app sees: its data-permission range (outside looks absent) and its read scopes
 * (email / phone / gender read back empty without their own scope).
 */
export class AppView {
	constructor(
		readonly tenant: Tenant,
		readonly app: App,
	) {}

	seesDept(deptId: string): boolean {
		const range = this.app.dataRange;
		if (!range) return this.tenant.depts.has(deptId);
		for (let d = this.tenant.depts.get(deptId); d; d = d.parent_id === null ? undefined : this.tenant.depts.get(d.parent_id)) {
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

	deptJson(dept: Dept): Record<string, unknown> {
		return {
			dept_id: dept.dept_id,
			ex_dept_id: this.tenant.exOfDept(dept),
			name: dept.name,
			parent_id: dept.parent_id ?? '',
			order: dept.order,
			abs_path: this.tenant.absPath(dept),
			leaders: dept.leaders.map((user_id) => ({ user_id })),
			ctime: dept.ctime,
		};
	}

	userJson(user: User, withDept: boolean): Record<string, unknown> {
		const scopes = this.app.scopes;
		const json: Record<string, unknown> = {
			user_id: user.user_id,
			ex_user_id: this.tenant.exOfUser(user),
			user_name: user.user_name,
			status: user.status,
			email: scopes.has('kso.user_email.read') ? user.email : '',
			phone: scopes.has('kso.user_phone.read') ? user.phone : '',
			gender: scopes.has('kso.user_gender.read') ? user.gender : '',
			employee_id: user.employee_id,
			title: user.title,
			leader_id: user.leader_id,
			employment_type: user.employment_type,
			telephone: user.telephone,
			work_place: user.work_place,
			ctime: user.ctime,
		};
		if (withDept) {
			const visible = user.dept_ids.filter((d) => this.seesDept(d));
			json.dept_ids = visible;
			json.def_dept_id = visible.includes(user.def_dept_id) ? user.def_dept_id : (visible[0] ?? '');
			json.depts = visible.map((d) => {
				const dept = this.tenant.depts.get(d)!;
				return { dept_id: d, name: dept.name, abs_path: this.tenant.absPath(dept) };
			});
		}
		return json;
	}
}
