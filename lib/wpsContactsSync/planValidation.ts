import { orderOperations } from './ordering';
import { type DeptRef, type DeptValues, OPERATION_KINDS, type Operation, ROOT_EX, type UserValues } from './types';

const CREATES_ID = new Set(['dept.create', 'user.create']);

/**
 * Checks a plan that came back through other nodes (operations may have been dropped or edited)
 * before anything is written: known kinds, no duplicates, every dependency present, every new
 * department or user referenced by ex id created by the plan itself. Returns the operations in a
 * valid order, or the reasons to refuse.
 */
export function validatePlan(operations: Operation[]): { errors: string[]; ordered: Operation[] } {
	const errors: string[] = [];
	const ids = new Set<string>();
	const createdDepts = new Set<string>();
	const createdUsers = new Set<string>();
	for (const op of operations) {
		if (
			!op ||
			typeof op.id !== 'string' ||
			!(OPERATION_KINDS as readonly string[]).includes(op.kind) ||
			typeof op.exId !== 'string'
		) {
			errors.push(`not an operation of this node: ${JSON.stringify(op).slice(0, 200)}`);
			continue;
		}
		if (ids.has(op.id)) errors.push(`operation ${op.id} appears twice`);
		ids.add(op.id);
		if (op.kind === 'dept.create') createdDepts.add(op.exId);
		if (op.kind === 'user.create') createdUsers.add(op.exId);
	}
	if (errors.length) return { errors, ordered: [] };
	const deptKnown = (ref: DeptRef | undefined, op: Operation, what: string) => {
		if (!ref) return;
		if (ref.id || ref.ex === ROOT_EX || createdDepts.has(ref.ex)) return;
		errors.push(
			`${op.id}: its ${what} department "${ref.ex}" is neither existing nor created by this plan (was its create dropped?)`,
		);
	};
	for (const op of operations) {
		for (const dep of op.dependsOn ?? []) {
			if (!ids.has(dep)) errors.push(`${op.id} depends on ${dep}, which is not in the plan`);
		}
		if (!op.wpsId && !CREATES_ID.has(op.kind)) {
			const createdHere = op.object === 'dept' ? createdDepts.has(op.exId) : createdUsers.has(op.exId);
			if (!createdHere)
				errors.push(`${op.id}: it names no existing WPS object and the plan does not create ${op.exId}`);
		}
		if (op.object === 'dept') {
			deptKnown((op.after as DeptValues | null)?.parent, op, 'parent');
		} else {
			const after = (op.after ?? {}) as UserValues;
			for (const ref of after.depts ?? []) deptKnown(ref, op, 'member');
			deptKnown(after.mainDept, op, 'main');
			if (after.leader && !after.leader.id && !createdUsers.has(after.leader.ex)) {
				errors.push(`${op.id}: its leader "${after.leader.ex}" is neither existing nor created by this plan`);
			}
		}
	}
	if (errors.length) return { errors, ordered: [] };
	try {
		const ordered = orderOperations(operations, [], () => {
			throw new Error('no slot edges here');
		});
		return { errors, ordered };
	} catch (error) {
		return { errors: [`the operations' dependencies form a cycle: ${(error as Error).message}`], ordered: [] };
	}
}
