/**
 * Splits `items` into consecutive batches of at most `size` (order kept). Not lodash's `chunk`: it returns no
 * batch at all for a size below 1, which would silently skip every write; this refuses such a size.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
	const batches: T[][] = [];
	for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
	return batches;
}

/**
 * Runs `worker` over `items` with at most `concurrency` in flight, results in input order.
 * The first failure stops new work from starting and is rethrown once in-flight work settles.
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	concurrency: number,
	worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
		while (!failure && next < items.length) {
			const index = next++;
			try {
				results[index] = await worker(items[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	});
	await Promise.all(lanes);
	if (failure) throw failure.error;
	return results;
}
