import { fail } from './errors';
import { type Body, MAX_TEXT, checkIdLength, leadersFrom, optionalInt, optionalString, requiredString } from './input';
import type { Dept } from './model';
import type { AppView } from './views';

/** Tree rules of WPS departments: everything a create, update or delete can be refused for. */

function checkName(name: string): void {
	if (name.length > MAX_TEXT) throw fail.value('dept_name_too_long', `name is longer than ${MAX_TEXT} characters`);
}

function parentOf(view: AppView, parentId: string): Dept {
	const parent = view.tenant.depts.get(parentId);
	if (!parent || !view.seesDept(parentId)) {
		throw fail.notFound('parent_dept_not_found', `parent department ${parentId} not found`);
	}
	return parent;
}

function checkSiblingName(view: AppView, parentId: string, name: string, selfId?: string): void {
	const holder = view.tenant.childIdOf(parentId, name);
	if (holder !== undefined && holder !== selfId) {
		throw fail.value('dept_name_exists', `a department named "${name}" already exists under ${parentId}`);
	}
}

function checkExFree(view: AppView, ex: string, selfId?: string): void {
	checkIdLength('ex_dept_id', ex);
	const holder = view.tenant.deptByEx.get(ex);
	if (holder !== undefined && holder !== selfId) {
		throw fail.value('dept_union_id_already_exist', `ex_dept_id ${ex} is already used by another department`);
	}
}

function checkLeaders(view: AppView, leaders: string[] | undefined): void {
	for (const id of leaders ?? []) {
		if (!view.tenant.users.has(id)) throw fail.value('user_leader_invalid', `leader ${id} does not exist`);
	}
}

function checkDepth(view: AppView, parentId: string, subtreeHeight: number): void {
	const level = view.tenant.levelOf(parentId) + 1 + subtreeHeight;
	if (level > view.tenant.limits.maxDepth) {
		throw fail.quota(
			'dept_max_depth_limit',
			`departments may be at most ${view.tenant.limits.maxDepth} levels below the root (this would reach ${level})`,
		);
	}
}

export function createDept(view: AppView, body: Body, now: number): Dept {
	const name = requiredString(body, 'name');
	const parentId = requiredString(body, 'parent_id');
	const ex = optionalString(body, 'ex_dept_id') || undefined;
	const order = optionalInt(body, 'order') ?? 0;
	const leaders = leadersFrom(body) ?? [];
	checkName(name);
	parentOf(view, parentId);
	if (ex !== undefined) checkExFree(view, ex);
	checkLeaders(view, leaders);
	checkSiblingName(view, parentId, name);
	checkDepth(view, parentId, 0);
	const tenant = view.tenant;
	return tenant.addDept(
		{ dept_id: tenant.newDeptId(), ex_dept_id: ex ?? null, name, parent_id: parentId, order, leaders },
		now,
	);
}

/** Rename, move (parent change), reorder, relink (ex id) and leaders, validated as a whole first. */
export function updateDept(view: AppView, deptId: string, body: Body): Dept {
	const dept = view.dept(deptId);
	const name = optionalString(body, 'name');
	const parentId = optionalString(body, 'parent_id');
	const order = optionalInt(body, 'order');
	const ex = optionalString(body, 'ex_dept_id');
	const leaders = leadersFrom(body);
	if (name !== undefined) {
		if (name === '') throw fail.format('name must not be empty');
		checkName(name);
	}
	const moving = parentId !== undefined && parentId !== dept.parent_id;
	if (moving) {
		if (dept.parent_id === null) throw fail.value('root_dept_cannot_be_moved', 'the root department has no parent');
		parentOf(view, parentId);
		if (view.tenant.isSelfOrDescendant(parentId, deptId)) {
			throw fail.value(
				'dept_parent_is_descendant',
				`department ${deptId} cannot move under ${parentId}, which is itself or one of its descendants`,
			);
		}
		checkDepth(view, parentId, view.tenant.heightOf(deptId));
	}
	if (ex !== undefined) {
		if (ex === '') throw fail.format('ex_dept_id must not be empty');
		checkExFree(view, ex, deptId);
	}
	checkLeaders(view, leaders);
	const finalParent = moving ? parentId : dept.parent_id;
	if (finalParent !== null && (moving || (name !== undefined && name !== dept.name))) {
		checkSiblingName(view, finalParent, name ?? dept.name, deptId);
	}
	const tenant = view.tenant;
	if (moving || (name !== undefined && name !== dept.name)) tenant.placeDept(dept, finalParent, name ?? dept.name);
	if (ex !== undefined) tenant.setDeptEx(dept, ex);
	if (order !== undefined) dept.order = order;
	if (leaders !== undefined) dept.leaders = leaders;
	tenant.touch();
	return dept;
}

export function deleteDept(view: AppView, deptId: string): void {
	const dept = view.dept(deptId);
	if (dept.parent_id === null) throw fail.value('root_dept_cannot_be_deleted', 'the root department cannot be deleted');
	const childCount = view.tenant.children.get(deptId)!.size;
	const memberCount = view.tenant.members.get(deptId)!.size;
	if (childCount || memberCount) {
		throw fail.value(
			'dept_is_not_empty',
			`department ${deptId} still has ${childCount} sub-department(s) and ${memberCount} member(s) of any status`,
		);
	}
	view.tenant.removeDept(dept);
}
