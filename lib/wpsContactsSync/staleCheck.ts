import { chunk } from '../resilience';
import type { DirectoryClient } from './directoryClient';
import { readInChunks } from './targetRead';
import type { DeptValues, Operation, UserField, UserValues } from './types';

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
		...(await staleDepts(firstDept, client)),
		...(await staleUsers(firstUser, client)),
		...(await takenExternalIds(newDepts, newUsers, client)),
	];
}

async function staleDepts(firstDept: Map<string, Operation>, client: DirectoryClient): Promise<string[]> {
	const stale: string[] = [];
	const depts = new Map(
		(await readInChunks([...firstDept.keys()], (ids) => client.readDepts(ids))).map((d) => [d.id, d]),
	);
	for (const [id, op] of firstDept) {
		const cur = depts.get(id);
		const before = (op.before ?? {}) as DeptValues;
		if (!cur) stale.push(`${op.id}: department ${id} no longer exists`);
		else if (
			(before.name !== undefined && before.name !== cur.name) ||
			(before.parent?.id !== undefined && before.parent.id !== cur.parentId) ||
			(before.order !== undefined && before.order !== cur.order)
		) {
			stale.push(`${op.id}: department ${id} is now "${cur.name}" under ${cur.parentId}`);
		}
	}
	return stale;
}

async function staleUsers(firstUser: Map<string, Operation>, client: DirectoryClient): Promise<string[]> {
	const stale: string[] = [];
	const users = new Map(
		(await readInChunks([...firstUser.keys()], (ids) => client.readUsers(ids))).map((u) => [u.id, u]),
	);
	for (const [id, op] of firstUser) {
		const cur = users.get(id);
		const before = (op.before ?? {}) as UserValues;
		if (!cur) {
			stale.push(`${op.id}: user ${id} no longer exists`);
			continue;
		}
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
		if (changed) stale.push(`${op.id}: user ${id} changed since the preview`);
	}
	return stale;
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
