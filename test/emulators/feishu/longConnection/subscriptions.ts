/**
 * Subscribing a base's record changes (drive/v1/files/:file_token/subscribe?file_type=bitable), as the SDK's
 * `drive.v1.file.subscribe` / `deleteSubscribe` / `getSubscribe` call it. A subscription is per app and base; the
 * long connection (server.ts) pushes drive.file.bitable_record_changed_v1 only to apps that subscribed.
 */
import { E } from '../errors';
import { route, type Ctx, type Route } from '../http/route';

function subscribedBase(ctx: Ctx): string {
	if (ctx.query.get('file_type') !== 'bitable') throw E.driveParams('file_type must be bitable for a base');
	const base = ctx.state.bases.get(ctx.params.file_token);
	if (!base) throw E.baseNotFound();
	if (!base.apps.has(ctx.appId)) throw E.forbidden();
	return `${ctx.appId}|${base.app_token}`;
}

export const subscriptionRoutes: Route[] = [
	route('POST', '/open-apis/drive/v1/files/:file_token/subscribe', 'drive.subscribe', 'json', (ctx) => {
		ctx.state.subscriptions.add(subscribedBase(ctx));
		return {};
	}),
	route('DELETE', '/open-apis/drive/v1/files/:file_token/delete_subscribe', 'drive.delete_subscribe', 'none', (ctx) => {
		ctx.state.subscriptions.delete(subscribedBase(ctx));
		return {};
	}),
	route('GET', '/open-apis/drive/v1/files/:file_token/get_subscribe', 'drive.get_subscribe', 'none', (ctx) => {
		return { is_subscribe: ctx.state.subscriptions.has(subscribedBase(ctx)) };
	}),
];
