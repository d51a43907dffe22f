/** Tenant access tokens: issue (top-level fields, 7200 s), verify (99991661 missing, 99991663 invalid/expired). */
import { randomBytes } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import { E } from './errors';
import { RawReply, route } from './http/route';
import type { State } from './state';

export const TOKEN_TTL_S = 7200;
/** Feishu re-issues a new token only when the current one has less than 30 min left. */
const REISSUE_BELOW_MS = 30 * 60_000;

function issue(state: State, appId: string): { token: string; expire: number } {
	const now = state.now();
	const current = state.latestToken.get(appId);
	const info = current ? state.tokens.get(current) : undefined;
	if (current && info && !info.revoked && info.expiresAt - now > REISSUE_BELOW_MS) {
		return { token: current, expire: Math.floor((info.expiresAt - now) / 1000) };
	}
	const token = `t-${randomBytes(20).toString('hex')}`;
	state.tokens.set(token, { appId, expiresAt: now + TOKEN_TTL_S * 1000, revoked: false });
	state.latestToken.set(appId, token);
	return { token, expire: TOKEN_TTL_S };
}

/** The app id behind the bearer token, or a FeishuError. */
export function authenticate(state: State, headers: IncomingHttpHeaders): string {
	const header = headers.authorization;
	if (!header || !/^Bearer\s+\S/.test(header)) throw E.tokenMissing();
	const info = state.tokens.get(header.replace(/^Bearer\s+/, '').trim());
	if (!info || info.revoked || info.expiresAt <= state.now() || !state.apps.has(info.appId)) throw E.tokenInvalid();
	return info.appId;
}

export function expireAllTokens(state: State): void {
	for (const info of state.tokens.values()) info.revoked = true;
}

export const authRoute = route(
	'POST',
	'/open-apis/auth/v3/tenant_access_token/internal',
	'auth.tenant_token',
	'json',
	(ctx) => {
		const { app_id, app_secret } = (ctx.body ?? {}) as { app_id?: unknown; app_secret?: unknown };
		if (typeof app_id !== 'string' || !app_id || typeof app_secret !== 'string' || !app_secret) throw E.appIdInvalid();
		const app = ctx.state.apps.get(app_id);
		if (!app) throw E.appIdInvalid();
		if (app.appSecret !== app_secret) throw E.appSecretInvalid();
		const { token, expire } = issue(ctx.state, app_id);
		// the token fields sit at the top level, not in `data`
		return new RawReply(200, { code: 0, msg: 'ok', tenant_access_token: token, expire });
	},
	{ auth: false },
);
