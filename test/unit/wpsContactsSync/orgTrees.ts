import fc from 'fast-check';
import type { Source } from '../../../lib/wpsContactsSync/types';
import { type DeptRow, type UserRow, sourceOf } from './fixtures';

const NAMES = ['Sales', 'R&D', 'Ops', 'HR', 'North', 'South'];

/** A random org: each department's parent is an earlier one or the top; few names, so siblings collide. */
export interface OrgSpec {
	depts: { id: string; parent: number; name: number }[];
	users: { id: string; name: string; depts: number[] }[];
}

/** Makes sibling names unique (the source rule) by suffixing, keeping most collisions across trees. */
function toSource(spec: OrgSpec): Source {
	const rows: DeptRow[] = [];
	const taken = new Set<string>();
	spec.depts.forEach((d, i) => {
		const parentId = d.parent < 0 || d.parent >= i ? '' : spec.depts[d.parent].id;
		let name = NAMES[d.name % NAMES.length];
		for (let k = 2; taken.has(`${parentId}/${name}`); k++) name = `${NAMES[d.name % NAMES.length]} ${k}`;
		taken.add(`${parentId}/${name}`);
		rows.push([d.id, parentId, name]);
	});
	const users: UserRow[] = spec.users
		.filter(() => rows.length > 0)
		.map((u) => [u.id, u.name, [...new Set(u.depts.map((k) => rows[k % rows.length][0]))]]);
	return sourceOf(rows, users);
}

const deptArb = (maxDepts: number) =>
	fc.array(fc.record({ parent: fc.integer({ min: -1, max: maxDepts }), name: fc.nat(NAMES.length * 2) }), {
		minLength: 1,
		maxLength: maxDepts,
	});

const usersArb = fc.array(
	fc.record({
		name: fc.constantFrom('Ann', 'Bob', 'Cem', 'Dai'),
		depts: fc.array(fc.nat(30), { minLength: 1, maxLength: 2 }),
	}),
	{
		minLength: 1,
		maxLength: 8,
	},
);

/**
 * A pair of orgs A -> B: B reuses most of A's ids with new parents and names (moves, swaps,
 * renames), drops some (deletes, leavers) and adds some.
 */
export const orgPairArb = fc
	.record({
		a: deptArb(10),
		b: deptArb(12),
		ua: usersArb,
		ub: usersArb,
		permutation: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
	})
	.map(({ a, b, ua, ub, permutation }) => {
		const idsA = a.map((_, i) => `d${i}`);
		// B's departments take A's ids in a shuffled order (so parents and children can trade places).
		const shuffled = [...Array(12).keys()].sort((x, y) => permutation[x] - permutation[y] || x - y);
		const idsB = b.map((_, i) => `d${shuffled[i]}`);
		const specA: OrgSpec = {
			depts: a.map((d, i) => ({ id: idsA[i], ...d })),
			users: ua.map((u, i) => ({ id: `u${i}`, ...u })),
		};
		const specB: OrgSpec = {
			depts: b.map((d, i) => ({ id: idsB[i], ...d })),
			users: ub.map((u, i) => ({ id: `u${i + 2}`, ...u })),
		};
		return { a: toSource(specA), b: toSource(specB) };
	});
