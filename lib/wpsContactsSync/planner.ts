import type { DesiredState, DesiredUser } from './desiredState';
import { orderOperations, type SlotEdge } from './ordering';
import { ROOT_EX } from './types';
import type {
	Blocked,
	DeptRef,
	DeptValues,
	Operation,
	OperationKind,
	TargetDept,
	TargetState,
	TargetUser,
	UserField,
	UserValues,
} from './types';

/**
 * Turns "what WPS should hold" into operations with their dependencies, then orders them:
 * parents before children (create, move), a sibling name freed before it is claimed (through a
 * temporary rename when two claims wait on each other), members moved out before a department is
 * deleted, children deleted before parents. Operations that cannot be planned (a name held by a
 * hand-made department, a department that still holds objects the sync does not own) are
 * reported as blocked together with every operation that depends on them.
 */
export function planOperations(
	current: TargetState,
	desired: DesiredState,
): { operations: Operation[]; blocked: Blocked[] } {
	return new Planner(current, desired).run();
}

interface DeptOps {
	create?: string;
	place?: string;
	reorder?: string;
	delete?: string;
}

/** What every user's planning looks up (see userPlanScope). */
interface UserPlanScope {
	managedDeptIds: Set<string>;
	deletedDeptIds: Set<string>;
	desiredUserExs: Set<string>;
	/** New users whose new leader is named in their create (see leadersSetInCreate). */
	leaderInCreate: Set<string>;
}

interface LeaderLink {
	current?: TargetUser;
	/** The leader is a user this plan creates. */
	isNew: boolean;
}

const slotKey = (parentKey: string, name: string) => `${parentKey}\u0000${name}`;

class Planner {
	private readonly ops = new Map<string, Operation>();
	private readonly deps = new Map<string, Set<string>>();
	private readonly deptOps = new Map<string, DeptOps>();
	private readonly userOps = new Map<string, { create?: string; move?: string; delete?: string }>();
	private readonly slotEdges: SlotEdge[] = [];
	/** op id -> why it cannot run. */
	private readonly blockedReasons = new Map<string, string>();

	private readonly root: TargetDept;
	private readonly deptById = new Map<string, TargetDept>();
	private readonly deptByEx = new Map<string, TargetDept>();
	private readonly children = new Map<string, TargetDept[]>();
	private readonly slots = new Map<string, string>();
	private readonly members = new Map<string, TargetUser[]>();
	private readonly userById = new Map<string, TargetUser>();
	private readonly userByEx = new Map<string, TargetUser>();
	private readonly desiredDeptByEx: Map<string, DesiredState['depts'][number]>;

	constructor(
		current: TargetState,
		private readonly desired: DesiredState,
	) {
		this.root = current.depts.find((d) => d.id === current.rootId) ?? {
			id: current.rootId,
			exId: current.rootId,
			name: '',
			parentId: '',
			order: 0,
		};
		this.deptByEx.set(ROOT_EX, this.root);
		for (const d of [this.root, ...current.depts.filter((d) => d.id !== current.rootId)]) {
			this.deptById.set(d.id, d);
			if (d.id !== this.root.id) this.deptByEx.set(d.exId, d);
			if (d.id !== this.root.id) {
				push(this.children, d.parentId, d);
				this.slots.set(slotKey(d.parentId, d.name), d.id);
			}
		}
		for (const u of current.users) {
			this.userById.set(u.id, u);
			this.userByEx.set(u.exId, u);
			for (const d of u.deptIds) push(this.members, d, u);
		}
		this.desiredDeptByEx = new Map(desired.depts.map((d) => [d.ex, d]));
	}

	run(): { operations: Operation[]; blocked: Blocked[] } {
		this.planDepts();
		this.planUsers();
		this.linkDepts();
		this.linkDeletes();
		const blocked = this.removeBlocked();
		const operations = orderOperations(
			[...this.ops.values()].map((op) => ({ ...op, dependsOn: [...(this.deps.get(op.id) ?? [])] })),
			this.slotEdges.filter((e) => this.ops.has(e.claimer) && this.ops.has(e.holderOp)),
			(ex) => {
				const d = this.deptByEx.get(ex)!;
				return { wpsId: d.id, name: d.name, label: d.name };
			},
		);
		return { operations, blocked };
	}

	// ---- helpers -------------------------------------------------------------------------------

