import { createHash, createHmac } from 'crypto';

/**
 * WPS 365 "KSO-1" request signature, needed only when the app turned on interface signing:
 * sig = hex(HMAC-SHA256(secret, "KSO-1" + METHOD + RequestURI(with query) + Content-Type + X-Kso-Date
 *                                + (body ? hex(sha256(body)) : "")))
 */
export interface KsoSignInput {
	secretKey: string;
	method: string;
	/** Path and query as sent, e.g. `/v7/test?key=value` (private deployments: without `/openapi`). */
	requestUri: string;
	contentType: string;
	/** RFC 1123, e.g. `Mon, 02 Jan 2006 15:04:05 GMT`. */
	date: string;
	body?: string | Uint8Array;
}

export function ksoSignature(input: KsoSignInput): string {
	const body = input.body ?? '';
	const bodyHash = body.length ? createHash('sha256').update(body).digest('hex') : '';
	return createHmac('sha256', input.secretKey)
		.update('KSO-1' + input.method.toUpperCase() + input.requestUri + input.contentType + input.date + bodyHash)
		.digest('hex');
}

export function ksoHeaders(input: Omit<KsoSignInput, 'date'> & { appId: string; date?: string }): {
	'X-Kso-Date': string;
	'X-Kso-Authorization': string;
} {
	const date = input.date ?? new Date().toUTCString();
	return {
		'X-Kso-Date': date,
		'X-Kso-Authorization': `KSO-1 ${input.appId}:${ksoSignature({ ...input, date })}`,
	};
}

/** Parses `KSO-1 <appId>:<sig>`; undefined when the header has another shape. */
export function parseKsoAuthorization(header: string): { appId: string; signature: string } | undefined {
	const m = /^KSO-1 ([^:\s]+):([0-9a-f]{64})$/i.exec(header.trim());
	return m ? { appId: m[1], signature: m[2].toLowerCase() } : undefined;
}

/**
 * The URI that is signed: path plus query of the request, minus the private-deployment prefix
 * (e.g. `/openapi`) when the deployment signs without it.
 */
export function signedRequestUri(url: URL, dropPrefix?: string): string {
	let path = url.pathname;
	if (dropPrefix && (path === dropPrefix || path.startsWith(dropPrefix + '/')))
		path = path.slice(dropPrefix.length) || '/';
	return path + url.search;
}
