import type { FeishuSession } from './session';

const openIds = new Map<string, string>();

/**
 * The app's own open id (GET /open-apis/bot/v3/info, which answers `bot` outside `data`), so a
 * trigger can tell the app's edits from people's. Cached per app for the process.
 */
export async function appOpenId(session: FeishuSession): Promise<string> {
	const key = `${session.config.baseUrl}|${session.config.appId}`;
	const cached = openIds.get(key);
	if (cached) return cached;
	const body = await session.request<{ bot?: { open_id?: string } }>({
		endpoint: 'bot.info',
		method: 'GET',
		path: '/open-apis/bot/v3/info',
		raw: true,
	});
	const openId = body?.bot?.open_id;
	if (!openId) {
		throw new Error(
			'Feishu did not say which user this app is (bot/v3/info): enable the app\'s bot capability, or turn off "Ignore Edits Made by This App"',
		);
	}
	openIds.set(key, openId);
	return openId;
}
