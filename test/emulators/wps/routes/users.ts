import { fail } from '../errors';
import { type Body, flag, statusesFromBody, statusesFromQuery, stringArray } from '../input';
import type { User, UserStatus } from '../model';
import { pageOf } from '../paging';
import { cached } from '../readCache';
import { type DeptAssignment, assignDepts, createUser, hardDeleteUser, setEnabled, updateUser } from '../userRules';
import type { AppView } from '../views';
import { LOOKUP_MAX, type Route, route } from './route';

function requireScope(view: AppView, scope: string): void {
	if (!view.app.scopes.has(scope)) throw fail.scope(scope);
}

/** Batch lookups: only visible users whose status was asked for; the rest look absent. */
function lookup(view: AppView, body: Body, ids: (string | undefined)[]): { items: unknown[] } {
	const statuses = statusesFromBody(body);
	const withDept = body.with_dept === true;
	const items: unknown[] = [];
	for (const id of ids) {
		const user = id === undefined ? undefined : view.tenant.users.get(id);
		if (user && statuses.has(user.status) && view.seesUser(user)) items.push(view.userJson(user, withDept));
	}
	return { items };
}

function assignments(body: Body): DeptAssignment[] {
	const items = body.items;
	if (!Array.isArray(items) || items.length === 0) throw fail.format('items must be a non-empty array');
	if (items.length > LOOKUP_MAX) throw fail.value('batch_size_exceeded', `items takes at most ${LOOKUP_MAX} entries`);
	return items.map((item: Body) => ({
		user_id: String(item?.user_id ?? ''),
		dept_ids: stringArray(item ?? {}, 'dept_ids', { required: true })!,
		def_dept_id: typeof item?.def_dept_id === 'string' ? item.def_dept_id : undefined,
	}));
}

export function visibleUsersWith(view: AppView, statuses: Set<UserStatus>): User[] {
	const key = `users:${view.app.clientId}:${[...statuses].sort().join(',')}`;
	return cached(view.tenant, key, () =>
		[...view.tenant.users.values()].filter((u) => statuses.has(u.status) && view.seesUser(u)),
	);
}

export const userRoutes: Route[] = [
	route('POST', '/v7/users/create', true, ({ view, body, now }) => view.userJson(createUser(view, body, now), true)),

	route('POST', '/v7/users/batch_disable', true, ({ view, body }) => {
		setEnabled(view, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!, false);
		return {};
	}),

	route('POST', '/v7/users/batch_enable', true, ({ view, body }) => {
		setEnabled(view, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!, true);
		return {};
	}),

	route('POST', '/v7/users/batch_update_dept', true, ({ view, body }) => {
		assignDepts(view, assignments(body));
		return {};
	}),

	route('POST', '/v7/users/batch_update_order', true, ({ view, body }) => {
		const dept = view.dept(String(body.dept_id ?? ''));
		const items = Array.isArray(body.items) ? (body.items as Body[]) : [];
		if (items.length === 0 || items.length > LOOKUP_MAX) throw fail.format(`items must hold 1 to ${LOOKUP_MAX} entries`);
		const members = view.tenant.members.get(dept.dept_id)!;
		for (const item of items) {
			if (typeof item.order !== 'number' || !members.has(String(item.user_id))) {
				throw fail.value('user_not_in_dept', `user ${String(item.user_id)} is not a member of ${dept.dept_id}`);
			}
		}
		for (const item of items) members.set(String(item.user_id), item.order as number);
		view.tenant.touch();
		return {};
	}),

	route('POST', '/v7/users/batch_read', false, ({ view, body }) =>
		lookup(view, body, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!),
	),

	route('POST', '/v7/users/by_ex_user_ids', false, ({ view, body }) => {
		const exIds = stringArray(body, 'ex_user_ids', { required: true, max: LOOKUP_MAX })!;
		return lookup(view, body, exIds.map((ex) => view.tenant.userByEx.get(ex)));
	}),

	route('POST', '/v7/users/by_emails', false, ({ view, body }) => {
		requireScope(view, 'kso.user_email.read');
		const emails = stringArray(body, 'emails', { required: true, max: LOOKUP_MAX })!;
		return lookup(view, body, emails.map((e) => view.tenant.userByEmail.get(e.toLowerCase())));
	}),

	route('POST', '/v7/users/by_phones', false, ({ view, body }) => {
		requireScope(view, 'kso.user_phone.read');
		const phones = stringArray(body, 'phones', { required: true, max: LOOKUP_MAX })!;
		return lookup(view, body, phones.map((p) => view.tenant.userByPhone.get(p)));
	}),

	route('GET', '/v7/users', false, ({ view, query }) => {
		const page = pageOf(visibleUsersWith(view, statusesFromQuery(query)), (u) => [0, u.seq], query);
		return { ...page, items: page.items.map((u) => view.userJson(u, flag(query, 'with_dept'))) };
	}),

	// A read by id answers whatever the status: only lists and batches filter on it.
	route('GET', '/v7/users/{user_id}', false, ({ view, params, query }) =>
		view.userJson(view.user(params.user_id), flag(query, 'with_dept')),
	),

	route('POST', '/v7/users/{user_id}/update', true, ({ view, params, body }) =>
		view.userJson(updateUser(view, params.user_id, body), true),
	),

	route('POST', '/v7/users/{user_id}/delete', true, ({ view, params }) => {
		hardDeleteUser(view, params.user_id);
		return {};
	}),
];
