/** The emulator's moving parts, shared by the Open API pipeline and the admin routes. */
import { Clock } from './clock';
import { FaultInjector } from './faults';
import { RateLimiter } from './rateLimits';
import { State } from './state';
import { LongConnections } from './longConnection/server';
import type { RateLimitSetting } from './types';

export class EmulatorCore {
	state: State;
	readonly limiter: RateLimiter;
	readonly faults = new FaultInjector();
	baseUrl = '';
	/** How long each Bitable write holds its base (0 = writes never conflict). */
	writeLatencyMs: number;
	/** Event delivery over the long connection (longConnection/server.ts). */
	readonly longConnections: LongConnections;

	constructor(
		readonly seed: number,
		readonly clock: Clock,
		private readonly initialRateLimits: RateLimitSetting,
		private readonly initialWriteLatencyMs = 0,
	) {
		this.writeLatencyMs = initialWriteLatencyMs;
		this.state = new State(seed, clock);
		this.limiter = new RateLimiter(initialRateLimits);
		this.longConnections = new LongConnections(this);
		this.state.onRecordChange = (c) => this.longConnections.notify(c);
	}

	/** Back to an empty emulator: no apps, bases, tokens, counters, faults; clock offset 0; initial rate limits. */
	reset(): void {
		this.clock.setOffset(0);
		this.state = new State(this.seed, this.clock);
		this.state.onRecordChange = (c) => this.longConnections.notify(c);
		this.longConnections.reset();
		this.limiter.configure(this.initialRateLimits);
		this.faults.clear();
		this.writeLatencyMs = this.initialWriteLatencyMs;
	}
}
