import { fail } from './errors';
import { type Body, MAX_TEXT, checkIdLength, optionalString, requiredString, stringArray } from './input';
import { BLANK_USER_FIELDS, USER_TEXT_FIELDS, type User } from './model';
import type { AppView } from './views';

/** User rules: create requirements, uniqueness (ex id, email, phone), seats, departments per user. */

// No page documents dept_ids on update: departments change through the membership endpoints.
const UPDATABLE = [...USER_TEXT_FIELDS, 'ex_user_id', 'def_dept_id'];

function checkUserName(name: string): void {
	if (name.length > MAX_TEXT) throw fail.value('user_name_too_long', `user_name is longer than ${MAX_TEXT} characters`);
}

function checkExFree(view: AppView, ex: string, selfId?: string): void {
	checkIdLength('ex_user_id', ex);
	const holder = view.tenant.userByEx.get(ex);
	if (holder !== undefined && holder !== selfId) {
		throw fail.value('user_union_id_already_exist', `ex_user_id ${ex} is already used by another user`);
	}
}

/** Email and phone are login names: unique across every user of the tenant, visible or not. */
function checkLoginFree(view: AppView, field: 'email' | 'phone', value: string, selfId?: string): void {
	if (!value) return;
	const index = field === 'email' ? view.tenant.userByEmail : view.tenant.userByPhone;
	const holder = index.get(field === 'email' ? value.toLowerCase() : value);
	if (holder !== undefined && holder !== selfId) {
		throw fail.value('user_login_name_exists', `${field} ${value} is already used by another user`);
	}
}

function checkLeader(view: AppView, leaderId: string | undefined, selfId?: string): void {
	if (!leaderId) return;
	if (leaderId === selfId || !view.tenant.users.has(leaderId)) {
		throw fail.value('user_leader_invalid', `leader_id ${leaderId} is not an existing other user`);
	}
}

function checkDeptCount(view: AppView, count: number): void {
	const max = view.tenant.limits.maxDeptsPerUser;
	if (count > max) {
		throw fail.quota(
			'dept_user_account_dept_num_limit',
			`a user may belong to at most ${max} departments (got ${count})`,
		);
	}
}

function checkDeptsVisible(view: AppView, deptIds: string[]): void {
	for (const d of deptIds) view.dept(d);
}

function checkDefDept(defDeptId: string, deptIds: string[]): void {
	if (!deptIds.includes(defDeptId)) {
		throw fail.value('user_def_dept_invalid', `def_dept_id ${defDeptId} is not one of dept_ids`);
	}
}

function textFields(body: Body): Partial<Record<(typeof USER_TEXT_FIELDS)[number], string>> {
	const out: Partial<Record<(typeof USER_TEXT_FIELDS)[number], string>> = {};
	for (const field of USER_TEXT_FIELDS) {
		const value = optionalString(body, field);
		if (value !== undefined) out[field] = value;
	}
	return out;
}

export function createUser(view: AppView, body: Body, now: number): User {
	const tenant = view.tenant;
	const userName = requiredString(body, 'user_name');
	const deptIds = stringArray(body, 'dept_ids', { required: true })!;
	const defDeptId = optionalString(body, 'def_dept_id') || deptIds[0];
	const ex = optionalString(body, 'ex_user_id') || undefined;
	const text = textFields(body);
	checkUserName(userName);
	checkDeptsVisible(view, deptIds);
	checkDeptCount(view, deptIds.length);
	checkDefDept(defDeptId, deptIds);
	if (ex !== undefined) checkExFree(view, ex);
	checkLoginFree(view, 'email', text.email ?? '');
	checkLoginFree(view, 'phone', text.phone ?? '');
	checkLeader(view, text.leader_id);
	if (tenant.users.size >= tenant.limits.seatLimit) {
		throw fail.quota('user_member_num_limit', `the tenant has used all ${tenant.limits.seatLimit} seats`);
	}
	return tenant.addUser(
		{
			user_id: tenant.newUserId(),
			ex_user_id: ex ?? null,
			status: tenant.limits.newUserStatus,
			dept_ids: deptIds,
			def_dept_id: defDeptId,
			...BLANK_USER_FIELDS,
			...text,
			user_name: userName,
		},
		now,
	);
}

/**
 * A new department set for a user: departments outside the app's range are kept (the app
 * cannot see them, so it cannot have meant to remove them).
 */
