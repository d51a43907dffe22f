import type { Dept, TenantLimits, User } from './model';

/**
 * One organisation's directory with the indexes that keep 5,000 departments / 50,000 users fast:
 * by id, by external id, by email, by phone, children (by name, for sibling uniqueness) and
 * members per department. Only raw storage lives here; rules are in deptRules/userRules.
 */
export class Tenant {
	readonly depts = new Map<string, Dept>();
	/** parent id -> (child name -> child id). */
	readonly children = new Map<string, Map<string, string>>();
	readonly deptByEx = new Map<string, string>();
	readonly users = new Map<string, User>();
	/** dept id -> (user id -> order inside the department). */
	readonly members = new Map<string, Map<string, number>>();
	readonly userByEx = new Map<string, string>();
	readonly userByEmail = new Map<string, string>();
	readonly userByPhone = new Map<string, string>();
	/** Bumped on every change; read caches compare it. */
	version = 0;
	private seq = 0;
	private nextDeptId = 100_000;
	private nextUserId = 5_000_000;
	/** The emulator's clock (ms), for users' `mtime`. */
	clock: () => number = Date.now;

	constructor(
		readonly id: string,
		readonly rootId: string,
		rootName: string,
		readonly limits: TenantLimits,
		now: number,
	) {
		this.addDept({ dept_id: rootId, ex_dept_id: null, name: rootName, parent_id: null, order: 0, leaders: [] }, now);
	}

	newDeptId(): string {
		let id: string;
		do id = String(++this.nextDeptId);
		while (this.depts.has(id) || this.deptByEx.has(id));
		return id;
	}

	newUserId(): string {
		let id: string;
		do id = String(++this.nextUserId);
		while (this.users.has(id) || this.userByEx.has(id));
		return id;
	}

	// ---- departments -------------------------------------------------------------------------

	exOfDept(dept: Dept): string {
		return dept.ex_dept_id ?? dept.dept_id;
	}

	addDept(fields: Omit<Dept, 'ctime' | 'seq'>, now: number): Dept {
		const dept: Dept = { ...fields, ctime: Math.floor(now / 1000), seq: ++this.seq };
		this.depts.set(dept.dept_id, dept);
		this.deptByEx.set(this.exOfDept(dept), dept.dept_id);
		this.children.set(dept.dept_id, new Map());
		this.members.set(dept.dept_id, new Map());
		if (dept.parent_id !== null) this.children.get(dept.parent_id)!.set(dept.name, dept.dept_id);
		this.version++;
		return dept;
	}

	/**
	 * Renames and/or moves a department as one change: its (parent, name) entry leaves the old
	 * parent's index and enters the new one's, so a rename that travels with a move never touches
	 * a sibling that holds the new name under the old parent.
	 */
	placeDept(dept: Dept, parentId: string | null, name: string): void {
		if (dept.parent_id !== null) {
			const siblings = this.children.get(dept.parent_id)!;
			if (siblings.get(dept.name) === dept.dept_id) siblings.delete(dept.name);
		}
		if (parentId !== null) this.children.get(parentId)!.set(name, dept.dept_id);
		dept.parent_id = parentId;
		dept.name = name;
		this.version++;
	}

	setDeptEx(dept: Dept, ex: string): void {
		this.deptByEx.delete(this.exOfDept(dept));
		dept.ex_dept_id = ex;
		this.deptByEx.set(ex, dept.dept_id);
		this.version++;
	}

	removeDept(dept: Dept): void {
		this.depts.delete(dept.dept_id);
		this.deptByEx.delete(this.exOfDept(dept));
		this.children.delete(dept.dept_id);
		this.members.delete(dept.dept_id);
		if (dept.parent_id !== null) this.children.get(dept.parent_id)!.delete(dept.name);
		this.version++;
	}

	childIdOf(parentId: string, name: string): string | undefined {
		return this.children.get(parentId)?.get(name);
	}

