import type { DesiredDept, DesiredState, DesiredUser } from './desiredState';
import { type Records, cloneRecords } from './records';
import {
	type Conflict,
	ROOT_EX,
	type Source,
	type TargetDept,
	type TargetState,
	type TargetUser,
	type UserField,
} from './types';

export type ConflictStrategy = 'sourceWins' | 'targetWins' | 'newerWins' | 'manual';
export type AdoptionKey = 'email' | 'phone' | 'employee_id';

export interface SyncRuleOptions {
	now: number;
	/** Days between the sync disabling a leaver and hard-deleting the account. */
	graceDays: number;
	conflictStrategy: ConflictStrategy;
	/** First-run soft match of unlinked accounts, in this order (empty: off). */
	adoptBy: AdoptionKey[];
	/** Fields the app cannot read: never written. */
	unreadable: UserField[];
	/** A full read: records of objects missing from `current` are forgotten. */
	fullRead: boolean;
	/**
	 * Fields a blank source value may clear in WPS. Any other field with a blank source value is left
	 * as WPS holds it: a NULL column (a failed join, a renamed column) must not wipe 50,000 emails.
	 */
	clearBlank?: UserField[];
}

export interface SyncRuleResult {
	desired: DesiredState;
	conflicts: Conflict[];
	/** The records as they stand before this plan (folded with the plan's operations after apply). */
	base: Records;
}

const DAY_MS = 86_400_000;

/**
 * The sync's rules, from the source to "what WPS should hold": hard match on external ids,
 * optional first-run adoption, ownership (only what the source names or the records hold is
 * touched), conflict strategies against the records, leavers disabled then deleted after the
 * grace period, a returning user re-enabled.
 */
export function desiredFromSource(
	source: Source,
	current: TargetState,
	records: Records,
	opts: SyncRuleOptions,
): SyncRuleResult {
	const target = indexTarget(current);
	const base = cloneRecords(records);
	if (opts.fullRead) forgetVanished(base, target);
	const rules: RuleContext = { source, current, target, base, opts, conflicts: [] };
	const depts = desiredDepts(rules);
	const deleteDepts = [...base.depts.keys()].filter((ex) => !depts.sourceIds.has(ex) && target.deptByEx.has(ex));
	const users = desiredUsers(rules);
	const leaving = leavers(rules);
	return {
		desired: {
			depts: depts.desired,
			users: [...users, ...leaving.disable],
			deleteDepts,
			deleteUsers: leaving.deleteUsers,
			keepUnmanagedMemberships: true,
		},
		conflicts: rules.conflicts,
		base,
	};
}

/** WPS as read, looked up by external id and by WPS id. */
interface TargetIndex {
	deptByEx: Map<string, TargetDept>;
	deptById: Map<string, TargetDept>;
	userByEx: Map<string, TargetUser>;
	userById: Map<string, TargetUser>;
}

/** What every rule works with; `conflicts` collects what the rules found. */
interface RuleContext {
	source: Source;
	current: TargetState;
	target: TargetIndex;
	/** The records, taking in the objects first seen now. */
	base: Records;
	opts: SyncRuleOptions;
	conflicts: Conflict[];
}

function indexTarget(current: TargetState): TargetIndex {
	const index: TargetIndex = { deptByEx: new Map(), deptById: new Map(), userByEx: new Map(), userById: new Map() };
	for (const d of current.depts) {
		index.deptById.set(d.id, d);
		if (d.id !== current.rootId) index.deptByEx.set(d.exId, d);
	}
	for (const u of current.users) {
		index.userByEx.set(u.exId, u);
		index.userById.set(u.id, u);
	}
	return index;
}

/** After a full read: records of objects WPS no longer holds (or holds under another id) are forgotten. */
function forgetVanished(base: Records, target: TargetIndex): void {
	for (const [ex, r] of base.depts) if (target.deptByEx.get(ex)?.id !== r.data.id) base.depts.delete(ex);
	for (const [ex, r] of base.users) if (target.userByEx.get(ex)?.id !== r.data.id) base.users.delete(ex);
}

/**
 * How a conflict (edited in WPS since the sync wrote it, and the source wants otherwise) is resolved. Newer Wins:
 * the source's time against WPS's own modification time of the object where a read reports one, else against the
 * time this sync last wrote it (docs/wps-api.md says which reads do).
 */
function resolveConflict(
	strategy: ConflictStrategy,
	updatedAt: number | undefined,
	writtenAt: number,
	mtime: number | undefined,
): 'sourceWins' | 'targetWins' | 'manual' {
	if (strategy === 'newerWins')
		return updatedAt === undefined || updatedAt > (mtime ?? writtenAt) ? 'sourceWins' : 'targetWins';
	return strategy;
}

