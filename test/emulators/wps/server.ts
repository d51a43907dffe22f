import { type IncomingMessage, type ServerResponse, createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { signedRequestUri } from '../../../lib/wps/ksoSign';
import { adminHandlers } from './adminRoutes';
import { verifyKso } from './auth';
import { CODE, WpsFault, fail, httpStatusFor } from './errors';
import type { FaultKind } from './faults';
import { TOKEN_ENDPOINT_KEY, endpointKey, matchRoute } from './router';
import type { EmulatorState } from './state';
import { AppView } from './views';

const SCOPE_READ = 'kso.contact.read';
const SCOPE_WRITE = 'kso.contact.readwrite';

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(payload);
	res.writeHead(status, {
		...headers,
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

/** `{code, msg}` with a human `msg`, as WPS answers; the reason travels in a header for the emulator's own tests. */
function sendFault(res: ServerResponse, fault: WpsFault): void {
	sendJson(res, httpStatusFor(fault.code), { code: fault.code, msg: fault.msg }, { 'x-emulator-reason': fault.reason });
}

/** Success: `{code: 0, msg, data}`; calls documented to answer `{code, msg}` only return undefined and get no `data`. */
function sendOk(res: ServerResponse, data: unknown): void {
	sendJson(res, 200, data === undefined ? { code: 0, msg: 'success' } : { code: 0, msg: 'success', data });
}

function parseJson(raw: Buffer): Record<string, unknown> {
	if (raw.length === 0) return {};
	try {
		const value = JSON.parse(raw.toString('utf8'));
		if (value && typeof value === 'object' && !Array.isArray(value)) return value;
	} catch {
		// refused below
	}
	throw fail.format('the body must be a JSON object');
}

/** `POST /oauth2/token`, form-encoded client credentials. */
function handleToken(state: EmulatorState, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
	state.count(TOKEN_ENDPOINT_KEY);
	if (req.method !== 'POST') throw new WpsFault(CODE.badFormat, 'method_not_allowed', 'use POST');
	if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
		throw fail.format('the token request must be application/x-www-form-urlencoded');
	}
	const form = new URLSearchParams(raw.toString('utf8'));
	if (form.get('grant_type') !== 'client_credentials') {
		throw fail.value('unsupported_grant_type', 'grant_type must be client_credentials');
	}
	const app = state.apps.get(form.get('client_id') ?? '');
	if (!app || app.clientSecret !== form.get('client_secret')) {
		throw fail.auth('invalid_client', 'client_id or client_secret is wrong');
	}
	sendJson(res, 200, state.tokens.issue(app.clientId, state.now()));
}

/** Applies a fault that answers instead of the handler; true when the request is finished. */
function answerWithFault(kind: FaultKind, req: IncomingMessage, res: ServerResponse, random: number): boolean {
	if (kind === 'drop') {
		req.socket.destroy();
		return true;
	}
	if (kind === '5xx') {
		// Gateways in front of WPS answer bodies that are not the envelope.
		if (random < 0.34) {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body>502 Bad Gateway</body></html>');
		} else {
			const status = random < 0.67 ? 500 : 503;
			sendJson(res, status, { code: CODE.serverError, msg: '服务器内部错误 Internal error, please retry later' });
		}
		return true;
	}
	return false;
}

async function handleApi(
	state: EmulatorState,
	pending: Set<NodeJS.Timeout>,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	path: string,
	raw: Buffer,
	signedUri: string,
): Promise<void> {
	const match = matchRoute(req.method ?? 'GET', path);
	if (match.kind === 'none') throw fail.notFound('route_not_found', `no endpoint ${req.method} ${path}`);
	if (match.kind === 'wrongMethod') {
		state.count(endpointKey(match.route));
		const fault = new WpsFault(CODE.badFormat, 'method_not_allowed', `${path} takes ${match.route.method}`);
		sendJson(res, 405, { code: fault.code, msg: fault.msg }, { 'x-emulator-reason': fault.reason });
		return;
	}
	const { route, params } = match;
	const key = endpointKey(route);
	state.count(key);
	const now = state.now();
	const app = state.apps.get(state.tokens.resolve(req.headers.authorization, now));
	if (!app) throw fail.auth('invalid_token', 'the app of this token no longer exists');
	verifyKso(app, route.method, signedUri, req.headers, raw, now);
	const needed = route.write ? SCOPE_WRITE : SCOPE_READ;
	if (!app.scopes.has(needed) && !(needed === SCOPE_READ && app.scopes.has(SCOPE_WRITE))) throw fail.scope(needed);
	if (!state.rateLimiter.take(app.clientId, now)) {
		state.counters.rateLimited++;
		throw new WpsFault(CODE.tooManyRequests, 'too_many_requests', 'the app exceeded its request rate');
	}
	const fault = state.faultPlan?.decide(key);
	if (fault) {
		state.countFault(fault, route.write);
		if (answerWithFault(fault, req, res, state.faultPlan!.variant())) return;
	}
	const body = route.method === 'POST' ? parseJson(raw) : {};
	const view = new AppView(state.tenants.get(app.tenantId)!, app);
	const data = route.handle({ view, params, query: url.searchParams, body, now });
	if (route.write) state.counters.writes++;
	if (fault === 'applied_then_timeout') {
		// The write is applied; the answer comes after the client has given up waiting.
		const timer = setTimeout(() => {
			pending.delete(timer);
			if (!res.destroyed) sendOk(res, data);
		}, state.faultPlan?.slowMs ?? 3000);
		pending.add(timer);
		return;
	}
	sendOk(res, data);
}

export interface RunningServer {
	server: Server;
	port: number;
	close(): Promise<void>;
}

export function startServer(state: EmulatorState, port: number, pathPrefix: string): Promise<RunningServer> {
	const pending = new Set<NodeJS.Timeout>();
	const server = createServer(async (req, res) => {
		try {
			const raw = await readBody(req);
			const url = new URL(req.url ?? '/', 'http://emulator');
			if (url.pathname.startsWith('/__admin/')) {
				const handler = adminHandlers[url.pathname.slice('/__admin/'.length)];
				if (!handler) return sendJson(res, 404, { error: `no admin route ${url.pathname}` });
				try {
					return sendJson(res, 200, (await handler(state, raw.length ? JSON.parse(raw.toString('utf8')) : {})) ?? {});
				} catch (error) {
					return sendJson(res, 400, { error: (error as Error).message });
				}
			}
			if (pathPrefix && !url.pathname.startsWith(pathPrefix + '/')) {
				throw fail.notFound('route_not_found', `this deployment serves under ${pathPrefix}`);
			}
			const path = url.pathname.slice(pathPrefix.length);
			if (path === '/oauth2/token') return handleToken(state, req, raw, res);
			await handleApi(state, pending, req, res, url, path, raw, signedRequestUri(url, pathPrefix || undefined));
		} catch (error) {
			if (res.headersSent || res.destroyed) return;
			if (error instanceof WpsFault) return sendFault(res, error);
			sendJson(res, 500, {
				code: CODE.serverError,
				msg: `服务器内部错误 Internal error: ${String((error as Error)?.message ?? error)}`,
			});
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				server,
				port: (server.address() as AddressInfo).port,
				close: () =>
					new Promise<void>((done) => {
						for (const timer of pending) clearTimeout(timer);
						pending.clear();
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}
