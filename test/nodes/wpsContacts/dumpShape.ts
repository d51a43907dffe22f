import type { Dump } from '../../emulators/wps';

/** WPS state in stable terms (external ids, names, parents, memberships, status, fields), ids of re-created objects aside. */
export function stableShape(dump: Dump) {
	const ex = new Map(dump.depts.map((d) => [d.dept_id, d.ex_dept_id]));
	const depts = dump.depts.map((d) => `${d.ex_dept_id}:${d.name}<${ex.get(d.parent_id) ?? ''}#${d.order}`).sort();
	const users = dump.users
		.map(
			(u) =>
				`${u.ex_user_id}:${u.user_name}|${u.status}|${u.dept_ids
					.map((d) => ex.get(d))
					.sort()
					.join(',')}|${ex.get(u.def_dept_id)}|${u.email}|${u.title}|${u.employee_id}`,
		)
		.sort();
	return { depts, users };
}
