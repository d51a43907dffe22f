import { mapWithConcurrency } from '../sync';
import { WPS_CODE, WpsApiError, type WpsContacts, type WpsDept, type WpsUser } from '../wps';
import type { DirectoryClient } from './directoryClient';
import { temporaryName } from './ordering';
import { type TargetDept, type TargetUser, USER_FIELDS, type UserField } from './types';

const toDept = (d: WpsDept): TargetDept => ({
	id: d.dept_id,
	exId: d.ex_dept_id || d.dept_id,
	name: d.name,
	parentId: d.parent_id ?? '',
	order: d.order ?? 0,
});

const toUser = (u: WpsUser): TargetUser => {
	const fields: Partial<Record<UserField, string>> = {};
	for (const f of USER_FIELDS) fields[f] = String((u as unknown as Record<string, unknown>)[f] ?? '');
	return {
		id: u.user_id,
		exId: u.ex_user_id || u.user_id,
		status: u.status,
		deptIds: u.dept_ids ?? [],
		mainDeptId: u.def_dept_id ?? u.dept_ids?.[0] ?? '',
		leaderId: u.leader_id ?? '',
		fields,
	};
};

const isNotFound = (error: unknown) => error instanceof WpsApiError && error.code === WPS_CODE.notFound;

/** The sync's view of WPS, over the one WPS transport (lib/wps). */
export function wpsDirectory(wps: WpsContacts, opts: { readConcurrency?: number } = {}): DirectoryClient {
	const lanes = opts.readConcurrency ?? 8;
	return {
		calls: () => wps.client.stats.requests + wps.client.stats.tokenRequests,
		async readRoot(rootId) {
			return toDept(rootId ? await wps.depts.get(rootId) : await wps.depts.root());
		},
		async readSubtree(rootId) {
			const out: TargetDept[] = [];
			// Level by level, the departments of one level read side by side.
			for (let level = [rootId]; level.length; ) {
				const children = await mapWithConcurrency(level, lanes, (id) => wps.depts.allChildren(id));
				const next: string[] = [];
				for (const list of children) {
					for (const d of list) {
						out.push(toDept(d));
						next.push(d.dept_id);
					}
				}
				level = next;
			}
			return out;
		},
		async readChildren(deptId) {
			return (await wps.depts.allChildren(deptId)).map(toDept);
		},
		async readUsersUnder(rootId) {
			return (await wps.users.allMembers(rootId, { recursive: true, withDept: true })).map(toUser);
		},
		async readDepts(ids) {
			return ids.length ? (await wps.depts.batchRead(ids)).map(toDept) : [];
		},
		async readUsers(ids) {
			return ids.length ? (await wps.users.batchRead(ids, { withDept: true })).map(toUser) : [];
		},
		async findDeptsByEx(exIds) {
			return exIds.length ? (await wps.depts.byExIds(exIds)).map(toDept) : [];
		},
		async findUsersByEx(exIds) {
			return exIds.length ? (await wps.users.byExIds(exIds, { withDept: true })).map(toUser) : [];
		},
		async unreadableFields() {
			const probe = await wps.users.probeReadableFields();
			const out: UserField[] = [];
			if (!probe.email) out.push('email');
			if (!probe.phone) out.push('phone');
			return out;
		},
		async createDept(input) {
			const d = await wps.depts.create({ name: input.name, parent_id: input.parentId, ex_dept_id: input.exId, order: input.order });
			return d.dept_id;
		},
		async updateDept(id, patch) {
			if (patch.name !== undefined && patch.parentId !== undefined) {
				// A move that also renames goes through a name no sibling can hold, then takes its
				// final name under the new parent: the emulator (and possibly WPS) mis-indexes a
				// combined rename+move when an old sibling already holds the new name.
				await wps.depts.update(id, { parent_id: patch.parentId, name: temporaryName(patch.name, id), order: patch.order });
				await wps.depts.update(id, { name: patch.name });
				return;
			}
			await wps.depts.update(id, { name: patch.name, parent_id: patch.parentId, order: patch.order });
		},
		async deleteDept(id) {
			try {
				await wps.depts.delete(id);
			} catch (error) {
				if (!isNotFound(error)) throw error;
			}
		},
		async createUser(input) {
			const u = await wps.users.create({
				...input.fields,
				user_name: input.fields.user_name ?? input.exId,
				ex_user_id: input.exId,
				dept_ids: input.deptIds,
				def_dept_id: input.mainDeptId,
				leader_id: input.leaderId || undefined,
			});
			return u.user_id;
		},
		async updateUser(id, patch) {
			await wps.users.update(id, {
				...(patch.fields ?? {}),
				ex_user_id: patch.exId,
				leader_id: patch.leaderId,
				dept_ids: patch.deptIds,
				def_dept_id: patch.mainDeptId,
			});
		},
		async setEnabled(ids, enabled) {
			if (enabled) await wps.users.enable(ids);
			else await wps.users.disable(ids);
		},
		async deleteUser(id) {
			try {
				await wps.users.delete(id);
			} catch (error) {
				if (!isNotFound(error)) throw error;
			}
		},
	};
}
