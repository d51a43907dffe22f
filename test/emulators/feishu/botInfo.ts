/** GET /open-apis/bot/v3/info: the app's bot identity, answered outside `data` as Feishu does. */
import { RawReply, route } from './http/route';
import { appOpenId } from './state';

export const botInfoRoute = route('GET', '/open-apis/bot/v3/info', 'bot.info', 'none', (ctx) => {
	const app = ctx.state.apps.get(ctx.appId);
	return new RawReply(200, {
		code: 0,
		msg: 'ok',
		bot: {
			activate_status: 2,
			app_name: app?.name ?? ctx.appId,
			avatar_url: '',
			ip_white_list: [],
			open_id: appOpenId(ctx.appId),
		},
	});
});
