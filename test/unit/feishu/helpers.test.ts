/** Small pure helpers: client tokens, paging, log redaction, region hosts. */
import { clientTokenFromKey, feishuBaseUrl, newClientToken, readAllPages, UUID_V4 } from '../../../lib/feishu';
import { createSdkLogger, redact } from '../../../lib/feishu/logger';

describe('client tokens', () => {
	it('are uuid v4, fresh ones differ, derived ones are stable per key', () => {
		expect(newClientToken()).toMatch(UUID_V4);
		expect(newClientToken()).not.toBe(newClientToken());
		expect(clientTokenFromKey('task-1')).toMatch(UUID_V4);
		expect(clientTokenFromKey('task-1')).toBe(clientTokenFromKey('task-1'));
		expect(clientTokenFromKey('task-1')).not.toBe(clientTokenFromKey('task-2'));
	});
});

describe('readAllPages', () => {
	it('follows page tokens to the end', async () => {
		const pages: Record<string, { items: number[]; has_more: boolean; page_token?: string }> = {
			start: { items: [1, 2], has_more: true, page_token: 'p2' },
			p2: { items: [3], has_more: true, page_token: 'p3' },
			p3: { items: [], has_more: false },
		};
		await expect(readAllPages(async (token) => pages[token ?? 'start'])).resolves.toEqual([1, 2, 3]);
	});

	it('throws instead of returning a partial list', async () => {
		await expect(readAllPages(async () => ({ items: [1], has_more: true }))).rejects.toThrow(/no page_token/);
		await expect(readAllPages(async () => ({ items: [1], has_more: true, page_token: 'same' }))).rejects.toThrow(
			/same page_token twice/,
		);
		let page = 0;
		await expect(
			readAllPages(async () => {
				if (page++ === 1) throw new Error('page 2 failed');
				return { items: [1], has_more: true, page_token: `p${page}` };
			}),
		).rejects.toThrow('page 2 failed');
	});
});

describe('SDK logger', () => {
	it('passes short, redacted text only', () => {
		const lines: string[] = [];
		const logger = createSdkLogger((level, line) => lines.push(`${level}: ${line}`), ['s3cr3t-value']);
		logger.error([
			new Error('failed with t-g1044ftoken1234567 and s3cr3t-value'),
			{ headers: { Authorization: 'Bearer t-abc' } },
		]);
		expect(lines).toEqual(['error: Error: failed with [token] and [secret] [object]']);
		expect(redact('x'.repeat(1000), []).length).toBeLessThanOrEqual(301);
	});
});

describe('feishuBaseUrl', () => {
	it('maps regions and validates custom URLs', () => {
		expect(feishuBaseUrl('feishu')).toBe('https://open.feishu.cn');
		expect(feishuBaseUrl('lark')).toBe('https://open.larksuite.com');
		expect(feishuBaseUrl('custom', 'http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
		expect(feishuBaseUrl('custom', 'https://open.example.com/open-apis')).toBe('https://open.example.com');
		expect(() => feishuBaseUrl('custom', '')).toThrow(/custom base URL/);
	});
});
