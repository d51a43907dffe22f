/**
 * The HTTP client handed to the Feishu SDK (its own axios instance has no timeout). Built on the
 * global fetch: every request has a timeout, answers are parsed as JSON, and any answer that is not
 * a success (non-2xx, or a non-zero Feishu `code`) is thrown as a FeishuHttpError that keeps only the
 * code, message, status and rate-limit reset (never the body or headers, which may hold tokens).
 */

import { ServiceError } from '../errors';
import { AsyncLocalStorage } from 'async_hooks';

/**
 * The timeout of the call being made: the SDK's typed methods pass no timeout of their own, so the caller sets
 * it around them (a session's timeout may differ from the one the app's shared HTTP instance was made with).
 */
export const requestTimeout = new AsyncLocalStorage<number>();

export class FeishuHttpError extends ServiceError {
	constructor(
		readonly status: number,
		readonly code: number | undefined,
		readonly feishuMessage: string,
		readonly resetSeconds: number | undefined,
	) {
		super(`Feishu answered HTTP ${status}${code !== undefined ? ` code ${code}` : ''}: ${feishuMessage}`, {
			service: 'feishu',
			kind: 'api',
			code,
		});
	}
}

/** Request options as the SDK passes them (an axios-like subset). */
export interface SdkRequestOptions {
	url?: string;
	method?: string;
	headers?: Record<string, unknown>;
	params?: Record<string, unknown>;
	data?: unknown;
	timeout?: number;
}

type Verb = (url: string, opts?: SdkRequestOptions) => Promise<unknown>;
type VerbWithData = (url: string, data?: unknown, opts?: SdkRequestOptions) => Promise<unknown>;

export interface SdkHttpInstance {
	request(opts: SdkRequestOptions): Promise<unknown>;
	get: Verb;
	delete: Verb;
	head: Verb;
	options: Verb;
	post: VerbWithData;
	put: VerbWithData;
	patch: VerbWithData;
}

function withParams(url: string, params: Record<string, unknown> | undefined): string {
	if (!params) return url;
	const target = new URL(url);
	for (const [key, value] of Object.entries(params)) {
		if (value === undefined || value === null) continue;
		for (const one of Array.isArray(value) ? value : [value]) target.searchParams.append(key, String(one));
	}
	return target.toString();
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : String(headers[key]);
}

/** A plain object sent as multipart (the SDK's convention for uploads): Buffers become files. */
function toFormData(data: Record<string, unknown>): FormData {
	const form = new FormData();
	const fileName = typeof data.file_name === 'string' ? data.file_name : 'file';
	for (const [key, value] of Object.entries(data)) {
		if (value === undefined || value === null) continue;
		if (value instanceof Uint8Array) form.append(key, new Blob([value]), fileName);
		else form.append(key, String(value));
	}
	return form;
}

function encodeBody(method: string, data: unknown, headers: Record<string, string>): string | FormData | undefined {
	if (data === undefined || method === 'GET' || method === 'HEAD') return undefined;
	const type = headerValue(headers, 'content-type') ?? '';
	if (type.startsWith('multipart/form-data')) {
		for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-type') delete headers[key];
		return toFormData(data as Record<string, unknown>);
	}
	if (!type) headers['Content-Type'] = 'application/json; charset=utf-8';
	return typeof data === 'string' ? data : JSON.stringify(data);
}

export function createHttpInstance(defaultTimeoutMs: number): SdkHttpInstance {
	const request = async (opts: SdkRequestOptions): Promise<unknown> => {
		const method = (opts.method ?? 'GET').toUpperCase();
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(opts.headers ?? {})) {
			if (value !== undefined && value !== null) headers[key] = String(value);
		}
		const body = encodeBody(method, opts.data, headers);
		const response = await fetch(withParams(String(opts.url), opts.params), {
			method,
			headers,
			body,
			signal: AbortSignal.timeout(opts.timeout ?? requestTimeout.getStore() ?? defaultTimeoutMs),
		});
		const text = await response.text();
		let parsed: unknown;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		const envelope = (parsed && typeof parsed === 'object' ? parsed : {}) as { code?: unknown; msg?: unknown };
		const code = typeof envelope.code === 'number' ? envelope.code : undefined;
		if (!response.ok || (code !== undefined && code !== 0)) {
			const reset = Number(response.headers.get('x-ogw-ratelimit-reset'));
			throw new FeishuHttpError(
				response.status,
				code,
				typeof envelope.msg === 'string' ? envelope.msg : response.statusText || 'no message',
				Number.isFinite(reset) && response.headers.has('x-ogw-ratelimit-reset') ? reset : undefined,
			);
		}
		return parsed;
	};
	const verb =
		(method: string): Verb =>
		(url, opts) =>
			request({ ...opts, url, method });
	const verbWithData =
		(method: string): VerbWithData =>
		(url, data, opts) =>
			request({ ...opts, url, method, data });
	return {
		request,
		get: verb('GET'),
		delete: verb('DELETE'),
		head: verb('HEAD'),
		options: verb('OPTIONS'),
		post: verbWithData('POST'),
		put: verbWithData('PUT'),
		patch: verbWithData('PATCH'),
	};
}
