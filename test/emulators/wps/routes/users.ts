import { fail } from '../errors';
import { type Body, flag, statusesFromBody, statusesFromQuery, stringArray } from '../input';
import { USER_STATUSES, type User, type UserStatus } from '../model';
import { pageOf } from '../paging';
import { cached } from '../readCache';
import { type DeptAssignment, assignDepts, createUser, hardDeleteUser, setEnabled, updateUser } from '../userRules';
import type { Tenant } from '../tenant';
import type { AppView } from '../views';
import { LOOKUP_MAX, type Route, command, route } from './route';

/** Batch lookups by id: only visible users whose status was asked for; the rest look absent. */
function lookup(
	view: AppView,
	body: Body,
	ids: (string | undefined)[],
	json: (user: User) => unknown,
): { items: unknown[] } {
	const statuses = statusesFromBody(body);
	const items: unknown[] = [];
	for (const id of ids) {
		const user = id === undefined ? undefined : view.tenant.users.get(id);
		if (user && statuses.has(user.status) && view.seesUser(user)) items.push(json(user));
	}
	return { items };
}

/** `POST /v7/users/by_<keys>` (`{<keys>: [...], status}`): the short user of each key's user. */
function lookupBy(keys: string, idOf: (tenant: Tenant, key: string) => string | undefined): Route {
	return route('POST', `/v7/users/by_${keys}`, false, ({ view, body }) => {
		const asked = stringArray(body, keys, { required: true, max: LOOKUP_MAX })!;
		return lookup(
			view,
			body,
			asked.map((key) => idOf(view.tenant, key)),
			(u) => view.exUserJson(u),
		);
	});
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
	// Answers the new user keyed `id` (only `id` is documented for sure; the rest is the get-user shape).
	route('POST', '/v7/users/create', true, ({ view, body, now }) => view.userJson(createUser(view, body, now), false)),

	command('/v7/users/batch_disable', ({ view, body }) =>
		setEnabled(view, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!, false),
	),

	command('/v7/users/batch_enable', ({ view, body }) =>
		setEnabled(view, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!, true),
	),

	// Exists (endpoint catalogue); its body is not documented on a stored page: kept for completeness, unused by the client.
	command('/v7/users/batch_update_dept', ({ view, body }) => assignDepts(view, assignments(body))),

	// `{user_order_list: [{dept_id, order, user_id}]}` (batch-update-user-order page); answers `{code, msg}`.
	route('POST', '/v7/users/batch_update_order', true, ({ view, body }) => {
		const items = Array.isArray(body.user_order_list) ? (body.user_order_list as Body[]) : [];
		if (items.length === 0 || items.length > LOOKUP_MAX)
			throw fail.format(`user_order_list must hold 1 to ${LOOKUP_MAX} entries`);
		for (const item of items) {
			const dept = view.dept(String(item.dept_id ?? ''));
			if (typeof item.order !== 'number' || !view.tenant.members.get(dept.dept_id)!.has(String(item.user_id))) {
				throw fail.value('user_not_in_dept', `user ${String(item.user_id)} is not a member of ${dept.dept_id}`);
			}
		}
		for (const item of items) {
			view.tenant.members.get(String(item.dept_id))!.set(String(item.user_id), item.order as number);
			view.tenant.touchUser(view.tenant.users.get(String(item.user_id))!);
		}
		return undefined;
	}),

	route('POST', '/v7/users/batch_read', false, ({ view, body }) =>
		lookup(view, body, stringArray(body, 'user_ids', { required: true, max: LOOKUP_MAX })!, (u) =>
			view.userJson(u, body.with_dept === true),
		),
	),

	// `{ex_user_ids, status}` only: the answer carries no departments, leader or employee id.
	lookupBy('ex_user_ids', (tenant, ex) => tenant.userByEx.get(ex)),
	// Need only the contact scope (endpoint catalogue): looking up by email does not prove the email is readable.
	lookupBy('emails', (tenant, email) => tenant.userByEmail.get(email.toLowerCase())),
	lookupBy('phones', (tenant, phone) => tenant.userByPhone.get(phone)),

	// The whole company; the only filter that also takes `dimission`.
	route('GET', '/v7/users', false, ({ view, query }) => {
		const page = pageOf(visibleUsersWith(view, statusesFromQuery(query, USER_STATUSES)), (u) => [0, u.seq], query);
		return { ...page, items: page.items.map((u) => view.userJson(u, flag(query, 'with_dept'))) };
	}),

	// A read by id answers whatever the status: only lists and batches filter on it.
	route('GET', '/v7/users/{user_id}', false, ({ view, params, query }) =>
		view.userJson(view.user(params.user_id), flag(query, 'with_dept')),
	),

	command('/v7/users/{user_id}/update', ({ view, params, body }) => updateUser(view, params.user_id, body)),

	command('/v7/users/{user_id}/delete', ({ view, params }) => hardDeleteUser(view, params.user_id)),
];