/** Every source department as WPS should hold it, unless a conflict keeps the WPS edit. */
function desiredDepts(rules: RuleContext): { desired: DesiredDept[]; sourceIds: Set<string> } {
	const { source, current, target, base, opts, conflicts } = rules;
	const exOfParent = (parentId: string) =>
		parentId === current.rootId ? ROOT_EX : (target.deptById.get(parentId)?.exId ?? '');
	const desired: DesiredDept[] = [];
	for (const d of source.depts) {
		let want: DesiredDept = { ex: d.id, name: d.name, parentEx: d.parentId || ROOT_EX };
		if (source.manages.order) want.order = d.order ?? 0;
		const cur = target.deptByEx.get(d.id);
		const rec = base.depts.get(d.id);
		if (cur && !rec) base.depts.set(d.id, { kind: 'dept', ex: d.id, data: { ...cur }, writtenAt: 0 });
		if (cur && rec) {
			const edited =
				rec.data.name !== cur.name ||
				rec.data.parentId !== cur.parentId ||
				(want.order !== undefined && rec.data.order !== cur.order);
			const wantParentId = want.parentEx === ROOT_EX ? current.rootId : target.deptByEx.get(want.parentEx)?.id;
			const differs =
				want.name !== cur.name ||
				wantParentId !== cur.parentId ||
				(want.order !== undefined && want.order !== cur.order);
			if (edited && differs) {
				const resolution = resolveConflict(opts.conflictStrategy, d.updatedAt, rec.writtenAt, cur.mtime);
				const keep: DesiredDept = { ex: d.id, name: cur.name, parentEx: exOfParent(cur.parentId) };
				if (want.order !== undefined) keep.order = cur.order;
				conflicts.push({
					object: 'dept',
					exId: d.id,
					wpsId: cur.id,
					label: d.name,
					lastWritten: deptView(rec.data),
					target: deptView(cur),
					source: { name: want.name, parentEx: want.parentEx, order: want.order },
					resolution,
				});
				if (resolution !== 'sourceWins') want = keep;
			}
		}
		desired.push(want);
	}
	return { desired, sourceIds: new Set(source.depts.map((d) => d.id)) };
}

/** Every source user as WPS should hold them: linked by external id, or adopted; a conflict may keep the WPS edit. */
function desiredUsers(rules: RuleContext): DesiredUser[] {
	const { source, target, base, opts, conflicts } = rules;
	const fields = source.manages.fields.filter((f) => !opts.unreadable.includes(f));
	const adoptable = adoptionIndex(rules.current.users, base, opts.adoptBy);
	const clearBlank = new Set(opts.clearBlank ?? []);
	const users: DesiredUser[] = [];
	for (const s of source.users) {
		const wantFields: Partial<Record<UserField, string>> = {};
		for (const f of fields) {
			const value = s.fields[f] ?? '';
			if (value === '' && !clearBlank.has(f)) continue; // a blank keeps what WPS holds
			wantFields[f] = value;
		}
		let want: DesiredUser = {
			ex: s.id,
			status: 'active',
			fields: wantFields,
			depts: s.deptIds,
			mainDept: s.mainDeptId ?? s.deptIds[0],
		};
		if (source.manages.leader) want.leaderEx = s.leaderId ?? null;
		let cur = target.userByEx.get(s.id);
		if (!cur && adoptable) {
			cur = adopt(s, adoptable, opts.adoptBy);
			if (cur) want.adoptId = cur.id;
		}
		const rec = base.users.get(s.id);
		if (cur && !rec) base.users.set(s.id, { kind: 'user', ex: s.id, data: cloneUser(cur), writtenAt: 0 });
		if (cur && rec) {
			const edited = userDiffers(rec.data, cur, fields, want.leaderEx !== undefined);
			const differs = userDiffersFromWant(want, cur, fields, target.deptByEx, target.userByEx);
			if (edited && differs) {
				const resolution = resolveConflict(opts.conflictStrategy, s.updatedAt, rec.writtenAt, cur.mtime);
				conflicts.push({
					object: 'user',
					exId: s.id,
					wpsId: cur.id,
					label: s.name,
					lastWritten: userView(rec.data, fields),
					target: userView(cur, fields),
					source: { fields: want.fields, depts: want.depts, mainDept: want.mainDept, leaderEx: want.leaderEx },
					resolution,
				});
				// Target wins / manual: leave the account as it is (a re-hire is still re-enabled).
				if (resolution !== 'sourceWins') want = { ex: s.id, status: 'active', fields: {}, depts: undefined };
			}
		}
		users.push(want);
	}
	return users;
}

type AdoptionIndex = Record<string, Map<string, TargetUser>>;

