import { mapWithConcurrency } from '../resilience';
import type { WpsContacts, WpsDept, WpsUser } from '../wps';
import type { DirectoryClient } from './directoryClient';
import { temporaryName } from './ordering';
import { SCOPED_FIELDS, type TargetDept, type TargetUser, USER_FIELDS, type UserField } from './types';

const toDept = (d: WpsDept): TargetDept => ({
	id: d.id,
	exId: d.ex_dept_id || d.id,
	name: d.name,
	parentId: d.parent_id,
	order: d.order ?? 0,
});

const toUser = (u: WpsUser): TargetUser => {
	const fields: Partial<Record<UserField, string>> = {};
	for (const f of USER_FIELDS) fields[f] = String(u[f] ?? '');
	const deptIds = (u.depts ?? []).map((d) => d.id);
	return {
		id: u.id,
		exId: u.ex_user_id || u.id,
		status: u.status,
		deptIds,
		mainDeptId: u.def_dept_id || deptIds[0] || '',
		leaderId: u.leader_id ?? '',
		fields,
	};
};

export interface WpsDirectoryOptions {
	readConcurrency?: number;
	/**
	 * Personal fields the app holds the read scope of (the credential says so). The others read back
	 * empty whatever their value, and nothing refuses the read, so they are never compared or written.
	 * Default: none.
	 */
	readableFields?: readonly UserField[];
}

/** The sync's view of WPS, over the one WPS transport (lib/wps). docs/wps-api.md says which call serves what. */
export function wpsDirectory(wps: WpsContacts, opts: WpsDirectoryOptions = {}): DirectoryClient {
	const lanes = opts.readConcurrency ?? 8;
	const readable = new Set(opts.readableFields ?? []);
	/** Short users (by_ex_user_ids) completed with ex id, leader and departments. */
	const complete = async (users: WpsUser[]) =>
		users.length
			? (
					await wps.users.batchRead(
						users.map((u) => u.id),
						{ withDept: true },
					)
				).map(toUser)
			: [];
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
						next.push(d.id);
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
			return (await wps.users.allUsersUnder(rootId)).map(toUser);
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
			return exIds.length ? complete(await wps.users.byExIds(exIds)) : [];
		},
		async unreadableFields() {
			return (Object.keys(SCOPED_FIELDS) as UserField[]).filter((f) => !readable.has(f));
		},
		async createDept(input) {
			const d = await wps.depts.create({
				name: input.name,
				parent_id: input.parentId,
				ex_dept_id: input.exId,
				order: input.order,
			});
			return d.id;
		},
		async updateDept(id, patch) {
			if (patch.name !== undefined && patch.parentId !== undefined) {
				// A move that also renames goes through a name no sibling can hold, then takes its
				// final name under the new parent: how WPS judges a combined rename+move against an
				// old sibling that holds the new name is unverified.
				await wps.depts.update(id, {
					parent_id: patch.parentId,
					name: temporaryName(patch.name, id),
					order: patch.order,
				});
				await wps.depts.update(id, { name: patch.name });
				return;
			}
			await wps.depts.update(id, { name: patch.name, parent_id: patch.parentId, order: patch.order });
		},
		async deleteDept(id) {
			try {
				await wps.depts.delete(id);
			} catch (error) {
				if (!(error as { notFound?: boolean }).notFound) throw error;
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
			return u.id;
		},
		async updateUser(id, patch) {
			const fields: Record<string, string | undefined> = {
				...(patch.fields ?? {}),
				ex_user_id: patch.exId,
				leader_id: patch.leaderId,
			};
			if (patch.deptIds) {
				// Departments change only through membership calls (no page documents dept_ids on update):
				// add before remove, so the user never has none; the main department moves in between.
				const current = (await wps.users.get(id, { withDept: true })).depts?.map((d) => d.id) ?? [];
				const wanted = [...new Set(patch.deptIds)];
				for (const d of wanted) if (!current.includes(d)) await wps.users.addMember(d, id);
				if (patch.mainDeptId) fields.def_dept_id = patch.mainDeptId;
				const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
				if (Object.keys(body).length) await wps.users.update(id, body);
				for (const d of current) if (!wanted.includes(d)) await wps.users.removeMember(d, id);
				return;
			}
			if (patch.mainDeptId) fields.def_dept_id = patch.mainDeptId;
			const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
			if (Object.keys(body).length) await wps.users.update(id, body);
		},
		async setEnabled(ids, enabled) {
			if (enabled) await wps.users.enable(ids);
			else await wps.users.disable(ids);
		},
		async deleteUser(id) {
			try {
				await wps.users.delete(id);
			} catch (error) {
				if (!(error as { notFound?: boolean }).notFound) throw error;
			}
		},
	};
}
