/** The emulator's clock: an injectable source plus an offset set by the admin routes. */
export class Clock {
	private offsetMs = 0;
	constructor(private readonly source: () => number = Date.now) {}
	now(): number {
		return this.source() + this.offsetMs;
	}
	setOffset(ms: number): void {
		this.offsetMs = ms;
	}
	advance(ms: number): void {
		this.offsetMs += ms;
	}
	get offset(): number {
		return this.offsetMs;
	}
}
