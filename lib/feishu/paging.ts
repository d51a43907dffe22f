/**
 * Reads every page or throws. (The SDK's *WithIterator helpers stop silently on an error, and a
 * truncated read makes a sync delete or duplicate records.)
 */

import { FeishuApiError } from './errors';

/** 1254030 TooLargeResponse: the page was too large to answer. */
export const TOO_LARGE_RESPONSE = 1254030;

/**
 * A page reader that halves its page size when Feishu answers 1254030 (response too large) and asks for the same
 * page again, so the read goes on instead of failing (docs/feishu-api.md, error codes). The size stays small for
 * the rest of the read.
 */
export function shrinkingPages<P>(
	initialSize: number,
	fetch: (pageSize: number, pageToken: string | undefined) => Promise<P>,
): (pageToken: string | undefined) => Promise<P> {
	let size = initialSize;
	return async (pageToken) => {
		for (;;) {
			try {
				return await fetch(size, pageToken);
			} catch (error) {
				if (!(error instanceof FeishuApiError && error.code === TOO_LARGE_RESPONSE) || size <= 1) throw error;
				size = Math.max(1, Math.floor(size / 2));
			}
		}
	};
}

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
		if (seen.has(page.page_token))
			throw new Error('Feishu sent the same page_token twice; stopping instead of looping');
		seen.add(page.page_token);
		pageToken = page.page_token;
	}
}
