import { type Source, type SourceDept, type SourceError, type SourceUser, type UserField } from './types';

/** Column names of the source rows (the node's mapping parameters). */
export interface SourceMapping {
	dept: { id: string; parentId: string; name: string; order?: string; updatedAt?: string };
	user: {
		id: string;
		name: string;
		/** One column holding a list (array, or text separated by commas / semicolons). */
		deptIds: string;
		mainDeptId?: string;
		leader?: string;
		updatedAt?: string;
		/** WPS field -> source column (email, phone, employee_id, title, and any extra attribute). */
		fields: Partial<Record<UserField, string>>;
	};
	/** Values in the parent column that mean "top level" besides empty (e.g. '0'). */
	rootParentValues?: string[];
	/**
	 * Put before every source id to make the WPS external id (e.g. 'hr-'): WPS answers an object's own
	 * id as its external id when none was set, so bare HR ids like 1, 2, 3 can collide with WPS's ids.
	 */
	exIdPrefix?: string;
}

type Row = Record<string, unknown>;

function text(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return String(value).trim();
}

function list(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(text).filter(Boolean);
	return text(value)
		.split(/[,;|]/)
		.map((v) => v.trim())
		.filter(Boolean);
}

function time(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	const parsed = Date.parse(String(value));
	return Number.isNaN(parsed) ? undefined : parsed;
}

