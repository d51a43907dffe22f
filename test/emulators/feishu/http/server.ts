/**
 * The Open API pipeline: route -> count -> authenticate -> rate limit -> fault plan -> body -> client_token replay
 * -> handler -> (applied-then-drop / applied-then-slow faults) -> answer. Admin routes branch off before it.
 */
import http, { type IncomingMessage, type ServerResponse } from 'http';
import { authenticate } from '../auth';
import type { EmulatorCore } from '../core';
import { MAX_UPLOAD } from '../drive';
import { E, FeishuError } from '../errors';
import type { Fault } from '../faults';
import { matchRoute } from '../routes';
import { missingScope } from '../scopes';
import { BodyTooLarge, readBody } from './body';
import { RawReply, type Ctx, type Route } from './route';
import { WS_ENDPOINT_PATH } from '../longConnection/server';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_JSON_BODY = 64 * 1024 * 1024;

interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type AdminHandler = (name: string, body: unknown) => unknown;

export class EmulatorHttp {
	readonly server: http.Server;
	private readonly timers = new Set<NodeJS.Timeout>();
	/** Bases held by a write in flight (only with a write latency). */
	private readonly busyBases = new Set<string>();
	/** client_token replay keys whose first request has not been answered yet (1254608 for a second one). */
	private readonly inFlight = new Set<string>();

	constructor(
		private readonly core: EmulatorCore,
		private readonly admin: AdminHandler,
	) {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((e) => {
				if (!res.headersSent)
					send(res, { status: 500, body: { code: 1255001, msg: `emulator error: ${(e as Error).message}` } });
			});
		});
		// Idle keep-alive sockets must be closed by the client first (Node's agent: 5 s), never by the server at the
		// moment a client reuses one, which would surface as a spurious ECONNRESET.
		core.longConnections.attach(this.server);
		this.server.keepAliveTimeout = 65_000;
		this.server.headersTimeout = 66_000;
	}

	close(): Promise<void> {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.busyBases.clear();
		this.core.longConnections.close();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://emulator');
		if (url.pathname.startsWith('/__admin/')) return this.handleAdmin(req, res, url.pathname.slice('/__admin/'.length));
		if (url.pathname === WS_ENDPOINT_PATH && req.method === 'POST') {
			const body = await readBody(req, MAX_JSON_BODY);
			let parsed: { AppID?: string; AppSecret?: string } = {};
			try {
				parsed = JSON.parse(body.toString('utf8') || '{}');
			} catch {
				parsed = {};
			}
			return this.core.longConnections.handleEndpoint(parsed, res);
		}
		const match = matchRoute(req.method ?? 'GET', url.pathname);
		if (!match) {
			req.resume();
			return send(res, { status: 404, body: '404 page not found', headers: { 'content-type': 'text/plain' } });
		}
		const { route, params } = match;
		const { state, limiter, faults } = this.core;
		state.bump(state.counters.calls, route.key);
		let raw: Buffer;
		try {
			raw = await readBody(req, route.body === 'multipart' ? MAX_UPLOAD + 1024 * 1024 : MAX_JSON_BODY);
		} catch (e) {
			if (e instanceof BodyTooLarge) return send(res, errorAnswer(E.driveTooLarge()));
			throw e;
		}
		let appId = '';
		try {
			if (route.auth) appId = authenticate(state, req.headers);
		} catch (e) {
			return send(res, errorAnswer(e));
		}
		if (route.auth) {
			const denied = missingScope(state.apps.get(appId)?.scopes, route.key);
			if (denied) return send(res, { status: 400, body: denied });
		}
		if (route.limit !== 'none') {
			const refusal = limiter.check(appId, route.key, route.limit, state.now());
			if (refusal) {
				state.counters.rateLimited++;
				return send(res, {
					status: 429,
					body: { code: 99991400, msg: 'request trigger frequency limit', data: {} },
					headers: {
						'x-ogw-ratelimit-limit': String(refusal.limit),
						'x-ogw-ratelimit-reset': String(refusal.resetSeconds),
					},
				});
			}
		}
		const fault = faults.draw(route.key, route.write);
		if (fault) {
			state.bump(state.counters.faultsInjected, fault.kind);
			if (route.write) state.bump(state.counters.faultsOnWrites, fault.kind);
			const early = earlyFault(fault);
			if (early === 'drop') return void req.socket.destroy();
			if (early) return send(res, early);
		}
		// the same client_token while its first request is still being processed: 1254608 (ReqRecommited)
		const tokenKey =
			route.write && url.searchParams.get('client_token')
				? `${appId}|${route.key}|${url.searchParams.get('client_token')}`
				: undefined;
		if (tokenKey && this.inFlight.has(tokenKey)) return send(res, errorAnswer(E.requestRecommitted()));
		// Feishu advises one concurrent write per base: with a write latency set, a write to a base that another
		// write still holds answers 1254291 (write conflict) and writes nothing.
		const holdsBase =
			route.write && route.key.startsWith('bitable.') && this.core.writeLatencyMs > 0 ? params.app_token : undefined;
		if (holdsBase !== undefined) {
			if (this.busyBases.has(holdsBase)) {
				state.counters.writeConflicts++;
				return send(res, errorAnswer(E.writeConflict()));
			}
			this.busyBases.add(holdsBase);
		}
		const answer = this.execute(route, {
			state,
			baseUrl: this.core.baseUrl,
			params,
			query: url.searchParams,
			headers: req.headers,
			body: {},
			raw,
			appId,
		});
		const finish = () => {
			if (holdsBase !== undefined) this.busyBases.delete(holdsBase);
			if (tokenKey) this.inFlight.delete(tokenKey);
			if (fault?.kind === 'applied_then_drop') return void req.socket.destroy();
			if (fault?.kind === 'applied_then_slow') return this.later(fault.slowMs, () => send(res, answer));
			send(res, answer);
		};
		// the request stays "being processed" until its answer leaves: a repeat of its token meanwhile is 1254608
		if (tokenKey && (holdsBase !== undefined || fault?.kind === 'applied_then_slow')) this.inFlight.add(tokenKey);
		if (holdsBase !== undefined) this.later(this.core.writeLatencyMs, finish);
		else finish();
	}

	private later(ms: number, fn: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
	}

	/** Runs a route with client_token replay; counts applied writes. */
	private execute(route: Route, ctx: Ctx): Answer {
		const { state } = this.core;
		let replayKey: string | undefined;
		try {
			if (route.body === 'json' && ctx.raw.length) {
				try {
					ctx.body = JSON.parse(ctx.raw.toString('utf8'));
				} catch {
					throw E.wrongRequestJson();
				}
			}
			const clientToken = ctx.query.get('client_token');
			if (route.write && clientToken !== null) {
				if (!UUID_V4.test(clientToken)) throw E.badClientToken();
				replayKey = `${ctx.appId}|${route.key}|${clientToken}`;
				const first = state.idempotency.get(replayKey);
				// the same token with another body is a conflict, not a replay (1255006)
				if (first && first.request !== requestKey(ctx)) throw E.clientTokenConflict();
				if (first) {
					state.counters.idempotentReplays++;
					return { status: first.status, body: JSON.parse(JSON.stringify(first.body)) };
				}
			}
			const out = route.handle(ctx);
			const answer: Answer =
				out instanceof RawReply
					? { status: out.status, body: out.body, headers: out.headers }
					: { status: 200, body: { code: 0, msg: 'success', data: out } };
			if (route.write && (answer.body as { code?: number }).code === 0) {
				state.counters.writeCalls++;
				if (replayKey)
					state.idempotency.set(replayKey, {
						status: answer.status,
						body: JSON.parse(JSON.stringify(answer.body)),
						request: requestKey(ctx),
					});
			}
			return answer;
		} catch (e) {
			return errorAnswer(e);
		}
	}

	private async handleAdmin(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
		try {
			const raw = await readBody(req, 512 * 1024 * 1024);
			const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
			const result = await this.admin(name, body);
			send(res, { status: 200, body: { ok: true, result: result ?? null } });
		} catch (e) {
			send(res, {
				status: 400,
				body: { ok: false, error: e instanceof FeishuError ? `${e.code} ${e.msg}` : (e as Error).message },
			});
		}
	}
}

