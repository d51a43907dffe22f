import { WpsApiError } from './errors';
import { ksoHeaders, signedRequestUri } from './ksoSign';

/** One HTTP exchange with WPS: URL, headers, optional KSO-1 signature, timeout, envelope. No retries here. */

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface WireConfig {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	signing: boolean;
	/** Path prefix of the base URL left out of the signed URI (private deployments), e.g. `/openapi`. */
	unsignedPrefix?: string;
	timeoutMs: number;
	fetch: typeof fetch;
	/** Clock for X-Kso-Date. */
	now: () => number;
}

export interface WireRequest {
	method: 'GET' | 'POST';
	/** Concrete path, e.g. `/v7/depts/123/children`. */
	path: string;
	/** Template for errors and counters, e.g. `GET /v7/depts/{dept_id}/children`. */
	endpoint: string;
	query?: Record<string, QueryValue>;
	body?: unknown;
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): URL {
	const url = new URL(baseUrl.replace(/\/+$/, '') + path);
	for (const [key, value] of Object.entries(query ?? {})) {
		if (value === undefined) continue;
		// Arrays repeat the key (status=active&status=disabled).
		if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
		else url.searchParams.set(key, String(value));
	}
	return url;
}

async function exchange(
	config: WireConfig,
	endpoint: string,
	url: URL,
	init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), config.timeoutMs);
	try {
		const res = await config.fetch(url, { ...init, signal: controller.signal });
		return { status: res.status, text: await res.text() };
	} catch (error) {
		if (controller.signal.aborted) {
			throw new WpsApiError({
				kind: 'timeout',
				endpoint,
				msg: 'timeout',
				detail: `no answer within ${config.timeoutMs} ms`,
			});
		}
		const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
		throw new WpsApiError({
			kind: 'network',
			endpoint,
			msg: 'network_error',
			detail: `${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'connection failed'}`,
		});
	} finally {
		clearTimeout(timer);
	}
}

function parse(endpoint: string, status: number, text: string): Record<string, unknown> {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	if (!json || typeof json !== 'object') {
		throw new WpsApiError({
			kind: 'api',
			endpoint,
			httpStatus: status,
			msg: 'bad_response',
			detail: `the answer (HTTP ${status}) is not JSON`,
		});
	}
	return json as Record<string, unknown>;
}

/** `code` is a number on every page; a numeric string is read alike. */
function codeOf(json: Record<string, unknown>): number | undefined {
	const code = typeof json.code === 'string' && json.code.trim() !== '' ? Number(json.code) : json.code;
	return typeof code === 'number' && Number.isFinite(code) ? code : undefined;
}

/** `msg` is WPS's human text, kept only to show it; private deployments add `detail`. */
function failure(endpoint: string, status: number, json: Record<string, unknown>): WpsApiError {
	return new WpsApiError({
		kind: 'api',
		endpoint,
		httpStatus: status,
		code: codeOf(json),
		msg: typeof json.msg === 'string' && json.msg ? json.msg : `HTTP ${status}`,
		detail: typeof json.detail === 'string' && json.detail ? json.detail : undefined,
	});
}

/** `POST /oauth2/token` with form-encoded client credentials. */
export async function requestToken(config: WireConfig): Promise<{ token: string; expiresInS: number }> {
	const endpoint = 'POST /oauth2/token';
	const body = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: config.clientId,
		client_secret: config.clientSecret,
	}).toString();
	const { status, text } = await exchange(config, endpoint, buildUrl(config.baseUrl, '/oauth2/token'), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body,
	});
	const json = parse(endpoint, status, text);
	// Answered flat (OAuth2 style) or inside the envelope's data.
	const payload = (json.access_token ? json : json.data) as { access_token?: string; expires_in?: number } | undefined;
	const code = codeOf(json);
	if (!payload?.access_token || (code !== undefined && code !== 0) || status >= 400)
		throw failure(endpoint, status, json);
	return { token: payload.access_token, expiresInS: Number(payload.expires_in ?? 7200) };
}

/** A v7 call with a bearer token; returns the envelope's `data`. */
export async function send(config: WireConfig, token: string, req: WireRequest): Promise<unknown> {
	const url = buildUrl(config.baseUrl, req.path, req.query);
	const body = req.method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined;
	const contentType = 'application/json';
	const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': contentType };
	if (config.signing) {
		Object.assign(
			headers,
			ksoHeaders({
				appId: config.clientId,
				secretKey: config.clientSecret,
				method: req.method,
				requestUri: signedRequestUri(url, config.unsignedPrefix),
				contentType,
				body,
				date: new Date(config.now()).toUTCString(),
			}),
		);
	}
	const { status, text } = await exchange(config, req.endpoint, url, { method: req.method, headers, body });
	const json = parse(req.endpoint, status, text);
	if (codeOf(json) !== 0 || status >= 400) throw failure(req.endpoint, status, json);
	return json.data;
}
