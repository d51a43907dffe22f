import type { Operation, ThresholdVerdict, Thresholds } from './types';

export const DEFAULT_THRESHOLDS: Thresholds = { maxDeletions: 500, maxDeletionPercent: 10 };

const REMOVALS = new Set(['dept.delete', 'user.disable', 'user.delete']);

/**
 * Deletions and disables against the limits (a count and a share of what the sync manages).
 * A source that silently lost rows (a capped query, a failed join) shows up here as mass removals.
 */
export function checkThresholds(operations: Operation[], managed: number, limits: Thresholds): ThresholdVerdict {
	// A disable that only follows a create (a reverse plan restoring a disabled account) removes nothing.
	const deletions = operations.filter((op) => REMOVALS.has(op.kind) && !(op.kind === 'user.disable' && !op.wpsId)).length;
	const percent = managed > 0 ? Math.round((deletions / managed) * 1000) / 10 : deletions > 0 ? 100 : 0;
	const reasons: string[] = [];
	if (deletions > limits.maxDeletions) reasons.push(`${deletions} deletions/disables exceed the limit of ${limits.maxDeletions}`);
	if (limits.maxDeletionPercent > 0 && deletions > 0 && percent > limits.maxDeletionPercent) {
		reasons.push(`${deletions} deletions/disables are ${percent}% of the ${managed} managed objects (limit ${limits.maxDeletionPercent}%)`);
	}
	return { withinLimits: reasons.length === 0, deletions, managed, percent, reason: reasons.join('; ') || undefined };
}