/** What makes two requests "the same" for client_token: path parameters and body. */
function requestKey(ctx: Ctx): string {
	return `${JSON.stringify(ctx.params)}|${ctx.raw.toString('base64')}`;
}

function earlyFault(f: Fault): Answer | 'drop' | undefined {
	switch (f.kind) {
		case '1254290':
			return errorAnswer(E.tooManyRequest());
		case '1254291':
			return errorAnswer(E.writeConflict());
		case '1254607':
			return errorAnswer(E.dataNotReady());
		case 'drop':
			return 'drop';
		case '5xx':
			return gatewayError(f.status ?? 500);
		default:
			return undefined; // applied_then_*: handled after the write
	}
}

function gatewayError(status: number): Answer {
	switch (status) {
		case 502:
			return {
				status,
				body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
				headers: { 'content-type': 'text/html' },
			};
		case 503:
			return { status, body: { code: 1255002, msg: 'ServiceUnavailable', data: {} } };
		case 504:
			return { status, body: { code: 1255040, msg: 'request timeout', data: {} } };
		default:
			return { status: 500, body: { code: 1255001, msg: 'InternalError', data: {} } };
	}
}

function errorAnswer(e: unknown): Answer {
	if (e instanceof FeishuError) return { status: e.status, body: { code: e.code, msg: e.msg, data: {} } };
	return { status: 500, body: { code: 1255001, msg: `InternalError: ${(e as Error)?.message}`, data: {} } };
}

function send(res: ServerResponse, a: Answer): void {
	if (res.headersSent || res.destroyed) return;
	const buf = Buffer.isBuffer(a.body)
		? a.body
		: Buffer.from(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
	res.writeHead(a.status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(buf.length),
		...a.headers,
	});
	res.end(buf);
}