	/** Root is level 0. */
	levelOf(deptId: string): number {
		let level = 0;
		for (let d = this.depts.get(deptId); d && d.parent_id !== null; d = this.depts.get(d.parent_id)) level++;
		return level;
	}

	/** Levels below `deptId` inside its own subtree (a leaf has 0). */
	heightOf(deptId: string): number {
		let height = 0;
		for (const childId of this.children.get(deptId)?.values() ?? []) {
			height = Math.max(height, 1 + this.heightOf(childId));
		}
		return height;
	}

	isSelfOrDescendant(candidateId: string, ancestorId: string): boolean {
		for (let d = this.depts.get(candidateId); d; d = d.parent_id === null ? undefined : this.depts.get(d.parent_id)) {
			if (d.dept_id === ancestorId) return true;
		}
		return false;
	}

	/** `deptId` and every department below it, parents before children. */
	subtreeIds(deptId: string): string[] {
		const out = [deptId];
		for (let i = 0; i < out.length; i++) out.push(...(this.children.get(out[i])?.values() ?? []));
		return out;
	}

	absPath(dept: Dept): string {
		const names: string[] = [];
		for (let d: Dept | undefined = dept; d; d = d.parent_id === null ? undefined : this.depts.get(d.parent_id)) {
			names.push(d.name);
		}
		return '/' + names.reverse().join('/');
	}

	// ---- users -------------------------------------------------------------------------------

	exOfUser(user: User): string {
		return user.ex_user_id ?? user.user_id;
	}

	addUser(fields: Omit<User, 'ctime' | 'mtime' | 'seq'>, now: number): User {
		const ctime = Math.floor(now / 1000);
		const user: User = { ...fields, ctime, mtime: ctime, seq: ++this.seq };
		this.users.set(user.user_id, user);
		this.userByEx.set(this.exOfUser(user), user.user_id);
		if (user.email) this.userByEmail.set(user.email.toLowerCase(), user.user_id);
		if (user.phone) this.userByPhone.set(user.phone, user.user_id);
		for (const deptId of user.dept_ids) this.members.get(deptId)!.set(user.user_id, 0);
		this.version++;
		return user;
	}

	setUserEx(user: User, ex: string): void {
		this.userByEx.delete(this.exOfUser(user));
		user.ex_user_id = ex;
		this.userByEx.set(ex, user.user_id);
		this.version++;
	}

	setUserEmail(user: User, email: string): void {
		if (user.email) this.userByEmail.delete(user.email.toLowerCase());
		user.email = email;
		if (email) this.userByEmail.set(email.toLowerCase(), user.user_id);
		this.version++;
	}

	setUserPhone(user: User, phone: string): void {
		if (user.phone) this.userByPhone.delete(user.phone);
		user.phone = phone;
		if (phone) this.userByPhone.set(phone, user.user_id);
		this.version++;
	}

	setUserDepts(user: User, deptIds: string[], defDeptId: string): void {
		for (const d of user.dept_ids) if (!deptIds.includes(d)) this.members.get(d)?.delete(user.user_id);
		for (const d of deptIds) if (!this.members.get(d)!.has(user.user_id)) this.members.get(d)!.set(user.user_id, 0);
		user.dept_ids = deptIds;
		user.def_dept_id = defDeptId;
		this.touchUser(user);
	}

	removeUser(user: User): void {
		this.users.delete(user.user_id);
		this.userByEx.delete(this.exOfUser(user));
		if (user.email) this.userByEmail.delete(user.email.toLowerCase());
		if (user.phone) this.userByPhone.delete(user.phone);
		for (const d of user.dept_ids) this.members.get(d)?.delete(user.user_id);
		for (const other of this.users.values()) if (other.leader_id === user.user_id) other.leader_id = '';
		for (const dept of this.depts.values()) dept.leaders = dept.leaders.filter((id) => id !== user.user_id);
		this.version++;
	}

	touch(): void {
		this.version++;
	}

	/** A change to the user or its memberships: moves its `mtime`. */
	touchUser(user: User): void {
		user.mtime = Math.floor(this.clock() / 1000);
		this.version++;
	}
}
