import type { DeptRef, DeptValues, Operation, TargetDept, TargetState, TargetUser, UserValues } from './types';

/**
 * The sync's memory of an owned object: what it last wrote (the snapshot incremental runs diff
 * against and conflicts are detected with), when, and for users when the sync disabled them.
 */
export interface DeptRecord {
	kind: 'dept';
	ex: string;
	data: TargetDept;
	writtenAt: number;
}

export interface UserRecord {
	kind: 'user';
	ex: string;
	data: TargetUser;
	writtenAt: number;
	/** When the sync disabled this user (the grace period counts from here). */
	disabledAt?: number | null;
}

export interface Records {
	depts: Map<string, DeptRecord>;
	users: Map<string, UserRecord>;
}

export const emptyRecords = (): Records => ({ depts: new Map(), users: new Map() });

export function cloneRecords(r: Records): Records {
	return {
		depts: new Map([...r.depts].map(([k, v]) => [k, { ...v, data: { ...v.data } }])),
		users: new Map(
			[...r.users].map(([k, v]) => [
				k,
				{ ...v, data: { ...v.data, deptIds: [...v.data.deptIds], fields: { ...v.data.fields } } },
			]),
		),
	};
}

/** The target as the snapshot knows it (an incremental run plans against this). */
export function stateFromRecords(rootId: string, records: Records): TargetState {
	return {
		rootId,
		depts: [...records.depts.values()].map((r) => r.data),
		users: [...records.users.values()].map((r) => r.data),
	};
}

/** Resolves a department reference to a WPS id at apply time. */
export type ResolveDept = (ref: DeptRef) => string | undefined;

/**
 * Folds finished operations into the records (what the sync wrote is now what it last wrote).
 * `createdIds` maps `<object>:<ex>` to the WPS id a create returned.
 */
export function applyToRecords(
	records: Records,
	done: Operation[],
	resolve: ResolveDept,
	createdIds: Map<string, string>,
	now: number,
): void {
	const userIdOf = (ex: string, id?: string) =>
		id ?? createdIds.get(`user:${ex}`) ?? records.users.get(ex)?.data.id ?? '';
	for (const op of done) {
		if (op.kind === 'dept.delete') records.depts.delete(op.exId);
		else if (op.kind === 'user.delete') records.users.delete(op.exId);
		else if (op.object === 'dept') {
			const rec =
				(op.kind !== 'dept.create' && records.depts.get(op.exId)) ||
				newDeptRecord(op.exId, createdIds.get(`dept:${op.exId}`) ?? op.wpsId ?? '');
			records.depts.set(op.exId, rec);
			foldDept(rec.data, (op.after ?? {}) as DeptValues, resolve);
			rec.writtenAt = now;
		} else {
			const rec =
				(op.kind !== 'user.create' && records.users.get(op.exId)) ||
				newUserRecord(op.exId, userIdOf(op.exId, op.wpsId));
			records.users.set(op.exId, rec);
			foldUser(rec, (op.after ?? {}) as UserValues, resolve, userIdOf, now);
			rec.writtenAt = now;
		}
	}
}

const newDeptRecord = (ex: string, id: string): DeptRecord => ({
	kind: 'dept',
	ex,
	writtenAt: 0,
	data: { id, exId: ex, name: '', parentId: '', order: 0 },
});

const newUserRecord = (ex: string, id: string): UserRecord => ({
	kind: 'user',
	ex,
	writtenAt: 0,
	data: { id, exId: ex, status: 'active', deptIds: [], mainDeptId: '', leaderId: '', fields: {} },
});

function foldDept(data: TargetDept, after: DeptValues, resolve: ResolveDept): void {
	if (after.name !== undefined) data.name = after.name;
	if (after.parent) data.parentId = resolve(after.parent) ?? data.parentId;
	if (after.order !== undefined) data.order = after.order;
}

function foldUser(
	rec: UserRecord,
	after: UserValues,
	resolve: ResolveDept,
	userIdOf: (ex: string, id?: string) => string,
	now: number,
): void {
	const data = rec.data;
	if (after.exId) data.exId = after.exId;
	if (after.fields) Object.assign(data.fields, after.fields);
	if (after.depts) data.deptIds = after.depts.map((r) => resolve(r) ?? '').filter(Boolean);
	if (after.mainDept) data.mainDeptId = resolve(after.mainDept) ?? data.mainDeptId;
	if (after.leader !== undefined) data.leaderId = after.leader ? userIdOf(after.leader.ex, after.leader.id) : '';
	if (after.status) {
		if (after.status === 'disabled' && data.status !== 'disabled') rec.disabledAt = now;
		if (after.status !== 'disabled') rec.disabledAt = null;
		data.status = after.status;
	}
}