	private add(op: Omit<Operation, 'dependsOn'>, deps: (string | undefined)[] = []): string {
		this.ops.set(op.id, { ...op, dependsOn: [] });
		const set = new Set<string>();
		for (const d of deps) if (d) set.add(d);
		this.deps.set(op.id, set);
		return op.id;
	}

	/** Adds the operation `<kind>:<exId>` on the kind's object (with its WPS id where the object exists). */
	private addOp(
		kind: OperationKind,
		target: { exId: string; wpsId?: string; label: string },
		before: Operation['before'],
		after: Operation['after'],
		deps?: (string | undefined)[],
	): string {
		const object = kind.startsWith('dept.') ? 'dept' : 'user';
		return this.add({ id: `${kind}:${target.exId}`, kind, object, ...target, before, after }, deps);
	}

	private depend(opId: string, on: string | undefined): void {
		if (on && on !== opId) this.deps.get(opId)!.add(on);
	}

	private deptRef(ex: string): DeptRef {
		const cur = this.deptByEx.get(ex);
		return cur ? { ex, id: cur.id } : { ex };
	}

	private refOfId(id: string): DeptRef {
		if (id === this.root.id) return { ex: ROOT_EX, id };
		const cur = this.deptById.get(id);
		return { ex: cur?.exId ?? '', id };
	}

	private deptOpsOf(ex: string): DeptOps {
		let ops = this.deptOps.get(ex);
		if (!ops) this.deptOps.set(ex, (ops = {}));
		return ops;
	}

	// ---- departments ---------------------------------------------------------------------------

	private planDepts(): void {
		for (const d of this.desired.depts) {
			const cur = this.deptByEx.get(d.ex);
			const parent = this.deptRef(d.parentEx);
			const ops = this.deptOpsOf(d.ex);
			if (!cur) {
				const after: DeptValues = { name: d.name, parent };
				if (d.order !== undefined) after.order = d.order;
				ops.create = this.addOp('dept.create', { exId: d.ex, label: d.name }, null, after);
				continue;
			}
			const parentChanged = parent.id !== cur.parentId;
			const nameChanged = cur.name !== d.name;
			const orderChanged = d.order !== undefined && d.order !== cur.order;
			if (parentChanged || nameChanged) {
				const before: DeptValues = { name: cur.name, parent: this.refOfId(cur.parentId) };
				const after: DeptValues = { name: d.name, parent };
				if (orderChanged) {
					before.order = cur.order;
					after.order = d.order;
				}
				const kind = parentChanged ? 'dept.move' : 'dept.rename';
				ops.place = this.addOp(kind, { exId: d.ex, wpsId: cur.id, label: d.name }, before, after);
			} else if (orderChanged) {
				ops.reorder = this.addOp(
					'dept.reorder',
					{ exId: d.ex, wpsId: cur.id, label: d.name },
					{ order: cur.order },
					{ order: d.order },
				);
			}
		}
		for (const ex of this.desired.deleteDepts) {
			const cur = this.deptByEx.get(ex);
			if (!cur || cur.id === this.root.id || this.desiredDeptByEx.has(ex)) continue;
			this.deptOpsOf(ex).delete = this.addOp(
				'dept.delete',
				{ exId: ex, wpsId: cur.id, label: cur.name },
				{ name: cur.name, parent: this.refOfId(cur.parentId), order: cur.order },
				null,
			);
		}
	}

	/** Parent-first and free-name-first dependencies of creates and placements. */
	private linkDepts(): void {
		for (const d of this.desired.depts) {
			const ops = this.deptOps.get(d.ex)!;
			const opId = ops.create ?? ops.place;
			if (!opId) continue;
			// The nearest final ancestor that is created or moved must be in place first; by induction
			// the whole final chain above is then in place, so this move never goes under its own descendant.
			for (let p = this.desiredDeptByEx.get(d.parentEx); p; p = this.desiredDeptByEx.get(p.parentEx)) {
				const pOps = this.deptOps.get(p.ex)!;
				const pOp = pOps.create ?? pOps.place;
				if (pOp) {
					this.depend(opId, pOp);
					break;
				}
			}
			const parentCur = this.deptByEx.get(d.parentEx);
			if (!parentCur) continue; // a new parent has no children yet
			const holderId = this.slots.get(slotKey(parentCur.id, d.name));
			const self = this.deptByEx.get(d.ex);
			if (holderId === undefined || holderId === self?.id) continue;
			const holder = this.deptById.get(holderId)!;
			const hOps = this.deptOps.get(holder.exId);
			const vacate = hOps?.place ?? hOps?.delete;
			if (vacate) this.slotEdges.push({ claimer: opId, holderOp: vacate, holderEx: holder.exId });
			else {
				this.blockedReasons.set(
					opId,
					`the name "${d.name}" is taken under its parent by department ${holder.id} (${holder.exId}), which the sync does not manage or keeps there`,
				);
			}
		}
	}

