import type { Operation, ThresholdVerdict, Thresholds } from './types';

export const DEFAULT_THRESHOLDS: Thresholds = {
	maxDeletions: 500,
	maxDeletionPercent: 10,
	maxChanges: 1000,
	maxChangePercent: 20,
};

const REMOVALS = new Set(['dept.delete', 'user.disable', 'user.delete']);
const CHANGES = new Set(['dept.rename', 'dept.move', 'dept.reorder', 'user.update', 'user.move', 'user.enable']);
/** Below this many changed objects the share limit does not apply (a small tenant's ordinary edits). */
export const CHANGE_PERCENT_FLOOR = 20;

const share = (count: number, managed: number) =>
	managed > 0 ? Math.round((count / managed) * 1000) / 10 : count > 0 ? 100 : 0;

/**
 * Deletions/disables and changes of existing objects against the limits (a count and a share of
 * what the sync manages). A source that silently lost rows (a capped query, a failed join) shows up
 * as mass removals; a renamed or re-pointed column as mass updates.
 */
export function checkThresholds(operations: Operation[], managed: number, limits: Thresholds): ThresholdVerdict {
	// A disable that only follows a create (a reverse plan restoring a disabled account) removes nothing.
	const deletions = operations.filter(
		(op) => REMOVALS.has(op.kind) && !(op.kind === 'user.disable' && !op.wpsId),
	).length;
	const percent = share(deletions, managed);
	const reasons: string[] = [];
	if (deletions > limits.maxDeletions)
		reasons.push(`${deletions} deletions/disables exceed the limit of ${limits.maxDeletions}`);
	if (limits.maxDeletionPercent > 0 && deletions > 0 && percent > limits.maxDeletionPercent) {
		reasons.push(
			`${deletions} deletions/disables are ${percent}% of the ${managed} managed objects (limit ${limits.maxDeletionPercent}%)`,
		);
	}
	// Objects the run changes (an object updated and moved counts once); creates are new, not changes.
	const changed = new Set<string>();
	for (const op of operations) if (CHANGES.has(op.kind) && op.wpsId) changed.add(`${op.object}:${op.exId}`);
	const changes = changed.size;
	const changePercent = share(changes, managed);
	if (limits.maxChanges !== undefined && changes > limits.maxChanges) {
		reasons.push(`${changes} objects changed exceed the limit of ${limits.maxChanges}`);
	}
	if (limits.maxChangePercent && changes > CHANGE_PERCENT_FLOOR && changePercent > limits.maxChangePercent) {
		reasons.push(
			`${changes} objects changed are ${changePercent}% of the ${managed} managed objects (limit ${limits.maxChangePercent}%)`,
		);
	}
	return {
		withinLimits: reasons.length === 0,
		deletions,
		managed,
		percent,
		changes,
		changePercent,
		reason: reasons.join('; ') || undefined,
	};
}
