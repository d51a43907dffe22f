/**
 * Downloads of attachment URLs taken from input items (Bitable Sync, Record Status). A URL in an item
 * is data, not configuration: without limits one row could make n8n fetch its own host's services
 * (127.0.0.1, the cloud metadata address 169.254.169.254, the office network) and upload the answer
 * to Feishu, or hang the run, or fill its memory. So: http(s) only, private and loopback addresses
 * refused unless the node's option allows them, every redirect checked again, a deadline and a size cap.
 * The address check runs in the socket's own DNS lookup, so a name cannot resolve to a public address
 * for the check and to a private one for the connection.
 */
import { ServiceError } from '../errors';
import { lookup as dnsLookup, type LookupAddress } from 'dns';
import * as http from 'http';
import * as https from 'https';
import { isIP } from 'net';

export interface DownloadOptions {
	/** Allow private, loopback, link-local and other non-public addresses (default: refused). */
	allowPrivateNetwork?: boolean;
	/** The whole download, redirects included (default 30 s). */
	timeoutMs?: number;
	/** Largest file accepted (default 20 MB, the size Feishu's upload_all takes in one call). */
	maxBytes?: number;
	/** Redirects followed at most (default 5). */
	maxRedirects?: number;
	/** Which addresses count as private (default isPrivateAddress; tests let a loopback server stand in for a public one). */
	isPrivate?: (address: string) => boolean;
}

export interface DownloadedFile {
	name: string;
	mimeType: string;
	data: Buffer;
}

export const DEFAULT_DOWNLOAD: Required<DownloadOptions> = {
	allowPrivateNetwork: false,
	timeoutMs: 30_000,
	maxBytes: 20 * 1024 * 1024,
	maxRedirects: 5,
	isPrivate: isPrivateAddress,
};

/** A download refused or failed; the message names the URL (never a query string's secrets) and the reason. */
export class DownloadError extends ServiceError {
	constructor(
		readonly url: string,
		readonly reason: string,
		readonly hint: string,
	) {
		super(`Downloading ${url} for an attachment field: ${reason}`, { service: 'http', kind: 'network', hint: hint });
	}
}

const PRIVATE_HINT =
	'Attachment URLs must point at public addresses. If the file server is in your own network on purpose, turn on the node option "Allow Private Network URLs".';

function ipv4Parts(address: string): number[] | undefined {
	const parts = address.split('.').map(Number);
	return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

/** Whether an IP address is outside the public internet (private, loopback, link-local, CGNAT, multicast, reserved). */
export function isPrivateAddress(address: string): boolean {
	const text = address
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	const v4 = ipv4Parts(text);
	if (v4) {
		const [a, b] = v4;
		return (
			a === 0 ||
			a === 10 ||
			a === 127 ||
			(a === 100 && b >= 64 && b <= 127) ||
			(a === 169 && b === 254) ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 192 && b === 0 && v4[2] === 0) ||
			(a === 198 && (b === 18 || b === 19)) ||
			a >= 224
		);
	}
	if (isIP(text) !== 6) return true; // not an address at all: never treat it as public
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (mapped) return isPrivateAddress(mapped[1]);
	if (text === '::' || text === '::1') return true;
	const first = parseInt(text.split(':')[0] || '0', 16);
	return (
		(first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
		(first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
		(first & 0xff00) === 0xff00 || // multicast
		text.startsWith('::ffff:') ||
		text.startsWith('64:ff9b:') // NAT64: the embedded IPv4 address is not checked
	);
}

/** The URL without its query and fragment, for messages (query strings often carry tokens). */
export function shownUrl(url: string): string {
	try {
		const u = new URL(url);
		return `${u.protocol}//${u.host}${u.pathname}`;
	} catch {
		return url.split(/[?#]/)[0].slice(0, 200);
	}
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup for the socket that refuses names resolving to a non-public address. */
function checkedLookup(rules: Required<DownloadOptions>, url: string) {
	return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
		dnsLookup(hostname, { all: true, family: options?.family }, (err, addresses) => {
			if (err) return callback(err, '');
			const list = addresses as LookupAddress[];
			const blocked = rules.allowPrivateNetwork ? undefined : list.find((a) => rules.isPrivate(a.address));
			if (blocked) {
				return callback(
					new DownloadError(
						url,
						`${hostname} resolves to the private or local address ${blocked.address}`,
						PRIVATE_HINT,
					) as NodeJS.ErrnoException,
					'',
				);
			}
			if (options?.all) return callback(null, list);
			return callback(null, list[0].address, list[0].family);
		});
	};
}

function checkUrl(url: string, options: Required<DownloadOptions>): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new DownloadError(shownUrl(url), 'it is not a valid URL', 'Give an http:// or https:// URL.');
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new DownloadError(
			shownUrl(url),
			`the scheme ${parsed.protocol} is not allowed`,
			'Only http:// and https:// URLs are downloaded.',
		);
	}
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	// names are checked where the socket resolves them (checkedLookup); literal addresses never reach a lookup
	if (!options.allowPrivateNetwork && isIP(host) && options.isPrivate(host)) {
		throw new DownloadError(shownUrl(url), `${host} is a private or local address`, PRIVATE_HINT);
	}
	return parsed;
}

/** One GET: resolves with the response (redirects not followed) or rejects. */
function get(url: URL, options: Required<DownloadOptions>, signal: AbortSignal): Promise<http.IncomingMessage> {
	const client = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = client.get(url, { lookup: checkedLookup(options, shownUrl(url.href)) as never, signal }, resolve);
		request.on('error', reject);
	});
}

