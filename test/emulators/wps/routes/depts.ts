import { createDept, deleteDept, updateDept } from '../deptRules';
import { fail } from '../errors';
import { stringArray } from '../input';
import { pageOf } from '../paging';
import { cached } from '../readCache';
import { BATCH_DELETE_MAX, LOOKUP_MAX, type Route, command, route } from './route';

/**
 * Department endpoints, each answering its page's documented shape (docs/wps-api.md). There is no
 * `GET /v7/depts/{id}`: no page documents one, so a single department is read through batch_read.
 */
export const deptRoutes: Route[] = [
	// The root is the entry point every app may read, even one whose range is a sub-tree.
	route('GET', '/v7/depts/root', false, ({ view }) => view.deptJson(view.tenant.depts.get(view.tenant.rootId)!)),

	route('POST', '/v7/depts/create', true, ({ view, body, now }) => view.createdDeptJson(createDept(view, body, now))),

	// Private deployments >= v7.0.2411a only; answers `data: null`. Deleted in the order given; what a refusal
	// part-way does to the ids before it is unverified (here they stay deleted).
	route('POST', '/v7/depts/batch_delete', true, ({ view, body }) => {
		if (!view.tenant.limits.privateBatchDelete)
			throw fail.notFound('route_not_found', 'no endpoint POST /v7/depts/batch_delete');
		const ids = stringArray(body, 'dept_ids', { required: true, max: BATCH_DELETE_MAX })!;
		for (const id of ids) deleteDept(view, id);
		return null;
	}),

	route('POST', '/v7/depts/batch_read', false, ({ view, body }) => {
		const ids = stringArray(body, 'dept_ids', { required: true, max: LOOKUP_MAX })!;
		return { items: ids.filter((id) => view.seesDept(id)).map((id) => view.deptJson(view.tenant.depts.get(id)!)) };
	}),

	route('POST', '/v7/depts/by_ex_dept_ids', false, ({ view, body }) => {
		const exIds = stringArray(body, 'ex_dept_ids', { required: true, max: LOOKUP_MAX })!;
		const ids = exIds.map((ex) => view.tenant.deptByEx.get(ex)).filter((id): id is string => !!id && view.seesDept(id));
		return { items: ids.map((id) => view.deptJson(view.tenant.depts.get(id)!)) };
	}),

	route('GET', '/v7/depts/{dept_id}/children', false, ({ view, params, query }) => {
		const parent = view.dept(params.dept_id);
		const tenant = view.tenant;
		const sorted = cached(tenant, `children:${parent.dept_id}`, () =>
			[...tenant.children.get(parent.dept_id)!.values()]
				.map((id) => tenant.depts.get(id)!)
				.sort((a, b) => a.order - b.order || a.seq - b.seq),
		);
		const page = pageOf(sorted, (d) => [d.order, d.seq], query);
		return { ...page, items: page.items.map((d) => view.deptJson(d)) };
	}),

	// Updates and deletes answer `{code, msg}` only.
	command('/v7/depts/{dept_id}/update', ({ view, params, body }) => updateDept(view, params.dept_id, body)),

	command('/v7/depts/{dept_id}/delete', ({ view, params }) => deleteDept(view, params.dept_id)),
];