/** First-run soft match: the unlinked account with the source user's value of the first key that matches (taken once). */
function adopt(s: Source['users'][number], adoptable: AdoptionIndex, keys: AdoptionKey[]): TargetUser | undefined {
	for (const key of keys) {
		const value = (s.fields[key] ?? '').toLowerCase();
		const match = value ? adoptable[key].get(value) : undefined;
		if (match) {
			for (const k of keys) adoptable[k].forEach((u, v) => u === match && adoptable[k].delete(v));
			return match;
		}
	}
	return undefined;
}

/** Leavers (recorded, gone from the source): disabled first, hard-deleted after the grace period counted from the sync's disable. */
function leavers(rules: RuleContext): { disable: DesiredUser[]; deleteUsers: string[] } {
	const { source, target, base, opts } = rules;
	const sourceUserIds = new Set(source.users.map((u) => u.id));
	const disable: DesiredUser[] = [];
	const deleteUsers: string[] = [];
	for (const [ex, rec] of base.users) {
		if (sourceUserIds.has(ex)) continue;
		const cur = target.userByEx.get(ex);
		if (!cur) continue;
		if (cur.status === 'disabled' && rec.disabledAt != null && opts.now - rec.disabledAt >= opts.graceDays * DAY_MS) {
			deleteUsers.push(ex);
		} else {
			disable.push({ ex, status: 'disabled', fields: {}, depts: undefined });
		}
	}
	return { disable, deleteUsers };
}

function adoptionIndex(users: TargetUser[], records: Records, keys: string[]): AdoptionIndex | undefined {
	if (keys.length === 0) return undefined;
	const owned = new Set([...records.users.values()].map((r) => r.data.id));
	const index: Record<string, Map<string, TargetUser>> = { email: new Map(), phone: new Map(), employee_id: new Map() };
	for (const u of users) {
		// Only accounts never linked (their external id is still their own id) may be adopted.
		if (owned.has(u.id) || u.exId !== u.id) continue;
		for (const key of keys) {
			const value = (u.fields[key as UserField] ?? '').toLowerCase();
			if (value) index[key].set(value, u);
		}
	}
	return index;
}

function cloneUser(u: TargetUser): TargetUser {
	return { ...u, deptIds: [...u.deptIds], fields: { ...u.fields } };
}

function sameSet(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((x) => b.includes(x));
}

function userDiffers(a: TargetUser, b: TargetUser, fields: UserField[], leader: boolean): boolean {
	return (
		fields.some((f) => (a.fields[f] ?? '') !== (b.fields[f] ?? '')) ||
		!sameSet(a.deptIds, b.deptIds) ||
		a.mainDeptId !== b.mainDeptId ||
		(leader && a.leaderId !== b.leaderId)
	);
}

function userDiffersFromWant(
	want: DesiredUser,
	cur: TargetUser,
	fields: UserField[],
	deptByEx: Map<string, TargetDept>,
	userByEx: Map<string, TargetUser>,
): boolean {
	if (
		(Object.keys(want.fields) as UserField[]).some(
			(f) => fields.includes(f) && want.fields[f] !== (cur.fields[f] ?? ''),
		)
	)
		return true;
	const ids = (want.depts ?? []).map((ex) => deptByEx.get(ex)?.id ?? `new:${ex}`);
	if (!ids.every((id) => cur.deptIds.includes(id))) return true;
	if (want.mainDept && deptByEx.get(want.mainDept)?.id !== cur.mainDeptId) return true;
	if (want.leaderEx !== undefined && (want.leaderEx ? userByEx.get(want.leaderEx)?.id : '') !== cur.leaderId)
		return true;
	return false;
}

const deptView = (d: TargetDept) => ({ name: d.name, parentId: d.parentId, order: d.order });
const userView = (u: TargetUser, fields: UserField[]) => ({
	fields: Object.fromEntries(fields.map((f) => [f, u.fields[f] ?? ''])),
	deptIds: u.deptIds,
	mainDeptId: u.mainDeptId,
	leaderId: u.leaderId,
});

/**
 * Source ids that equal the own WPS id of an object the sync never wrote: WPS reports an object's
 * own id as its external id when none was set, so such a source row would take over a hand-made
 * department or user. Found only where the target was read (a full read).
 */
export function handMadeCollisions(
	source: Source,
	current: TargetState,
	records: Records,
): { depts: string[]; users: string[] } {
	const handDepts = new Map<string, TargetDept>();
	for (const d of current.depts)
		if (d.id !== current.rootId && d.exId === d.id && records.depts.get(d.id)?.data.id !== d.id) handDepts.set(d.id, d);
	const handUsers = new Map<string, TargetUser>();
	for (const u of current.users)
		if (u.exId === u.id && records.users.get(u.id)?.data.id !== u.id) handUsers.set(u.id, u);
	return {
		depts: source.depts.filter((d) => handDepts.has(d.id)).map((d) => d.id),
		users: source.users.filter((u) => handUsers.has(u.id)).map((u) => u.id),
	};
}
