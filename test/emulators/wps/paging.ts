import { fail } from './errors';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

export function pageSizeOf(query: URLSearchParams): number {
	const raw = query.get('page_size');
	if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
	const size = Number(raw);
	if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
		throw fail.value('invalid_page_size', `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${raw}`);
	}
	return size;
}

type SortKey = [number, number];

function compareKeys(a: SortKey, b: SortKey): number {
	return a[0] - b[0] || a[1] - b[1];
}

function decodeToken(token: string): SortKey {
	try {
		const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (Array.isArray(key) && key.length === 2 && key.every((n) => typeof n === 'number')) return key as SortKey;
	} catch {
		// falls through to the refusal below
	}
	throw fail.value('invalid_page_token', 'page_token is not one this server issued');
}

export interface Page<T> {
	items: T[];
	next_page_token: string;
	total?: number;
}

/**
 * Keyset cursor over a list sorted by `keyOf`: the token names the last key served, so
 * deletions between pages neither skip nor repeat the remaining items.
 */
export function pageOf<T>(sorted: readonly T[], keyOf: (item: T) => SortKey, query: URLSearchParams): Page<T> {
	const size = pageSizeOf(query);
	const token = query.get('page_token');
	let start = 0;
	if (token) {
		const after = decodeToken(token);
		let lo = 0;
		let hi = sorted.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (compareKeys(keyOf(sorted[mid]), after) <= 0) lo = mid + 1;
			else hi = mid;
		}
		start = lo;
	}
	const items = sorted.slice(start, start + size);
	const more = start + size < sorted.length;
	const page: Page<T> = {
		items,
		next_page_token: more ? Buffer.from(JSON.stringify(keyOf(items[items.length - 1]))).toString('base64url') : '',
	};
	if (query.get('with_total') === 'true') page.total = sorted.length;
	return page;
}
