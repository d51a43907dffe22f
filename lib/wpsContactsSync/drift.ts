import type { DirectoryClient } from './directoryClient';
import type { Records } from './records';
import { readInChunks } from './targetRead';
import type { Operation, TargetUser, UserField } from './types';

/**
 * An incremental run plans against the snapshot: reads only the objects the plan touches and names
 * those that changed in WPS since the last run (the run then reads in full).
 */
export async function findDrift(
	ops: Operation[],
	records: Records,
	client: DirectoryClient,
	unreadable: UserField[],
): Promise<string[]> {
	const deptIds = new Set<string>();
	const userIds = new Set<string>();
	for (const op of ops) {
		if (!op.wpsId) continue;
		(op.object === 'dept' ? deptIds : userIds).add(op.wpsId);
	}
	if (deptIds.size + userIds.size === 0) return [];
	const drifted: string[] = [];
	const deptRecByEx = records.depts;
	const depts = new Map((await readInChunks([...deptIds], (ids) => client.readDepts(ids))).map((d) => [d.id, d]));
	for (const id of deptIds) {
		const read = depts.get(id);
		const rec = [...(read ? [deptRecByEx.get(read.exId)] : [])][0];
		if (
			!read ||
			!rec ||
			rec.data.id !== id ||
			rec.data.name !== read.name ||
			rec.data.parentId !== read.parentId ||
			rec.data.order !== read.order
		) {
			drifted.push(rec?.ex ?? `dept ${id}`);
		}
	}
	const users = new Map((await readInChunks([...userIds], (ids) => client.readUsers(ids))).map((u) => [u.id, u]));
	for (const id of userIds) {
		const read = users.get(id);
		const rec = read ? records.users.get(read.exId) : undefined;
		if (!read || !rec || !sameUser(rec.data, read, unreadable)) drifted.push(rec?.ex ?? `user ${id}`);
	}
	return drifted;
}

function sameUser(a: TargetUser, b: TargetUser, unreadable: UserField[]): boolean {
	for (const [field, value] of Object.entries(a.fields) as [UserField, string][]) {
		if (!unreadable.includes(field) && (b.fields[field] ?? '') !== (value ?? '')) return false;
	}
	return (
		a.status === b.status &&
		a.mainDeptId === b.mainDeptId &&
		a.leaderId === b.leaderId &&
		a.deptIds.length === b.deptIds.length &&
		a.deptIds.every((d) => b.deptIds.includes(d))
	);
}
