import type { Clock } from '../../../lib/resilience';

/** A clock whose sleeps advance virtual time at once, recording what was asked. */
export class FakeClock implements Clock {
	sleeps: number[] = [];
	constructor(public t = 1_000_000) {}
	now(): number {
		return this.t;
	}
	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.t += Math.max(0, ms);
	}
}