function int(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Turns mapped rows into the source model; rows missing an id or a name are reported, not guessed. */
export function buildSource(
	deptRows: Row[],
	userRows: Row[],
	mapping: SourceMapping,
): { source: Source; errors: SourceError[] } {
	const errors: SourceError[] = [];
	const rootValues = new Set(['', ...(mapping.rootParentValues ?? [])]);
	const prefix = mapping.exIdPrefix ?? '';
	const ex = (id: string) => (id ? prefix + id : id);
	const missing = (what: string, column: string, indexes: number[]) => {
		if (indexes.length) {
			errors.push({
				kind: 'missingValue',
				message: `${indexes.length} ${what} row(s) have no value in column "${column}" (rows ${indexes.slice(0, 20).join(', ')})`,
				ids: indexes.map(String),
			});
		}
	};
	const m = mapping.dept;
	const depts: SourceDept[] = [];
	const noDeptId: number[] = [];
	const noDeptName: number[] = [];
	deptRows.forEach((row, i) => {
		const id = text(row[m.id]);
		const name = text(row[m.name]);
		if (!id) return void noDeptId.push(i);
		if (!name) return void noDeptName.push(i);
		const parent = text(row[m.parentId]);
		depts.push({
			id: ex(id),
			parentId: rootValues.has(parent) ? '' : ex(parent),
			name,
			order: m.order ? int(row[m.order]) : undefined,
			updatedAt: m.updatedAt ? time(row[m.updatedAt]) : undefined,
		});
	});
	missing('department', m.id, noDeptId);
	missing('department', m.name, noDeptName);

	const u = mapping.user;
	const users: SourceUser[] = [];
	const noUserId: number[] = [];
	const noUserName: number[] = [];
	const fieldEntries = Object.entries(u.fields).filter(([, column]) => !!column) as [UserField, string][];
	userRows.forEach((row, i) => {
		const id = text(row[u.id]);
		const name = text(row[u.name]);
		if (!id) return void noUserId.push(i);
		if (!name) return void noUserName.push(i);
		const fields: Partial<Record<UserField, string>> = { user_name: name };
		for (const [field, column] of fieldEntries) fields[field] = text(row[column]);
		const deptIds = [...new Set(list(row[u.deptIds]))].map(ex);
		const main = u.mainDeptId ? ex(text(row[u.mainDeptId])) : '';
		const leader = u.leader ? text(row[u.leader]) : '';
		users.push({
			id: ex(id),
			name,
			deptIds,
			mainDeptId: main || deptIds[0],
			leaderId: leader ? ex(leader) : undefined,
			fields,
			updatedAt: u.updatedAt ? time(row[u.updatedAt]) : undefined,
		});
	});
	missing('user', u.id, noUserId);
	missing('user', u.name, noUserName);
	return {
		source: {
			depts,
			users,
			manages: {
				order: !!m.order,
				leader: !!u.leader,
				fields: ['user_name', ...fieldEntries.map(([f]) => f).filter((f) => f !== 'user_name')],
			},
		},
		errors,
	};
}

export interface SourceCheckOptions {
	/** How many objects the sync manages now; a source far smaller than that looks truncated. */
	managedUsers: number;
	managedDepts: number;
	allowEmptySource: boolean;
	/** A source below this share of what is managed now counts as "nearly empty" (default 0.1). */
	nearlyEmptyRatio?: number;
}

/**
 * Everything that makes a source unsafe to apply, each with the offending ids: duplicate ids,
 * orphans, cycles, users in unknown departments, sibling-name duplicates, an (almost) empty source.
 */
export function validateSource(source: Source, opts: SourceCheckOptions): SourceError[] {
	const errors: SourceError[] = [];
	const byId = new Map<string, SourceDept>();
	const dupDepts = new Set<string>();
	for (const d of source.depts) {
		if (byId.has(d.id)) dupDepts.add(d.id);
		else byId.set(d.id, d);
	}
	if (dupDepts.size) {
		errors.push({
			kind: 'duplicateDeptId',
			message: `duplicate department ids: ${preview(dupDepts)}`,
			ids: [...dupDepts],
		});
	}
	const orphans = source.depts.filter((d) => d.parentId !== '' && !byId.has(d.parentId)).map((d) => d.id);
	if (orphans.length) {
		errors.push({
			kind: 'orphan',
			message: `departments whose parent is not in the source: ${preview(orphans)}`,
			ids: orphans,
		});
	}
	// Cycle detection by walking each chain once (0 = unseen, 1 = on the current walk, 2 = done).
	const stateOf = new Map<string, number>();
	const inCycle = new Set<string>();
	for (const start of byId.keys()) {
		if (stateOf.get(start)) continue;
		const path: string[] = [];
		let id: string | undefined = start;
		while (id && byId.has(id) && !stateOf.get(id)) {
			stateOf.set(id, 1);
			path.push(id);
			id = byId.get(id)!.parentId || undefined;
		}
		if (id && stateOf.get(id) === 1) {
			for (let k = path.indexOf(id); k < path.length; k++) inCycle.add(path[k]);
		}
		for (const p of path) stateOf.set(p, 2);
	}
	if (inCycle.size) {
		errors.push({ kind: 'cycle', message: `departments in a parent cycle: ${preview(inCycle)}`, ids: [...inCycle] });
	}
	const siblings = new Map<string, string>();
	const clashes = new Set<string>();
	for (const d of byId.values()) {
		const key = `${d.parentId}\u0000${d.name}`;
		const other = siblings.get(key);
		if (other !== undefined) {
			clashes.add(other);
			clashes.add(d.id);
		} else siblings.set(key, d.id);
	}
	if (clashes.size) {
		errors.push({
			kind: 'siblingNameClash',
			message: `departments with the same name under the same parent: ${preview(clashes)}`,
			ids: [...clashes],
		});
	}

	const userIds = new Set<string>();
	const dupUsers = new Set<string>();
	const unknownDept: string[] = [];
	const badMain: string[] = [];
	for (const u of source.users) {
		if (userIds.has(u.id)) dupUsers.add(u.id);
		userIds.add(u.id);
		if (u.deptIds.length === 0 || u.deptIds.some((d) => !byId.has(d))) unknownDept.push(u.id);
		else if (u.mainDeptId && !u.deptIds.includes(u.mainDeptId)) badMain.push(u.id);
	}
	if (dupUsers.size) {
		errors.push({ kind: 'duplicateUserId', message: `duplicate user ids: ${preview(dupUsers)}`, ids: [...dupUsers] });
	}
	if (unknownDept.length) {
		errors.push({
			kind: 'userInUnknownDept',
			message: `users without a department, or in departments missing from the source: ${preview(unknownDept)}`,
			ids: unknownDept,
		});
	}
	if (badMain.length) {
		errors.push({
			kind: 'mainDeptNotMember',
			message: `users whose main department is not one of their departments: ${preview(badMain)}`,
			ids: badMain,
		});
	}
	const badLeader = source.users.filter((u) => u.leaderId && (!userIds.has(u.leaderId) || u.leaderId === u.id));
	if (badLeader.length) {
		errors.push({
			kind: 'unknownLeader',
			message: `users whose leader is not another user of the source: ${preview(badLeader.map((u) => u.id))}`,
			ids: badLeader.map((u) => u.id),
		});
	}

	if (!opts.allowEmptySource) {
		const managed = opts.managedUsers + opts.managedDepts;
		const size = source.users.length + source.depts.length;
		const ratio = opts.nearlyEmptyRatio ?? 0.1;
		if (source.users.length === 0 || source.depts.length === 0) {
			errors.push({
				kind: 'emptySource',
				message: `the source has ${source.depts.length} departments and ${source.users.length} users: refusing an empty source (turn on "Allow Empty Source" if this is meant)`,
				ids: [],
			});
		} else if (managed >= 10 && size < managed * ratio) {
			errors.push({
				kind: 'nearlyEmptySource',
				message: `the source has ${size} objects but the sync manages ${managed}: it looks truncated (turn on "Allow Empty Source" if this is meant)`,
				ids: [],
			});
		}
	}
	return errors;
}

function preview(ids: Iterable<string>): string {
	const all = [...ids];
	return all.slice(0, 20).join(', ') + (all.length > 20 ? ` and ${all.length - 20} more` : '');
}
