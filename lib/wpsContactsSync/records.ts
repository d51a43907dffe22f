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
		if (op.object === 'dept') {
			const after = (op.after ?? {}) as DeptValues;
			if (op.kind === 'dept.delete') {
				records.depts.delete(op.exId);
				continue;
			}
			let rec = records.depts.get(op.exId);
			if (op.kind === 'dept.create' || !rec) {
				const id = createdIds.get(`dept:${op.exId}`) ?? op.wpsId ?? '';
				rec = {
					kind: 'dept',
					ex: op.exId,
					writtenAt: now,
					data: { id, exId: op.exId, name: '', parentId: '', order: 0 },
				};
				records.depts.set(op.exId, rec);
			}
			if (after.name !== undefined) rec.data.name = after.name;
			if (after.parent) rec.data.parentId = resolve(after.parent) ?? rec.data.parentId;
			if (after.order !== undefined) rec.data.order = after.order;
			rec.writtenAt = now;
			continue;
		}
		const after = (op.after ?? {}) as UserValues;
		if (op.kind === 'user.delete') {
			records.users.delete(op.exId);
			continue;
		}
		let rec = records.users.get(op.exId);
		if (op.kind === 'user.create' || !rec) {
			rec = {
				kind: 'user',
				ex: op.exId,
				writtenAt: now,
				data: {
					id: userIdOf(op.exId, op.wpsId),
					exId: op.exId,
					status: 'active',
					deptIds: [],
					mainDeptId: '',
					leaderId: '',
					fields: {},
				},
			};
			records.users.set(op.exId, rec);
		}
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
		rec.writtenAt = now;
	}
}
