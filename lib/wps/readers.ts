import {
	WPS_USER_STATUSES,
	type WpsDept,
	type WpsDeptRef,
	type WpsLeader,
	type WpsMembership,
	type WpsPage,
	type WpsUser,
	type WpsUserStatus,
} from './types';

/**
 * Readers of WPS answers: they turn what a page documents (and, where no page settles a shape, every
 * plausible form of it) into the transport's objects. test/contract/wps feeds them fixtures shaped like
 * the documented responses (test/fixtures/wps). See docs/wps-api.md.
 */

type Raw = Record<string, unknown>;

const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | undefined =>
	typeof v === 'number' && Number.isFinite(v)
		? v
		: typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
			? Number(v)
			: undefined;

/** Departments are keyed `id` in reads; create answers `dept_id`. The root's parent "0" (or nothing) reads as ''. */
export function readDept(raw: unknown): WpsDept {
	const r = obj(raw);
	const id = str(r.id) || str(r.dept_id);
	const parent = str(r.parent_id);
	const leaders: WpsLeader[] = Array.isArray(r.leaders)
		? r.leaders
				.map((l, i) =>
					typeof l === 'string'
						? { user_id: l, order: i }
						: { user_id: str(obj(l).user_id), order: num(obj(l).order) ?? i },
				)
				.filter((l) => l.user_id)
		: [];
	return {
		id,
		ex_dept_id: str(r.ex_dept_id) || id,
		name: str(r.name),
		parent_id: parent === '0' ? '' : parent,
		order: num(r.order) ?? 0,
		abs_path: str(r.abs_path),
		leaders,
		ctime: num(r.ctime),
	};
}

function readDeptRefs(r: Raw): WpsDeptRef[] | undefined {
	if (Array.isArray(r.depts)) {
		return r.depts
			.map((d) => ({
				id: str(obj(d).id) || str(obj(d).dept_id),
				name: str(obj(d).name),
				abs_path: str(obj(d).abs_path),
			}))
			.filter((d) => d.id);
	}
	// Not in any documented read; accepted in case a deployment answers the create-style array.
	if (Array.isArray(r.dept_ids))
		return r.dept_ids
			.map(str)
			.filter(Boolean)
			.map((id) => ({ id, name: '', abs_path: '' }));
	return undefined;
}

function readStatus(v: unknown): WpsUserStatus {
	const s = str(v);
	return (WPS_USER_STATUSES as readonly string[]).includes(s) ? (s as WpsUserStatus) : 'active';
}

/** Users are keyed `id` (`user_id` accepted); departments come as `depts: [{id, name, abs_path}]`. */
export function readUser(raw: unknown): WpsUser {
	const r = obj(raw);
	const id = str(r.id) || str(r.user_id);
	const gender = str(r.gender);
	const depts = readDeptRefs(r);
	return {
		id,
		ex_user_id: str(r.ex_user_id),
		user_name: str(r.user_name),
		status: readStatus(r.status),
		email: str(r.email),
		phone: str(r.phone),
		gender: gender === 'undefined' ? '' : gender,
		employee_id: str(r.employee_id),
		title: str(r.title),
		leader_id: str(r.leader_id),
		employment_type: str(r.employment_type),
		telephone: str(r.telephone),
		work_place: str(r.work_place),
		def_dept_id: str(r.def_dept_id),
		...(depts ? { depts } : {}),
		ctime: num(r.ctime),
	};
}

/** A member listing item: a membership with the user under `user_info`, or (unverified form) a flat user. */
export function readMembership(raw: unknown): WpsMembership {
	const r = obj(raw);
	const info = r.user_info !== undefined ? obj(r.user_info) : undefined;
	const flat = !info && !('dept_id' in r) && (typeof r.id === 'string' || typeof r.user_name === 'string');
	const user = info ? readUser(info) : flat ? readUser(r) : undefined;
	return {
		user_id: str(r.user_id) || user?.id || '',
		dept_id: str(r.dept_id),
		order: num(r.order) ?? 0,
		is_leader: r.is_leader === true,
		ctime: num(r.ctime),
		mtime: num(r.mtime),
		...(user ? { user } : {}),
	};
}

/**
 * A list answer `{items, next_page_token, total?}`. No more pages when the token is empty or absent;
 * an answer without `items` is an empty page only when it also has no next token.
 */
export function readPage<T>(raw: unknown, readItem: (item: unknown) => T): WpsPage<T> | undefined {
	const r = obj(raw);
	const token = str(r.next_page_token);
	if (!Array.isArray(r.items)) return token ? undefined : { items: [], next_page_token: '' };
	const page: WpsPage<T> = { items: r.items.map(readItem), next_page_token: token };
	const total = num(r.total);
	if (total !== undefined) page.total = total;
	return page;
}

/** `{items: [...]}` of a batch lookup; a missing list is an empty one. */
export function readItems<T>(raw: unknown, readItem: (item: unknown) => T): T[] {
	const items = obj(raw).items;
	return Array.isArray(items) ? items.map(readItem) : [];
}
