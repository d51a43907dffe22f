import type { StatusMachine } from './machine';
import type { SourcePriority } from './priority';
import type { StatusSnapshot } from './types';

export type SkipReason = 'illegal_transition' | 'unknown_current_status' | 'lower_priority' | 'version_conflict';

export type Decision =
	| { kind: 'apply' }
	| { kind: 'noop'; reason: 'unchanged'; message: string }
	| { kind: 'skip'; reason: SkipReason; message: string };

export interface DecideRequest {
	target: string;
	/** The version the caller saw; undefined = no version check. */
	expectedVersion?: number;
	source?: string;
	/** The update's own time (ms), compared with the holder's status time for priority. */
	at: number;
}

/**
 * Pure rule check for one update against the record as read. Order: same status (no-op), the
 * transition, source priority, then the version, so a late "Processing" after "Completed" is
 * reported as the illegal transition it is rather than as a mere version mismatch.
 */
export function decide(
	machine: StatusMachine,
	current: StatusSnapshot,
	req: DecideRequest,
	priority?: SourcePriority,
): Decision {
	const from = current.status;
	if (from === req.target) {
		return { kind: 'noop', reason: 'unchanged', message: `The record is already ${req.target}` };
	}
	if (from === '') {
		const initial = machine.statuses[0];
		if (req.target !== initial) {
			return {
				kind: 'skip',
				reason: 'illegal_transition',
				message: `The record has no status yet: only ${initial} may be set first, not ${req.target}`,
			};
		}
	} else if (!machine.isKnown(from)) {
		return {
			kind: 'skip',
			reason: 'unknown_current_status',
			message: `The record's status "${from}" is not in the transition rules`,
		};
	} else if (!machine.canTransition(from, req.target)) {
		return {
			kind: 'skip',
			reason: 'illegal_transition',
			message: `${from} -> ${req.target} is not an allowed transition`,
		};
	}
	if (priority && req.source && priority.blocks(current.source, current.statusTime, req.source, req.at)) {
		return {
			kind: 'skip',
			reason: 'lower_priority',
			message: `${from} was set by "${current.source}" after this update's time; "${req.source}" may not override it`,
		};
	}
	if (req.expectedVersion !== undefined && current.version !== req.expectedVersion) {
		return {
			kind: 'skip',
			reason: 'version_conflict',
			message: `Expected version ${req.expectedVersion} but the record is at version ${current.version ?? 'none'}`,
		};
	}
	return { kind: 'apply' };
}