	/** A department is deleted only once its children and members are gone; children-first. */
	private linkDeletes(): void {
		for (const ex of this.desired.deleteDepts) {
			const opId = this.deptOps.get(ex)?.delete;
			if (!opId) continue;
			const cur = this.deptByEx.get(ex)!;
			const stuck: string[] = [];
			for (const child of this.children.get(cur.id) ?? []) {
				const cOps = this.deptOps.get(child.exId);
				const vacate = cOps?.place && this.movesOut(child) ? cOps.place : cOps?.delete;
				if (vacate) this.depend(opId, vacate);
				else stuck.push(`department ${child.name} (${child.id})`);
			}
			for (const member of this.members.get(cur.id) ?? []) {
				const uOps = this.userOps.get(member.exId);
				const vacate = uOps?.move ?? uOps?.delete;
				if (vacate) this.depend(opId, vacate);
				else stuck.push(`user ${member.fields.user_name ?? member.id} (${member.id})`);
			}
			if (stuck.length) {
				this.blockedReasons.set(
					opId,
					`it still holds objects the sync does not manage: ${stuck.slice(0, 5).join(', ')}${stuck.length > 5 ? ` and ${stuck.length - 5} more` : ''}`,
				);
			}
		}
	}

	private movesOut(child: TargetDept): boolean {
		const d = this.desiredDeptByEx.get(child.exId);
		return !!d && this.deptByEx.get(d.parentEx)?.id !== child.parentId;
	}

	// ---- users ---------------------------------------------------------------------------------

	private planUsers(): void {
		const scope = this.userPlanScope();
		for (const u of this.desired.users) {
			const cur = u.adoptId ? this.userById.get(u.adoptId) : this.userByEx.get(u.ex);
			const ops: { create?: string; move?: string } = {};
			this.userOps.set(u.ex, ops);
			const label = u.fields.user_name ?? cur?.fields.user_name ?? u.ex;
			const leader = this.leaderOf(u, scope);
			if (!cur) {
				ops.create = this.planUserCreate(u, label, leader, scope);
				continue;
			}
			this.planUserUpdate(u, cur, label, leader);
			ops.move = this.planMemberships(u, cur, label, scope);
			this.planStatusChange(u, cur, label);
		}
		this.planUserDeletes(scope.desiredUserExs);
	}

	/** What every user's planning looks up: the departments the sync manages or deletes, the users it keeps. */
	private userPlanScope(): UserPlanScope {
		const managedDeptIds = new Set<string>();
		for (const ex of [
			...this.desiredDeptByEx.keys(),
			...this.desired.deleteDepts,
			...(this.desired.managedDeptExs ?? []),
		]) {
			const cur = this.deptByEx.get(ex);
			if (cur) managedDeptIds.add(cur.id);
		}
		const deletedDeptIds = new Set(
			this.desired.deleteDepts.map((ex) => this.deptByEx.get(ex)?.id).filter((id): id is string => !!id),
		);
		return {
			managedDeptIds,
			deletedDeptIds,
			desiredUserExs: new Set(this.desired.users.map((u) => u.ex)),
			leaderInCreate: this.leadersSetInCreate(),
		};
	}

	/** The user's leader as WPS holds it, and whether the leader is a user this plan creates. */
	private leaderOf(u: DesiredUser, scope: UserPlanScope): LeaderLink {
		const current = u.leaderEx ? this.userByEx.get(u.leaderEx) : undefined;
		return { current, isNew: !!u.leaderEx && !current && scope.desiredUserExs.has(u.leaderEx) };
	}

