/** Time sources are injected everywhere so tests can backdate instead of waiting. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms: number) => {
		if (ms > 0) await new Promise<void>((resolve) => setTimeout(resolve, ms));
	},
};
