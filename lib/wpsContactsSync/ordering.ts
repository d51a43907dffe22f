import type { Operation, OperationKind } from './types';

/** "claimer needs the sibling name that holderOp frees". */
export interface SlotEdge {
	claimer: string;
	holderOp: string;
	holderEx: string;
}

const RANK: Record<OperationKind, number> = {
	'dept.rename': 0,
	'dept.move': 1,
	'dept.create': 2,
	'dept.reorder': 3,
	'user.create': 4,
	'user.update': 5,
	'user.move': 6,
	'user.enable': 7,
	'user.disable': 8,
	'user.delete': 9,
	'dept.delete': 10,
};

export const TEMP_SUFFIX = '~sync';

/** A name no sibling can hold: the sync's marker plus the external id, kept within 128 characters. */
export function temporaryName(name: string, ex: string): string {
	const tail = `${TEMP_SUFFIX}-${ex}`;
	return name.slice(0, Math.max(1, 128 - tail.length)) + tail;
}

/**
 * Topological order (Kahn, level by level, deterministic within a level). When every remaining
 * operation waits on another (two departments swapping names or places), the holder of a
 * wanted name is first renamed to a temporary name, which frees the name without waiting.
 */
export function orderOperations(
	ops: Operation[],
	slotEdges: SlotEdge[],
	holderOf: (ex: string) => { wpsId: string; name: string; label: string },
): Operation[] {
	const byId = new Map(ops.map((op) => [op.id, op]));
	const deps = new Map(ops.map((op) => [op.id, new Set(op.dependsOn.filter((d) => byId.has(d)))]));
	for (const e of slotEdges) deps.get(e.claimer)!.add(e.holderOp);
	const dependents = new Map<string, Set<string>>();
	const link = (from: string, to: string) => {
		let set = dependents.get(to);
		if (!set) dependents.set(to, (set = new Set()));
		set.add(from);
	};
	for (const [id, set] of deps) for (const d of set) link(id, d);

	const remaining = new Map<string, number>();
	for (const [id, set] of deps) remaining.set(id, set.size);
	const out: Operation[] = [];
	const compare = (a: string, b: string) => {
		const oa = byId.get(a)!;
		const ob = byId.get(b)!;
		return RANK[oa.kind] - RANK[ob.kind] || (a < b ? -1 : a > b ? 1 : 0);
	};
	let ready = [...remaining].filter(([, n]) => n === 0).map(([id]) => id);
	const openEdges = [...slotEdges];
	while (remaining.size) {
		if (ready.length === 0) {
			const edgeIndex = openEdges.findIndex((e) => remaining.has(e.claimer) && remaining.has(e.holderOp));
			if (edgeIndex < 0)
				throw new Error(`internal: dependency cycle among ${[...remaining.keys()].slice(0, 10).join(', ')}`);
			const edge = openEdges.splice(edgeIndex, 1)[0];
			const holder = holderOf(edge.holderEx);
			const tmpId = `dept.rename:${edge.holderEx}:tmp`;
			if (!byId.has(tmpId)) {
				const tmp: Operation = {
					id: tmpId,
					kind: 'dept.rename',
					object: 'dept',
					exId: edge.holderEx,
					wpsId: holder.wpsId,
					label: holder.label,
					before: { name: holder.name },
					after: { name: temporaryName(holder.name, edge.holderEx) },
					dependsOn: [],
					temporary: true,
				};
				byId.set(tmpId, tmp);
				deps.set(tmpId, new Set());
				remaining.set(tmpId, 0);
				ready.push(tmpId);
				// The holder's own operation must come after its temporary name, and starts from it.
				const holderOp = byId.get(edge.holderOp)!;
				byId.set(edge.holderOp, {
					...holderOp,
					before: { ...(holderOp.before ?? {}), name: (tmp.after as { name: string }).name },
				});
				deps.get(edge.holderOp)!.add(tmpId);
				link(edge.holderOp, tmpId);
				remaining.set(edge.holderOp, remaining.get(edge.holderOp)! + 1);
			}
			// The claimer now waits on the temporary rename instead of the holder's operation.
			deps.get(edge.claimer)!.delete(edge.holderOp);
			dependents.get(edge.holderOp)?.delete(edge.claimer);
			deps.get(edge.claimer)!.add(tmpId);
			link(edge.claimer, tmpId);
			// remaining count of the claimer is unchanged (one edge swapped for another) unless tmp is already done
			if (!remaining.has(tmpId)) remaining.set(edge.claimer, remaining.get(edge.claimer)! - 1);
			if (remaining.get(edge.claimer) === 0) ready.push(edge.claimer);
			continue;
		}
		ready.sort(compare);
		const next: string[] = [];
		for (const id of ready) {
			remaining.delete(id);
			out.push({ ...byId.get(id)!, dependsOn: [...deps.get(id)!] });
			for (const dep of dependents.get(id) ?? []) {
				if (!remaining.has(dep)) continue;
				const n = remaining.get(dep)! - 1;
				remaining.set(dep, n);
				if (n === 0) next.push(dep);
			}
		}
		ready = next;
	}
	return out;
}