function nextDepts(view: AppView, user: User, visibleDeptIds: string[]): string[] {
	checkDeptsVisible(view, visibleDeptIds);
	const hidden = user.dept_ids.filter((d) => !view.seesDept(d));
	const deptIds = [...new Set([...visibleDeptIds, ...hidden])];
	if (deptIds.length === 0) throw fail.value('user_dept_required', 'a user must belong to at least one department');
	checkDeptCount(view, deptIds.length);
	return deptIds;
}

export function updateUser(view: AppView, userId: string, body: Body): User {
	const user = view.user(userId);
	for (const key of Object.keys(body)) {
		if (key === 'status') throw fail.format('status cannot be updated here: use batch_enable / batch_disable');
		if (!UPDATABLE.includes(key)) throw fail.format(`unknown field ${key}`);
	}
	const text = textFields(body);
	const ex = optionalString(body, 'ex_user_id');
	if (text.user_name !== undefined) {
		if (text.user_name === '') throw fail.format('user_name must not be empty');
		checkUserName(text.user_name);
	}
	if (ex !== undefined) {
		if (ex === '') throw fail.format('ex_user_id must not be empty');
		checkExFree(view, ex, userId);
	}
	if (text.email !== undefined) checkLoginFree(view, 'email', text.email, userId);
	if (text.phone !== undefined) checkLoginFree(view, 'phone', text.phone, userId);
	checkLeader(view, text.leader_id, userId);
	const deptIds = user.dept_ids;
	const defDeptId =
		optionalString(body, 'def_dept_id') || (deptIds.includes(user.def_dept_id) ? user.def_dept_id : deptIds[0]);
	checkDefDept(defDeptId, deptIds);

	const tenant = view.tenant;
	const { email, phone, ...plain } = text;
	Object.assign(user, plain);
	if (email !== undefined) tenant.setUserEmail(user, email);
	if (phone !== undefined) tenant.setUserPhone(user, phone);
	if (ex !== undefined) tenant.setUserEx(user, ex);
	tenant.setUserDepts(user, deptIds, defDeptId);
	return user;
}

export interface DeptAssignment {
	user_id: string;
	dept_ids: string[];
	def_dept_id?: string;
}

/** batch_update_dept: every item is validated before any is applied. */
export function assignDepts(view: AppView, items: DeptAssignment[]): void {
	const planned = items.map((item) => {
		const user = view.user(item.user_id);
		const deptIds = nextDepts(view, user, item.dept_ids);
		const defDeptId = item.def_dept_id || (deptIds.includes(user.def_dept_id) ? user.def_dept_id : deptIds[0]);
		checkDefDept(defDeptId, deptIds);
		return { user, deptIds, defDeptId };
	});
	for (const { user, deptIds, defDeptId } of planned) view.tenant.setUserDepts(user, deptIds, defDeptId);
}

/** Membership create/delete are idempotent: adding a member twice or removing a non-member changes nothing. */
export function addMember(view: AppView, deptId: string, userId: string): void {
	view.dept(deptId);
	const user = view.user(userId);
	if (user.dept_ids.includes(deptId)) return;
	checkDeptCount(view, user.dept_ids.length + 1);
	view.tenant.setUserDepts(user, [...user.dept_ids, deptId], user.def_dept_id);
}

export function removeMember(view: AppView, deptId: string, userId: string): void {
	view.dept(deptId);
	const user = view.user(userId);
	if (!user.dept_ids.includes(deptId)) return;
	const rest = user.dept_ids.filter((d) => d !== deptId);
	if (rest.length === 0) throw fail.value('user_dept_required', 'a user must belong to at least one department');
	view.tenant.setUserDepts(user, rest, user.def_dept_id === deptId ? rest[0] : user.def_dept_id);
}

/** Soft delete / re-hire: idempotent; every id must be visible or nothing changes. */
export function setEnabled(view: AppView, userIds: string[], enabled: boolean): void {
	const users = userIds.map((id) => view.user(id));
	for (const user of users) {
		if (enabled && user.status === 'disabled') user.status = 'active';
		if (!enabled) user.status = 'disabled';
		view.tenant.touchUser(user);
	}
}

export function hardDeleteUser(view: AppView, userId: string): void {
	view.tenant.removeUser(view.user(userId));
}
