import { flag, statusesFromQuery } from '../input';
import type { User } from '../model';
import { pageOf } from '../paging';
import { cached } from '../readCache';
import { addMember, removeMember } from '../userRules';
import { type Route, route } from './route';

interface Member {
	user: User;
	order: number;
}

export const memberRoutes: Route[] = [
	route('GET', '/v7/depts/{dept_id}/members', false, ({ view, params, query }) => {
		const dept = view.dept(params.dept_id);
		const statuses = statusesFromQuery(query);
		const recursive = flag(query, 'recursive');
		const tenant = view.tenant;
		const key = `members:${dept.dept_id}:${recursive}:${[...statuses].sort().join(',')}`;
		const sorted = cached(tenant, key, () => {
			const seen = new Map<string, Member>();
			for (const deptId of recursive ? tenant.subtreeIds(dept.dept_id) : [dept.dept_id]) {
				for (const [userId, order] of tenant.members.get(deptId)!) {
					const user = tenant.users.get(userId)!;
					if (statuses.has(user.status) && !seen.has(userId)) seen.set(userId, { user, order: recursive ? 0 : order });
				}
			}
			return [...seen.values()].sort((a, b) => a.order - b.order || a.user.seq - b.user.seq);
		});
		const page = pageOf(sorted, (m) => [m.order, m.user.seq], query);
		const detail = flag(query, 'with_user_detail');
		return {
			...page,
			items: page.items.map((m) =>
				detail ? view.userJson(m.user, flag(query, 'with_dept')) : { user_id: m.user.user_id, status: m.user.status },
			),
		};
	}),

	route('POST', '/v7/depts/{dept_id}/members/{user_id}/create', true, ({ view, params }) => {
		addMember(view, params.dept_id, params.user_id);
		return {};
	}),

	route('POST', '/v7/depts/{dept_id}/members/{user_id}/delete', true, ({ view, params }) => {
		removeMember(view, params.dept_id, params.user_id);
		return {};
	}),
];