	/** A new account, in its departments (after their creates), disabled at once when the source says so. */
	private planUserCreate(u: DesiredUser, label: string, leader: LeaderLink, scope: UserPlanScope): string {
		const depts = (u.depts ?? []).map((ex) => this.deptRef(ex));
		const fields = Object.fromEntries(Object.entries(u.fields).filter(([, v]) => v !== '' && v !== undefined));
		const after: UserValues = {
			fields,
			depts,
			mainDept: this.deptRef(u.mainDept ?? u.depts?.[0] ?? ROOT_EX),
			status: 'active',
		};
		if (leader.current) after.leader = { ex: u.leaderEx!, id: leader.current.id };
		// A leader created in the same plan goes into this create, after the leader's own create (one call
		// per user); only a cycle of new users leading each other needs a second call.
		const inCreate = leader.isNew && scope.leaderInCreate.has(u.ex);
		if (inCreate) after.leader = { ex: u.leaderEx! };
		const create = this.addOp('user.create', { exId: u.ex, label }, null, after, [
			...(u.depts ?? []).map((ex) => this.createOf(ex)),
			inCreate ? `user.create:${u.leaderEx}` : undefined,
		]);
		if (leader.isNew && !inCreate) this.addLeaderUpdate(u.ex, label, undefined, null, u.leaderEx!, [create]);
		if (u.status === 'disabled') {
			this.addOp('user.disable', { exId: u.ex, label }, { status: 'active' }, { status: 'disabled' }, [create]);
		}
		return create;
	}

	/** Changed fields and leader of an existing account (and the link itself on adoption). */
	private planUserUpdate(u: DesiredUser, cur: TargetUser, label: string, leader: LeaderLink): void {
		const before: UserValues = {};
		const after: UserValues = {};
		for (const [field, value] of Object.entries(u.fields) as [UserField, string][]) {
			const now = cur.fields[field] ?? '';
			if (value !== now) {
				(before.fields ??= {})[field] = now;
				(after.fields ??= {})[field] = value;
			}
		}
		if (u.adoptId) {
			before.exId = cur.exId;
			after.exId = u.ex;
		}
		if (u.leaderEx !== undefined) {
			const wantId = leader.current?.id ?? '';
			if (!leader.isNew && wantId !== cur.leaderId) {
				before.leader = this.leaderRefOf(cur);
				after.leader = leader.current ? { ex: u.leaderEx!, id: leader.current.id } : null;
			}
		}
		if (Object.keys(after).length) {
			this.addOp('user.update', { exId: u.ex, wpsId: cur.id, label }, before, after);
		}
		if (leader.isNew) this.addLeaderUpdate(u.ex, label, cur.id, this.leaderRefOf(cur), u.leaderEx!, []);
	}

	/**
	 * The departments an existing account belongs to: the source's, plus (by default) those the sync does not
	 * manage; a user the sync leaves alone keeps its departments but leaves deleted ones. Returns the move's id.
	 */
	private planMemberships(u: DesiredUser, cur: TargetUser, label: string, scope: UserPlanScope): string | undefined {
		let wanted: DeptRef[];
		let main: DeptRef;
		if (u.depts === undefined) {
			const kept = cur.deptIds.filter((id) => !scope.deletedDeptIds.has(id));
			wanted = (kept.length ? kept : [this.root.id]).map((id) => this.refOfId(id));
			main = wanted.some((r) => r.id === cur.mainDeptId) ? this.refOfId(cur.mainDeptId) : wanted[0];
		} else {
			const keep = this.desired.keepUnmanagedMemberships
				? cur.deptIds.filter((id) => !scope.managedDeptIds.has(id))
				: [];
			wanted = [...u.depts.map((ex) => this.deptRef(ex)), ...keep.map((id) => this.refOfId(id))];
			main = this.deptRef(u.mainDept ?? u.depts[0]);
		}
		const sameSet =
			wanted.every((r) => r.id !== undefined) &&
			wanted.length === cur.deptIds.length &&
			wanted.every((r) => cur.deptIds.includes(r.id!));
		if (sameSet && main.id === cur.mainDeptId) return undefined;
		return this.addOp(
			'user.move',
			{ exId: u.ex, wpsId: cur.id, label },
			{ depts: cur.deptIds.map((id) => this.refOfId(id)), mainDept: this.refOfId(cur.mainDeptId) },
			{ depts: wanted, mainDept: main },
			wanted.map((r) => this.createOf(r.ex)),
		);
	}

	/** A re-hire is re-enabled, never re-created; a leaver is disabled first. */
	private planStatusChange(u: DesiredUser, cur: TargetUser, label: string): void {
		const kind =
			u.status === 'active' && cur.status === 'disabled'
				? 'user.enable'
				: u.status === 'disabled' && cur.status !== 'disabled'
					? 'user.disable'
					: undefined;
		if (!kind) return;
		this.addOp(
			kind,
			{ exId: u.ex, wpsId: cur.id, label },
			{ status: cur.status },
			{ status: kind === 'user.enable' ? 'active' : 'disabled' },
		);
	}

