/** Contact lookup (emails / mobiles -> user ids) and wiki node resolution. */
import { E } from './errors';
import { route } from './http/route';
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

export const contactRoute = route(
	'POST',
	'/open-apis/contact/v3/users/batch_get_id',
	'contact.batch_get_id',
	'json',
	(ctx) => {
		const idType = ctx.query.get('user_id_type') ?? 'open_id';
		if (!['open_id', 'union_id', 'user_id'].includes(idType)) throw E.fieldValidation('user_id_type');
		const emails = ctx.body?.emails ?? [];
		const mobiles = ctx.body?.mobiles ?? [];
		if (!Array.isArray(emails) || !Array.isArray(mobiles)) throw E.fieldValidation('emails and mobiles must be arrays');
		if (emails.length > MAX_IDS || mobiles.length > MAX_IDS)
			throw E.fieldValidation(`at most ${MAX_IDS} emails and ${MAX_IDS} mobiles`);
		const users = [...ctx.state.users.values()];
		/** One answer per asked email or mobile: its user's id and status when a user has it, else the key alone. */
		const answer = (asked: Record<string, string>, u: User | undefined) => {
			const id = u && idOf(u, idType, ctx.appId);
			if (!id) return asked;
			const status = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
			return { user_id: id, ...asked, status };
		};
		const user_list = [
			...emails.map((email: string) =>
				answer(
					{ email },
					users.find((x) => x.email && x.email.toLowerCase() === String(email).toLowerCase()),
				),
			),
			...mobiles.map((mobile: string) =>
				answer(
					{ mobile },
					users.find((x) => x.mobile && digits(x.mobile) === digits(String(mobile))),
				),
			),
		];
		return { user_list };
	},
);

export const wikiRoute = route('GET', '/open-apis/wiki/v2/spaces/get_node', 'wiki.get_node', 'none', (ctx) => {
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
});
