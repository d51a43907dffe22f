import { chunk } from '../resilience';
import type { DirectoryClient } from './directoryClient';
import { readInChunks } from './targetRead';
import type { DeptValues, Operation, TargetDept, TargetUser, UserField, UserValues } from './types';

/**
 * "Verify Target Before Apply": for each object, its first operation's "before" must still hold in WPS;
 * a create's external id must still be free. Returns one line per object that changed since the preview.
 */
export async function findStale(ordered: Operation[], client: DirectoryClient): Promise<string[]> {
	const firstDept = new Map<string, Operation>();
	const firstUser = new Map<string, Operation>();
	const newDepts: string[] = [];
	const newUsers: string[] = [];
	for (const op of ordered) {
		if (op.kind === 'dept.create') newDepts.push(op.exId);
		else if (op.kind === 'user.create') newUsers.push(op.exId);
		else if (op.wpsId) {
			const map = op.object === 'dept' ? firstDept : firstUser;
			if (!map.has(op.wpsId)) map.set(op.wpsId, op);
		}
	}
	return [
		...(await staleObjects(firstDept, (ids) => client.readDepts(ids), 'department', deptChange)),
		...(await staleObjects(firstUser, (ids) => client.readUsers(ids), 'user', userChange)),
		...(await takenExternalIds(newDepts, newUsers, client)),
	];
}

/**
 * One line per object whose first operation no longer fits what WPS holds now: gone, or `changed` says how it differs
 * (undefined where its "before" still holds).
 */
async function staleObjects<T extends { id: string }>(
	first: Map<string, Operation>,
	read: (ids: string[]) => Promise<T[]>,
	noun: string,
	changed: (op: Operation, cur: T) => string | undefined,
): Promise<string[]> {
	const now = new Map((await readInChunks([...first.keys()], read)).map((o) => [o.id, o]));
	const stale: string[] = [];
	for (const [id, op] of first) {
		const cur = now.get(id);
		const why = cur ? changed(op, cur) : 'no longer exists';
		if (why) stale.push(`${op.id}: ${noun} ${id} ${why}`);
	}
	return stale;
}

/** What changed in a department since its first operation's "before" (undefined where it still holds). */
function deptChange(op: Operation, cur: TargetDept): string | undefined {
	const before = (op.before ?? {}) as DeptValues;
	const changed =
		(before.name !== undefined && before.name !== cur.name) ||
		(before.parent?.id !== undefined && before.parent.id !== cur.parentId) ||
		(before.order !== undefined && before.order !== cur.order);
	return changed ? `is now "${cur.name}" under ${cur.parentId}` : undefined;
}

/** Likewise for a user (a disable whose user WPS shows as not active yet is not a change). */
function userChange(op: Operation, cur: TargetUser): string | undefined {
	const before = (op.before ?? {}) as UserValues;
	const changed =
		Object.entries(before.fields ?? {}).some(([f, v]) => (cur.fields[f as UserField] ?? '') !== (v ?? '')) ||
		(before.status !== undefined &&
			before.status !== cur.status &&
			!(op.kind === 'user.disable' && cur.status !== 'disabled')) ||
		(before.depts !== undefined &&
			!sameIds(
				before.depts.map((r) => r.id ?? ''),
				cur.deptIds,
			)) ||
		(before.mainDept?.id !== undefined && before.mainDept.id !== cur.mainDeptId);
	return changed ? 'changed since the preview' : undefined;
}

/** Creates whose external id someone took in WPS since the preview. */
async function takenExternalIds(newDepts: string[], newUsers: string[], client: DirectoryClient): Promise<string[]> {
	const stale: string[] = [];
	for (const part of chunk(newDepts, 100)) {
		for (const d of await client.findDeptsByEx(part))
			stale.push(`dept.create:${d.exId}: a department with this external id exists now (${d.id})`);
	}
	for (const part of chunk(newUsers, 100)) {
		for (const u of await client.findUsersByEx(part))
			stale.push(`user.create:${u.exId}: a user with this external id exists now (${u.id})`);
	}
	return stale;
}

function sameIds(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}