function readBody(response: http.IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		response.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				response.destroy();
				reject(
					new DownloadError(
						url,
						`the file is larger than ${maxBytes} bytes`,
						'Attach a smaller file, or upload it to Feishu another way.',
					),
				);
				return;
			}
			chunks.push(chunk);
		});
		response.on('end', () => resolve(Buffer.concat(chunks)));
		response.on('error', reject);
	});
}

/** Downloads one attachment URL under the rules above. */
export async function downloadFile(url: string, given: DownloadOptions = {}): Promise<DownloadedFile> {
	const options = {
		...DEFAULT_DOWNLOAD,
		...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
	} as Required<DownloadOptions>;
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), options.timeoutMs);
	try {
		let current = checkUrl(url, options);
		for (let redirects = 0; ; redirects++) {
			const shown = shownUrl(current.href);
			let response: http.IncomingMessage;
			try {
				response = await get(current, options, controller.signal);
			} catch (error) {
				if (error instanceof DownloadError) throw error;
				if (controller.signal.aborted) {
					throw new DownloadError(
						shown,
						`no answer within ${options.timeoutMs} ms`,
						'Check that the file server answers, or try again later.',
					);
				}
				throw new DownloadError(
					shown,
					(error as Error).message,
					'Check the URL and that n8n can reach the file server.',
				);
			}
			const status = response.statusCode ?? 0;
			if (status >= 300 && status < 400 && response.headers.location) {
				response.resume();
				if (redirects >= options.maxRedirects) {
					throw new DownloadError(shown, `more than ${options.maxRedirects} redirects`, "Give the file's final URL.");
				}
				// the target of a redirect is checked like the first URL (scheme and address)
				current = checkUrl(new URL(response.headers.location, current).href, options);
				continue;
			}
			if (status < 200 || status >= 300) {
				response.resume();
				throw new DownloadError(
					shown,
					`the server answered HTTP ${status}`,
					'Check that the URL is right and the file is public.',
				);
			}
			const length = Number(response.headers['content-length']);
			if (Number.isFinite(length) && length > options.maxBytes) {
				response.destroy();
				throw new DownloadError(
					shown,
					`the file is ${length} bytes, more than ${options.maxBytes}`,
					'Attach a smaller file, or upload it to Feishu another way.',
				);
			}
			let data: Buffer;
			try {
				data = await readBody(response, shown, options.maxBytes);
			} catch (error) {
				if (error instanceof DownloadError) throw error;
				throw new DownloadError(
					shown,
					controller.signal.aborted ? `no complete answer within ${options.timeoutMs} ms` : (error as Error).message,
					'Try again later.',
				);
			}
			const name = decodeURIComponent(current.pathname.split('/').filter(Boolean).pop() ?? '') || 'file';
			const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream')
				.split(';')[0]
				.trim();
			return { name, mimeType, data };
		}
	} finally {
		clearTimeout(timer);
	}
}
