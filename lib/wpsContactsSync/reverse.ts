import { orderOperations } from './ordering';
import type { DeptRef, DeptValues, Operation, OperationKind, UserValues } from './types';

const OPPOSITE: Partial<Record<OperationKind, OperationKind>> = {
	'dept.create': 'dept.delete',
	'dept.delete': 'dept.create',
	'user.create': 'user.delete',
	'user.delete': 'user.create',
	'user.enable': 'user.disable',
	'user.disable': 'user.enable',
};

/**
 * The plan that undoes the finished operations of a run: every operation turned around (a create
 * becomes a delete, a delete re-creates the object with its external id, a move goes back), with
 * every dependency reversed, so undoing runs in the exact opposite order's constraints.
 * `createdIds` maps `<object>:<ex>` to the WPS ids the run's creates returned.
 */
export function reversePlan(done: Operation[], createdIds: Map<string, string>): Operation[] {
	const fill = (ref: DeptRef | undefined): DeptRef | undefined =>
		ref && !ref.id && createdIds.has(`dept:${ref.ex}`) ? { ...ref, id: createdIds.get(`dept:${ref.ex}`) } : ref;
	const fillValues = (
		values: DeptValues | UserValues | null,
		object: 'dept' | 'user',
	): DeptValues | UserValues | null => {
		if (!values) return values;
		if (object === 'dept') {
			const v = values as DeptValues;
			return v.parent ? { ...v, parent: fill(v.parent) } : v;
		}
		const v = { ...(values as UserValues) };
		if (v.depts) v.depts = v.depts.map((r) => fill(r)!);
		if (v.mainDept) v.mainDept = fill(v.mainDept);
		if (v.leader && !v.leader.id && createdIds.has(`user:${v.leader.ex}`))
			v.leader = { ...v.leader, id: createdIds.get(`user:${v.leader.ex}`) };
		return v;
	};
	const doneIds = new Set(done.map((op) => op.id));
	const reversedId = new Map<string, string>();
	const out: Operation[] = [];
	for (const op of done) {
		const kind = OPPOSITE[op.kind] ?? op.kind;
		const id = op.id.replace(op.kind, kind);
		reversedId.set(op.id, id);
		const wpsId = op.wpsId ?? createdIds.get(`${op.object}:${op.exId}`);
		const before = fillValues(op.after, op.object);
		let after = fillValues(op.before, op.object);
		const extra: Operation[] = [];
		if (kind === 'user.create') {
			// A deleted account comes back as it was; a disabled one is disabled again after its create.
			const { status, ...rest } = (after ?? {}) as UserValues;
			after = { ...rest, status: 'active' };
			if (status === 'disabled') {
				extra.push({
					id: `user.disable:${op.exId}:restore`,
					kind: 'user.disable',
					object: 'user',
					exId: op.exId,
					label: op.label,
					before: { status: 'active' },
					after: { status: 'disabled' },
					dependsOn: [id],
				});
			}
		}
		out.push(
			{
				id,
				kind,
				object: op.object,
				exId: op.exId,
				wpsId: kind === 'dept.create' || kind === 'user.create' ? undefined : wpsId,
				label: op.label,
				before,
				after: kind === 'dept.delete' || kind === 'user.delete' ? null : after,
				dependsOn: [],
				temporary: op.temporary,
			},
			...extra,
		);
	}
	const byId = new Map(out.map((op) => [op.id, op]));
	for (const op of done) {
		for (const dep of op.dependsOn) {
			if (!doneIds.has(dep)) continue;
			byId.get(reversedId.get(dep)!)!.dependsOn.push(reversedId.get(op.id)!);
		}
	}
	return orderOperations(out, [], () => {
		throw new Error('no slot edges in a reverse plan');
	});
}
