/**
 * Serialises work per key inside this process (e.g. one write at a time per Bitable base, as
 * Feishu advises). It does not span processes or queue-mode workers.
 */
export class KeyedMutex {
	private readonly tails = new Map<string, Promise<void>>();

	async run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		let release!: () => void;
		const mine = new Promise<void>((resolve) => (release = resolve));
		const tail = previous.then(() => mine);
		this.tails.set(key, tail);
		await previous;
		try {
			return await work();
		} finally {
			release();
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}

	isBusy(key: string): boolean {
		return this.tails.has(key);
	}
}
