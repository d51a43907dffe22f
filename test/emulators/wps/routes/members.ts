import { fail } from '../errors';
import { flag, statusesFromBody, statusesFromQuery, stringArray } from '../input';
import type { User, UserStatus } from '../model';
import { pageOf } from '../paging';
import { cached } from '../readCache';
import { addMember, removeMember } from '../userRules';
import type { AppView } from '../views';
import { LOOKUP_MAX, type Route, command, route } from './route';

interface Membership {
	user: User;
	deptId: string;
	order: number;
}

/** Members' filters take at most three statuses (batch-get-dept-user page). */
function checkAtMostThree(statuses: Set<UserStatus>): Set<UserStatus> {
	if (statuses.size > 3) throw fail.format('status takes at most 3 values');
	return statuses;
}

/**
 * Memberships under a department (recursive: its whole subtree), one item per (user, department):
 * a user in two listed departments appears twice, which a reader must fold.
 */
function memberships(view: AppView, deptId: string, recursive: boolean, statuses: Set<UserStatus>): Membership[] {
	const tenant = view.tenant;
	const key = `members:${deptId}:${recursive}:${[...statuses].sort().join(',')}`;
	return cached(tenant, key, () => {
		const out: Membership[] = [];
		for (const id of recursive ? tenant.subtreeIds(deptId) : [deptId]) {
			for (const [userId, order] of tenant.members.get(id)!) {
				const user = tenant.users.get(userId)!;
				if (statuses.has(user.status)) out.push({ user, deptId: id, order });
			}
		}
		return out.sort((a, b) => a.user.seq - b.user.seq || Number(a.deptId) - Number(b.deptId));
	});
}

export const memberRoutes: Route[] = [
	// Item shape unverified (docs/wps-api.md): memberships by default, flat users with the tenant option.
	route('GET', '/v7/depts/{dept_id}/members', false, ({ view, params, query }) => {
		const dept = view.dept(params.dept_id);
		const statuses = checkAtMostThree(statusesFromQuery(query));
		const flat = view.tenant.limits.memberListing === 'user';
		const listed = memberships(view, dept.dept_id, flag(query, 'recursive'), statuses);
		// A flat listing names each user once.
		const all = flat ? listed.filter((m, i) => i === 0 || listed[i - 1].user !== m.user) : listed;
		const page = pageOf(all, (m) => [m.user.seq, Number(m.deptId) || 0], query);
		const detail = flag(query, 'with_user_detail');
		return {
			...page,
			items: page.items.map((m) =>
				flat ? view.userJson(m.user, false) : view.membershipJson(m.user, m.deptId, m.order, detail),
			),
		};
	}),

	// `{status (required, at most 3), user_ids, with_user_detail}` -> this department's memberships of those users.
	route('POST', '/v7/depts/{dept_id}/members/batch_read', false, ({ view, params, body }) => {
		const dept = view.dept(params.dept_id);
		const statuses = checkAtMostThree(statusesFromBody(body));
		const ids = stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!;
		const members = view.tenant.members.get(dept.dept_id)!;
		const items = ids
			.filter((id) => members.has(id))
			.map((id) => view.tenant.users.get(id)!)
			.filter((u) => statuses.has(u.status))
			.map((u) => view.membershipJson(u, dept.dept_id, members.get(u.user_id)!, body.with_user_detail === true));
		return { items };
	}),

	command('/v7/depts/{dept_id}/members/{user_id}/create', ({ view, params }) =>
		addMember(view, params.dept_id, params.user_id),
	),

	command('/v7/depts/{dept_id}/members/{user_id}/delete', ({ view, params }) =>
		removeMember(view, params.dept_id, params.user_id),
	),
];
