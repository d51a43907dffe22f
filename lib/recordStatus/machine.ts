/**
 * The record status machine: which status may follow which. Shared by both stores, so a
 * Bitable record and a MySQL row obey the same rules.
 */

import { ServiceError } from '../errors';
export type Transitions = Record<string, string[]>;

/** Pending -> Processing -> Completed | Failed; Failed -> Pending (retry). */
export const DEFAULT_TRANSITIONS: Transitions = {
	Pending: ['Processing'],
	Processing: ['Completed', 'Failed'],
	Failed: ['Pending'],
	Completed: [],
};

export const DEFAULT_TRANSITIONS_TEXT = 'Pending -> Processing\nProcessing -> Completed, Failed\nFailed -> Pending';

export class TransitionSyntaxError extends ServiceError {
	constructor(readonly line: string) {
		super(`Cannot read the transition "${line}": write one rule a line, like "Processing -> Completed, Failed"`, {
			service: 'package',
			kind: 'input',
		});
	}
}

/**
 * Reads transitions a user typed: one rule a line (or separated by ";"), `From -> To, To2` (targets
 * separated by "," or "|"). Rules for the same source add up.
 */
export function parseTransitions(text: string): Transitions {
	const result: Transitions = {};
	for (const raw of text.split(/[\n;]/)) {
		const line = raw.trim();
		if (!line) continue;
		const parts = line.split('->');
		if (parts.length !== 2) throw new TransitionSyntaxError(line);
		const from = parts[0].trim();
		const targets = parts[1]
			.split(/[,|]/)
			.map((s) => s.trim())
			.filter(Boolean);
		if (!from || targets.length === 0) throw new TransitionSyntaxError(line);
		const list = (result[from] ??= []);
		for (const to of targets) {
			if (!list.includes(to)) list.push(to);
			result[to] ??= [];
		}
	}
	return result;
}

export class StatusMachine {
	readonly statuses: string[];

	constructor(readonly transitions: Transitions = DEFAULT_TRANSITIONS) {
		const all = new Set<string>();
		for (const [from, targets] of Object.entries(transitions)) {
			all.add(from);
			targets.forEach((t) => all.add(t));
		}
		this.statuses = [...all];
	}

	static fromText(text: string | undefined): StatusMachine {
		return new StatusMachine(text && text.trim() ? parseTransitions(text) : DEFAULT_TRANSITIONS);
	}

	isKnown(status: string): boolean {
		return this.statuses.includes(status);
	}

	canTransition(from: string, to: string): boolean {
		return (this.transitions[from] ?? []).includes(to);
	}

	/** Statuses a record may be in for `to` to be applied (the guard of the atomic update). */
	allowedFrom(to: string): string[] {
		return Object.keys(this.transitions).filter((from) => this.canTransition(from, to));
	}
}
