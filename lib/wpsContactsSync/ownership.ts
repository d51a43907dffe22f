import type { Records } from './records';
import { type DeptRef, type DeptValues, type Operation, ROOT_EX, type UserValues } from './types';

/**
 * Apply Plan's check of a plan that came back through other nodes (an approver may have edited it)
 * against the stored state, before the first write: every operation on an existing object names an
 * object the sync created or adopted (its record, under the same external id, holds that WPS id),
 * and every department or leader it points at is the scope root, one the sync manages, one the
 * plan creates, or (for a user's memberships) one the user already belonged to. An item edited to
 * name a hand-made object, or an object outside the scope, is refused. `records` are the stored
 * records with the preview's staged ones folded in.
 */
export function findForeign(
	ordered: Operation[],
	records: Records,
	rootId: string,
	storedRootId: string | undefined,
): string[] {
	const problems: string[] = [];
	if (storedRootId && storedRootId !== rootId) {
		problems.push(`the plan's scope department ${rootId} is not the one this target syncs (${storedRootId})`);
		return problems;
	}
	const managedDepts = new Set<string>([rootId]);
	for (const r of records.depts.values()) managedDepts.add(r.data.id);
	const managedUsers = new Set<string>();
	for (const r of records.users.values()) managedUsers.add(r.data.id);
	const createdDepts = new Set(ordered.filter((op) => op.kind === 'dept.create').map((op) => op.exId));
	const createdUsers = new Set(ordered.filter((op) => op.kind === 'user.create').map((op) => op.exId));

	const deptOk = (ref: DeptRef, also?: string[]): boolean => {
		if (ref.ex === ROOT_EX) return ref.id === undefined || ref.id === rootId;
		if (createdDepts.has(ref.ex)) return true;
		if (ref.id === undefined) return records.depts.has(ref.ex);
		return managedDepts.has(ref.id) || (also?.includes(ref.id) ?? false);
	};
	for (const op of ordered) {
		const isCreate = op.kind === 'dept.create' || op.kind === 'user.create';
		if (!isCreate && op.wpsId) {
			const rec = op.object === 'dept' ? records.depts.get(op.exId) : records.users.get(op.exId);
			if (!rec || rec.data.id !== op.wpsId) {
				problems.push(
					`${op.id}: ${op.object === 'dept' ? 'department' : 'user'} ${op.wpsId} is not one this sync created or adopted under the external id "${op.exId}" (hand-made, or outside the scope)`,
				);
				continue;
			}
		}
		if (op.object === 'dept') {
			const parent = (op.after as DeptValues | null)?.parent;
			if (parent && !deptOk(parent))
				problems.push(`${op.id}: its parent department ${parent.id ?? parent.ex} is not managed by this sync`);
			continue;
		}
		const after = (op.after ?? {}) as UserValues;
		const kept = records.users.get(op.exId)?.data.deptIds ?? [];
		for (const ref of [...(after.depts ?? []), ...(after.mainDept ? [after.mainDept] : [])]) {
			if (!deptOk(ref, kept))
				problems.push(
					`${op.id}: department ${ref.id ?? ref.ex} is not managed by this sync (nor one the user already belongs to)`,
				);
		}
		const leader = after.leader;
		if (leader && !createdUsers.has(leader.ex)) {
			const rec = records.users.get(leader.ex);
			if (
				!rec ||
				(leader.id !== undefined && !managedUsers.has(leader.id)) ||
				(leader.id !== undefined && rec.data.id !== leader.id)
			) {
				problems.push(`${op.id}: its leader ${leader.id ?? leader.ex} is not a user this sync manages`);
			}
		}
	}
	return problems;
}
