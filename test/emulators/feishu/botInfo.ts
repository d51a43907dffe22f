/** GET /open-apis/bot/v3/info: the app's bot identity, answered outside `data` as Feishu does. */
import { RawReply, type Route } from './http/route';
import { appOpenId } from './state';

export const botInfoRoute: Route = {
	method: 'GET',
	path: '/open-apis/bot/v3/info',
	key: 'bot.info',
	limit: 'read',
	write: false,
	auth: true,
	body: 'none',
	handle(ctx) {
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
	},
};
