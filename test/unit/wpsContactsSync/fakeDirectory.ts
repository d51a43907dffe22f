import type { DirectoryClient } from '../../../lib/wpsContactsSync/directoryClient';
import type { TargetDept, TargetUser, UserField } from '../../../lib/wpsContactsSync/types';

/**
 * An in-memory tenant at the sync's own level (no HTTP): the safety tests exercise the planner,
 * the apply engine and the state store, not the WPS wire format (that is the contract tests' job).
 * External ids default to the object's own id, as WPS reports them when none was set.
 */
export class FakeDirectory implements DirectoryClient {
	depts = new Map<string, TargetDept>();
	users = new Map<string, TargetUser>();
	writes: string[] = [];
	private reads = 0;
	private seq = 1000;
	/** Called before every write (tests kill a lock or a process here). */
	onWrite?: (n: number, what: string) => void;

	constructor(readonly rootId = 'R') {
		this.depts.set(rootId, { id: rootId, exId: rootId, name: 'Company', parentId: '0', order: 0 });
	}

	/** A department or user made by hand in WPS (no external id: WPS reports its own id). */
	handDept(id: string, name: string, parentId = this.rootId): TargetDept {
		const d = { id, exId: id, name, parentId, order: 0 };
		this.depts.set(id, d);
		return d;
	}
	handUser(
		id: string,
		name: string,
		deptIds = [this.rootId],
		fields: Partial<Record<UserField, string>> = {},
	): TargetUser {
		const u: TargetUser = {
			id,
			exId: id,
			status: 'active',
			deptIds,
			mainDeptId: deptIds[0],
			leaderId: '',
			fields: { user_name: name, ...fields },
		};
		this.users.set(id, u);
		return u;
	}
	deptByEx(ex: string): TargetDept | undefined {
		return [...this.depts.values()].find((d) => d.exId === ex && d.id !== this.rootId);
	}
	userByEx(ex: string): TargetUser | undefined {
		return [...this.users.values()].find((u) => u.exId === ex);
	}

	private write(what: string): void {
		this.writes.push(what);
		this.onWrite?.(this.writes.length, what);
	}
	private under(id: string): boolean {
		for (let d = this.depts.get(id); d; d = this.depts.get(d.parentId)) if (d.id === this.rootId) return true;
		return false;
	}
	private copyDept = (d: TargetDept): TargetDept => ({ ...d, parentId: d.id === this.rootId ? '' : d.parentId });
	private copyUser = (u: TargetUser): TargetUser => ({ ...u, deptIds: [...u.deptIds], fields: { ...u.fields } });

	calls() {
		return this.reads + this.writes.length;
	}
	async readRoot(rootId: string) {
		this.reads++;
		return this.copyDept(this.depts.get(rootId || this.rootId)!);
	}
	async readSubtree(rootId: string) {
		this.reads++;
		return [...this.depts.values()].filter((d) => d.id !== rootId && this.under(d.id)).map(this.copyDept);
	}
	async readChildren(deptId: string) {
		this.reads++;
		return [...this.depts.values()].filter((d) => d.parentId === deptId && d.id !== this.rootId).map(this.copyDept);
	}
	async readUsersUnder() {
		this.reads++;
		return [...this.users.values()].filter((u) => u.deptIds.some((d) => this.under(d))).map(this.copyUser);
	}
	/** One read call: copies of the objects found for `keys`, those not found left out. */
	private readFound<T>(keys: string[], lookup: (key: string) => T | undefined, copy: (t: T) => T): T[] {
		this.reads++;
		return keys
			.map(lookup)
			.filter((x): x is T => !!x)
			.map(copy);
	}
	async readDepts(ids: string[]) {
		return this.readFound(ids, (id) => this.depts.get(id), this.copyDept);
	}
	async readUsers(ids: string[]) {
		return this.readFound(ids, (id) => this.users.get(id), this.copyUser);
	}
	async findDeptsByEx(exIds: string[]) {
		return this.readFound(exIds, (ex) => this.deptByEx(ex), this.copyDept);
	}
	async findUsersByEx(exIds: string[]) {
		return this.readFound(exIds, (ex) => this.userByEx(ex), this.copyUser);
	}
	async unreadableFields(): Promise<UserField[]> {
		return [];
	}
	async createDept(input: { name: string; parentId: string; exId: string; order?: number }) {
		this.write(`createDept ${input.exId}`);
		const id = `D${++this.seq}`;
		this.depts.set(id, {
			id,
			exId: input.exId || id,
			name: input.name,
			parentId: input.parentId,
			order: input.order ?? 0,
		});
		return id;
	}
	async updateDept(id: string, patch: { name?: string; parentId?: string; order?: number }) {
		this.write(`updateDept ${id}`);
		const d = this.depts.get(id)!;
		if (patch.name !== undefined) d.name = patch.name;
		if (patch.parentId !== undefined) d.parentId = patch.parentId;
		if (patch.order !== undefined) d.order = patch.order;
	}
	async deleteDept(id: string) {
		this.write(`deleteDept ${id}`);
		this.depts.delete(id);
	}
	async createUser(input: {
		exId: string;
		fields: Partial<Record<UserField, string>>;
		deptIds: string[];
		mainDeptId: string;
		leaderId?: string;
	}) {
		this.write(`createUser ${input.exId}`);
		const id = `U${++this.seq}`;
		this.users.set(id, {
			id,
			exId: input.exId,
			status: 'active',
			deptIds: [...input.deptIds],
			mainDeptId: input.mainDeptId,
			leaderId: input.leaderId ?? '',
			fields: { ...input.fields },
		});
		return id;
	}
	async updateUser(id: string, patch: Parameters<DirectoryClient['updateUser']>[1]) {
		this.write(`updateUser ${id}`);
		const u = this.users.get(id)!;
		if (patch.exId) u.exId = patch.exId;
		if (patch.fields) Object.assign(u.fields, patch.fields);
		if (patch.leaderId !== undefined) u.leaderId = patch.leaderId;
		if (patch.deptIds) u.deptIds = [...patch.deptIds];
		if (patch.mainDeptId) u.mainDeptId = patch.mainDeptId;
	}
	async setEnabled(ids: string[], enabled: boolean) {
		this.write(`${enabled ? 'enable' : 'disable'} ${ids.join(',')}`);
		for (const id of ids) this.users.get(id)!.status = enabled ? 'active' : 'disabled';
	}
	async deleteUser(id: string) {
		this.write(`deleteUser ${id}`);
		this.users.delete(id);
	}
}
