/**
 * Where a stuck upload's artefact is looked for: an HTTP HEAD on a URL (2xx = there, 404/410 = missing, anything
 * else or no answer = unknown), or a row of a MySQL table whose column equals a value. HEAD follows no redirects and
 * refuses private, loopback and link-local addresses unless allowed (as attachment downloads do: lib/bitableSync/download).
 */
import { lookup as dnsLookup, type LookupAddress } from 'dns';
import * as http from 'http';
import * as https from 'https';
import { isIP } from 'net';
import { isPrivateAddress, shownUrl } from '../bitableSync/download';
import { escapeIdentifier } from '../mysql/identifiers';
import type { ArtefactCheck } from './reconcileUploads';

export interface HeadOptions {
	allowPrivateNetwork?: boolean;
	timeoutMs?: number;
}

export function headArtefact(url: string, options: HeadOptions = {}): Promise<ArtefactCheck> {
	let parsed: URL;
	try {
		parsed = new URL(String(url ?? '').trim());
	} catch {
		return Promise.resolve({
			state: 'missing',
			detail: `no valid artefact URL (${JSON.stringify(String(url ?? '').slice(0, 100))})`,
		});
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		return Promise.resolve({ state: 'missing', detail: `no http(s) artefact URL (${parsed.protocol})` });
	const shown = shownUrl(parsed.href);
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	if (!options.allowPrivateNetwork && isIP(host) && isPrivateAddress(host)) {
		return Promise.resolve({
			state: 'unknown',
			detail: `${shown}: ${host} is a private or local address (turn on Allow Private Network URLs)`,
		});
	}
	const lookup = (
		hostname: string,
		opts: { all?: boolean; family?: number },
		callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
	) =>
		dnsLookup(hostname, { all: true, family: opts?.family }, (err, addresses) => {
			if (err) return callback(err, '');
			const list = addresses as LookupAddress[];
			const blocked = options.allowPrivateNetwork ? undefined : list.find((a) => isPrivateAddress(a.address));
			if (blocked)
				return callback(new Error(`${hostname} resolves to the private or local address ${blocked.address}`), '');
			if (opts?.all) return callback(null, list);
			return callback(null, list[0].address, list[0].family);
		});
	const client = parsed.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		const request = client.request(
			parsed,
			{ method: 'HEAD', lookup: lookup as never, timeout: options.timeoutMs ?? 10_000 },
			(response) => {
				response.resume();
				const code = response.statusCode ?? 0;
				if (code >= 200 && code < 300) resolve({ state: 'exists', detail: `HEAD ${shown}: ${code}` });
				else if (code === 404 || code === 410) resolve({ state: 'missing', detail: `HEAD ${shown}: ${code}` });
				else resolve({ state: 'unknown', detail: `HEAD ${shown}: ${code}` });
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)));
		request.on('error', (error) => resolve({ state: 'unknown', detail: `HEAD ${shown}: ${error.message}` }));
		request.end();
	});
}

export interface Queryable {
	query(sql: string, values?: unknown[]): Promise<unknown>;
}

/** A row of `table` whose `column` equals `value`: there or missing (a failing query is unknown). */
export async function rowArtefact(
	db: Queryable,
	table: string,
	column: string,
	value: unknown,
): Promise<ArtefactCheck> {
	if (value === undefined || value === null || value === '')
		return { state: 'missing', detail: `no value to look up in ${table}.${column}` };
	try {
		const [rows] = (await db.query(
			`SELECT 1 FROM ${escapeIdentifier(table)} WHERE ${escapeIdentifier(column)} = ? LIMIT 1`,
			[value],
		)) as [unknown[]];
		return rows.length
			? { state: 'exists', detail: `a row in ${table} has ${column} = ${String(value)}` }
			: { state: 'missing', detail: `no row in ${table} has ${column} = ${String(value)}` };
	} catch (error) {
		return { state: 'unknown', detail: `${table}: ${(error as Error).message}` };
	}
}
