/**
 * Reads every page or throws. (The SDK's *WithIterator helpers stop silently on an error, and a
 * truncated read makes a sync delete or duplicate records.)
 */

export interface Page<T> {
	items?: T[];
	has_more?: boolean;
	page_token?: string;
}

export async function readAllPages<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
	const all: T[] = [];
	const seen = new Set<string>();
	let pageToken: string | undefined;
	for (;;) {
		const page = await fetchPage(pageToken);
		all.push(...(page.items ?? []));
		if (!page.has_more) return all;
		if (!page.page_token) throw new Error('Feishu said more pages follow but sent no page_token');
		if (seen.has(page.page_token)) throw new Error('Feishu sent the same page_token twice; stopping instead of looping');
		seen.add(page.page_token);
		pageToken = page.page_token;
	}
}
