import { WpsApiError } from './errors';
import type { WpsPage } from './types';

/** WPS's page-size ceiling; reading everything uses it to keep calls per object lowest. */
export const MAX_PAGE_SIZE = 50;

/**
 * Reads every page of a cursor list, or throws: a page without `items`, or a cursor that repeats
 * (a server bug that would loop forever or silently drop the rest), is an error, never a short list.
 */
export async function readAllPages<T>(
	endpoint: string,
	fetchPage: (pageToken: string) => Promise<WpsPage<T> | undefined>,
	maxPages = 100_000,
): Promise<T[]> {
	const items: T[] = [];
	const seen = new Set<string>();
	let token = '';
	for (let pages = 0; ; pages++) {
		if (pages >= maxPages) {
			throw new WpsApiError({
				kind: 'paging',
				endpoint,
				msg: 'too_many_pages',
				detail: `stopped after ${maxPages} pages`,
			});
		}
		const page = await fetchPage(token);
		if (!page || !Array.isArray(page.items)) {
			throw new WpsApiError({ kind: 'paging', endpoint, msg: 'bad_page', detail: 'a page came back without items' });
		}
		items.push(...page.items);
		token = page.next_page_token ?? '';
		if (!token) return items;
		if (seen.has(token)) {
			throw new WpsApiError({
				kind: 'paging',
				endpoint,
				msg: 'page_token_repeated',
				detail: `after ${items.length} items`,
			});
		}
		seen.add(token);
	}
}
