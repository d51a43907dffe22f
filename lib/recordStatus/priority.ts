/**
 * Source priority (the seed's state-consistency design): a person's edit outranks the workflow,
 * which outranks the reconciler. An update never overrides a status that a higher-priority source
 * set later than the update's own time.
 */
export const DEFAULT_SOURCE_ORDER = ['user', 'workflow', 'reconciler'];

export class SourcePriority {
	constructor(readonly order: string[] = DEFAULT_SOURCE_ORDER) {}

	/** Lower number = higher priority; unknown sources rank last. */
	rank(source: string | undefined): number {
		const i = source ? this.order.indexOf(source) : -1;
		return i === -1 ? this.order.length : i;
	}

	isKnown(source: string): boolean {
		return this.order.includes(source);
	}

	/** Sources whose later status must not be overridden by `source`. */
	outranking(source: string): string[] {
		const mine = this.rank(source);
		return this.order.filter((s) => this.rank(s) < mine);
	}

	/** True when a status set by `holder` at `holderTime` blocks an update by `source` made at `at`. */
	blocks(holder: string | undefined, holderTime: number | undefined, source: string, at: number): boolean {
		if (holderTime === undefined || this.rank(holder) >= this.rank(source)) return false;
		return holderTime > at;
	}
}
