/** Contact lookup (emails / mobiles -> user ids) and wiki node resolution. */
import { E } from './errors';
import type { Route } from './http/route';
import type { User } from './state';

const MAX_IDS = 50;

function idOf(user: User, idType: string, appId: string): string | undefined {
	return idType === 'user_id'
		? user.user_id
		: idType === 'union_id'
			? user.union_id
			: (user.openIds?.[appId] ?? user.open_id);
}

const digits = (m: string): string => m.replace(/^\+86/, '').replace(/\D/g, '');

export const contactRoute: Route = {
	method: 'POST',
	path: '/open-apis/contact/v3/users/batch_get_id',
	key: 'contact.batch_get_id',
	limit: 'contact',
	write: false,
	auth: true,
	body: 'json',
	handle(ctx) {
		const idType = ctx.query.get('user_id_type') ?? 'open_id';
		if (!['open_id', 'union_id', 'user_id'].includes(idType)) throw E.fieldValidation('user_id_type');
		const emails = ctx.body?.emails ?? [];
		const mobiles = ctx.body?.mobiles ?? [];
		if (!Array.isArray(emails) || !Array.isArray(mobiles)) throw E.fieldValidation('emails and mobiles must be arrays');
		if (emails.length > MAX_IDS || mobiles.length > MAX_IDS)
			throw E.fieldValidation(`at most ${MAX_IDS} emails and ${MAX_IDS} mobiles`);
		const users = [...ctx.state.users.values()];
		const user_list = [
			...emails.map((email: string) => {
				const u = users.find((x) => x.email && x.email.toLowerCase() === String(email).toLowerCase());
				const id = u && idOf(u, idType, ctx.appId);
				return id
					? {
							user_id: id,
							email,
							status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
						}
					: { email };
			}),
			...mobiles.map((mobile: string) => {
				const u = users.find((x) => x.mobile && digits(x.mobile) === digits(String(mobile)));
				const id = u && idOf(u, idType, ctx.appId);
				return id
					? {
							user_id: id,
							mobile,
							status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
						}
					: { mobile };
			}),
		];
		return { user_list };
	},
};

export const wikiRoute: Route = {
	method: 'GET',
	path: '/open-apis/wiki/v2/spaces/get_node',
	key: 'wiki.get_node',
	limit: 'wiki',
	write: false,
	auth: true,
	body: 'none',
	handle(ctx) {
		const token = ctx.query.get('token') ?? '';
		const objType = ctx.query.get('obj_type') ?? 'wiki';
		const nodes = [...ctx.state.wiki.values()];
		const node =
			objType === 'wiki' ? ctx.state.wiki.get(token) : nodes.find((n) => n.objToken === token && n.objType === objType);
		if (!node) throw E.wikiNotFound();
		if (node.apps && !node.apps.has(ctx.appId)) throw E.wikiNoPermission();
		const t = String(Math.floor(ctx.state.now() / 1000));
		return {
			node: {
				space_id: node.spaceId,
				node_token: node.nodeToken,
				obj_token: node.objToken,
				obj_type: node.objType,
				parent_node_token: '',
				node_type: 'origin',
				origin_node_token: node.nodeToken,
				origin_space_id: node.spaceId,
				has_child: false,
				title: node.title,
				obj_create_time: t,
				obj_edit_time: t,
				node_create_time: t,
				creator: 'ou_base_owner',
				owner: 'ou_base_owner',
			},
		};
	},
};