	/** Leavers past their grace period, deleted with everything a reverse plan needs to bring them back. */
	private planUserDeletes(desiredUserExs: Set<string>): void {
		for (const ex of this.desired.deleteUsers) {
			const cur = this.userByEx.get(ex);
			if (!cur || desiredUserExs.has(ex)) continue;
			this.userOps.set(ex, {
				delete: this.addOp(
					'user.delete',
					{ exId: ex, wpsId: cur.id, label: cur.fields.user_name ?? ex },
					{
						fields: { ...cur.fields },
						depts: cur.deptIds.map((id) => this.refOfId(id)),
						mainDept: this.refOfId(cur.mainDeptId),
						leader: this.leaderRefOf(cur),
						status: cur.status,
					},
					null,
				),
			});
		}
	}

	private createOf(deptEx: string): string | undefined {
		return this.deptOps.get(deptEx)?.create;
	}

	/** The account's current leader as a reference (null: none). */
	private leaderRefOf(cur: TargetUser): UserValues['leader'] {
		return cur.leaderId ? { ex: this.userById.get(cur.leaderId)?.exId ?? '', id: cur.leaderId } : null;
	}

	/**
	 * New users whose leader, also new, can be named in their create: following the leader chain through new
	 * users never comes back to itself. Users in (or leading into) a cycle get their leader by an update.
	 */
	private leadersSetInCreate(): Set<string> {
		const isNew = (ex: string) => !this.userByEx.get(ex);
		const desired = new Set(this.desired.users.map((u) => u.ex));
		const leaderOf = new Map<string, string>();
		for (const u of this.desired.users) {
			if (u.leaderEx && isNew(u.ex) && desired.has(u.leaderEx) && isNew(u.leaderEx)) leaderOf.set(u.ex, u.leaderEx);
		}
		// Only users on a cycle are refused: one leading into a cycle waits for a create that waits for nobody.
		const inCycle = new Set<string>();
		const done = new Set<string>();
		for (const start of leaderOf.keys()) {
			const path: string[] = [];
			const index = new Map<string, number>();
			for (let ex: string | undefined = start; ex !== undefined && !done.has(ex); ex = leaderOf.get(ex)) {
				if (index.has(ex)) {
					for (const p of path.slice(index.get(ex))) inCycle.add(p);
					break;
				}
				index.set(ex, path.length);
				path.push(ex);
			}
			for (const p of path) done.add(p);
		}
		return new Set([...leaderOf.keys()].filter((ex) => !inCycle.has(ex)));
	}

	/** A leader created in the same plan, set after both accounts exist: only for leader cycles among new users. */
	private addLeaderUpdate(
		ex: string,
		label: string,
		wpsId: string | undefined,
		before: UserValues['leader'],
		leaderEx: string,
		deps: (string | undefined)[],
	): void {
		this.add(
			{
				id: `user.update:${ex}:leader`,
				kind: 'user.update',
				object: 'user',
				exId: ex,
				wpsId,
				label,
				before: { leader: before },
				after: { leader: { ex: leaderEx } },
			},
			[...deps, `user.create:${leaderEx}`],
		);
	}

	// ---- blocked -------------------------------------------------------------------------------

	/** Removes blocked operations and everything depending on them, and says so. */
	private removeBlocked(): Blocked[] {
		if (this.blockedReasons.size === 0) return [];
		const dependents = new Map<string, string[]>();
		for (const [id, deps] of this.deps) for (const d of deps) push(dependents, d, id);
		for (const e of this.slotEdges) push(dependents, e.holderOp, e.claimer);
		const blocked: Blocked[] = [];
		for (const [opId, reason] of this.blockedReasons) {
			if (!this.ops.has(opId)) continue;
			const op = this.ops.get(opId)!;
			const skipped: string[] = [];
			const queue = [opId];
			while (queue.length) {
				const id = queue.pop()!;
				if (!this.ops.has(id)) continue;
				this.ops.delete(id);
				if (id !== opId) skipped.push(id);
				queue.push(...(dependents.get(id) ?? []));
			}
			blocked.push({
				object: op.object,
				exId: op.exId,
				label: op.label,
				reason: `${op.kind} cannot run: ${reason}`,
				skipped,
			});
		}
		return blocked;
	}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}
