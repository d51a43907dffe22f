import { chunk, mapWithConcurrency } from '../resilience';
import type { DirectoryClient } from './directoryClient';
import type { Operation, TargetDept, TargetState } from './types';

/**
 * A full read that costs about one call per 50 objects: the departments the sync knows of are
 * fetched by external id (100 per call) with their unknown ancestors (to tell inside the scope from
 * outside), and every user below the scope root is listed (50 per page). Listing the children of
 * every department would cost one call per department; the planner only needs the neighbours of
 * departments it creates, moves, renames or deletes, which `addNeighbours` lists afterwards.
 */
export async function readKnownTarget(
	client: DirectoryClient,
	rootId: string,
	deptExIds: string[],
): Promise<TargetState> {
	const [root, users, found] = await Promise.all([
		client.readRoot(rootId),
		client.readUsersUnder(rootId),
		(async () => {
			const parts = await mapWithConcurrency(chunk([...new Set(deptExIds)], 100), 4, (part) =>
				client.findDeptsByEx(part),
			);
			return parts.flat();
		})(),
	]);
	const byId = new Map<string, TargetDept>([[root.id, root]]);
	for (const d of found) byId.set(d.id, d);
	// Unknown ancestors, level by level, until every chain ends at the root or outside the app's view.
	for (let unknown = missingParents(byId); unknown.length; unknown = missingParents(byId, unknown)) {
		const read = (await mapWithConcurrency(chunk(unknown, 100), 4, (part) => client.readDepts(part))).flat();
		const got = new Set(read.map((d) => d.id));
		for (const d of read) byId.set(d.id, d);
		// Parents the app cannot see end their chain (outside the scope).
		for (const id of unknown) if (!got.has(id)) byId.set(id, { id, exId: id, name: '', parentId: '', order: 0 });
	}
	const inScope = new Map<string, boolean>([[root.id, true]]);
	const isInScope = (id: string): boolean => {
		const known = inScope.get(id);
		if (known !== undefined) return known;
		const d = byId.get(id);
		inScope.set(id, false); // guards against a cycle in what was read
		const result = !!d && !!d.parentId && isInScope(d.parentId);
		inScope.set(id, result);
		return result;
	};
	const depts = [root, ...[...byId.values()].filter((d) => d.id !== root.id && d.name !== '' && isInScope(d.id))];
	return { rootId: root.id, depts, users };
}

function missingParents(byId: Map<string, TargetDept>, previous: string[] = []): string[] {
	const seen = new Set(previous);
	const out = new Set<string>();
	for (const d of byId.values()) {
		if (d.parentId && !byId.has(d.parentId) && !seen.has(d.parentId)) out.add(d.parentId);
	}
	return [...out];
}

/**
 * Adds the children of the departments whose neighbourhood matters to the plan: parents that
 * receive a department (a sibling may already hold its name) and departments to delete (something
 * the sync does not manage may still be inside). Returns whether anything new was learnt.
 */
export async function addNeighbours(
	client: DirectoryClient,
	state: TargetState,
	operations: Operation[],
): Promise<boolean> {
	const known = new Set(state.depts.map((d) => d.id));
	const parents = new Set<string>();
	for (const op of operations) {
		if (op.object !== 'dept') continue;
		if (op.kind === 'dept.delete' && op.wpsId) parents.add(op.wpsId);
		const parent = (op.after as { parent?: { id?: string } } | null)?.parent;
		if (parent?.id && (op.kind === 'dept.create' || op.kind === 'dept.move' || op.kind === 'dept.rename'))
			parents.add(parent.id);
	}
	if (parents.size === 0) return false;
	const lists = await mapWithConcurrency([...parents], 8, (id) => client.readChildren(id));
	let added = false;
	for (const child of lists.flat()) {
		if (known.has(child.id)) continue;
		state.depts.push(child);
		known.add(child.id);
		added = true;
	}
	return added;
}

/** Reads by WPS id, 100 ids a call (the batch reads' limit). */
export async function readInChunks<T>(ids: string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
	const out: T[] = [];
	for (const part of chunk(ids, 100)) out.push(...(await read(part)));
	return out;
}
