/** Open Platform hosts by region (the credential's choice). */
export type FeishuRegion = 'feishu' | 'lark' | 'custom';

export const REGION_BASE_URLS = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' } as const;

export function feishuBaseUrl(region: FeishuRegion | string | undefined, customBaseUrl?: string): string {
	if (region === 'lark') return REGION_BASE_URLS.lark;
	if (region === 'custom') {
		const url = (customBaseUrl ?? '').trim().replace(/\/+$/, '');
		if (!/^https?:\/\/[^/]+/.test(url)) {
			throw new Error('The Feishu credential uses a custom base URL but it is empty or not an http(s) URL');
		}
		return url.replace(/\/open-apis$/, '');
	}
	return REGION_BASE_URLS.feishu;
}
