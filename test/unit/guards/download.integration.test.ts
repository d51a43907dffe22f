/**
 * Attachment downloads from URLs in items: http(s) only, a deadline, a size cap, private and loopback
 * addresses refused unless allowed, and every redirect checked again. A local server stands in for the
 * file servers; where a test needs a "public" one, `isPrivate` treats 127.0.0.1 as public and every
 * other address as the checker says.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { DownloadError, downloadFile, isPrivateAddress } from '../../../lib/bitableSync/download';
import { prepareItems } from '../../../lib/bitableSync/prepare';
import { resolveSchema } from '../../../lib/bitableSync/schema';
import type { BitableClient } from '../../../lib/bitableSync/types';
import { fetchFileWith } from '../../../lib/recordStatus/stores/bitableStore';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let server: http.Server;
let base: string;
let port: number;
const hung: http.ServerResponse[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname === '/image.png') {
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
			res.end(PNG);
			return;
		}
		if (url.pathname === '/big') {
			res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 5000 });
			res.end(Buffer.alloc(5000));
			return;
		}
		if (url.pathname === '/chunked') {
			res.writeHead(200, { 'content-type': 'application/octet-stream' });
			for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
			res.end();
			return;
		}
		if (url.pathname === '/to') {
			res.writeHead(302, { location: url.searchParams.get('u') ?? '/' });
			res.end();
			return;
		}
		if (url.pathname === '/loop') {
			res.writeHead(301, { location: '/loop' });
			res.end();
			return;
		}
		if (url.pathname === '/hang') {
			hung.push(res); // never answers
			return;
		}
		res.writeHead(404);
		res.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
	base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
	for (const res of hung) res.destroy();
	await new Promise((resolve) => server.close(resolve));
});

/** 127.0.0.1 plays a public server; everything else is judged by the real checker. */
const loopbackIsPublic = (address: string) => address !== '127.0.0.1' && isPrivateAddress(address);

const refusal = (promise: Promise<unknown>) =>
	promise.then(
		() => undefined,
		(e: unknown) => e as DownloadError,
	);

describe('which addresses are private', () => {
	it.each([
		'127.0.0.1',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'fd00::1',
		'fe80::1',
		'::ffff:127.0.0.1',
		'::ffff:10.0.0.1',
		'not-an-ip',
	])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));
	it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
		'%s is public',
		(address) => expect(isPrivateAddress(address)).toBe(false),
	);
});

describe('downloadFile', () => {
	it('downloads from the local server when private addresses are allowed', async () => {
		const file = await downloadFile(`${base}/image.png`, { allowPrivateNetwork: true });
		expect(file).toEqual({ name: 'image.png', mimeType: 'image/png', data: PNG });
	});

	it.each([
		['the loopback address', () => `${base}/image.png`],
		[
			'a name that resolves to loopback (checked where the socket resolves it)',
			() => `http://localhost:${port}/image.png`,
		],
		['IPv6 loopback', () => `http://[::1]:${port}/image.png`],
		['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
		['an office network address', () => 'http://10.0.0.7/file.pdf'],
	])('refuses %s by default, naming the option that allows it', async (_case, url) => {
		const error = await refusal(downloadFile(url()));
		expect(error).toBeInstanceOf(DownloadError);
		expect(error?.message).toMatch(/private or local address/);
		expect(error?.hint).toMatch(/"Allow Private Network URLs"/);
	});

	it.each(['file:///etc/passwd', 'ftp://example.com/a.pdf', 'data:text/plain,hello', 'gopher://example.com/'])(
		'refuses the scheme of %s',
		async (url) => {
			const error = await refusal(downloadFile(url, { allowPrivateNetwork: true }));
			expect(error?.message).toMatch(/the scheme [a-z]+: is not allowed/);
		},
	);

	it('checks every redirect again: a public server redirecting to a private address or another scheme is refused', async () => {
		const fine = await downloadFile(`${base}/to?u=/image.png`, { isPrivate: loopbackIsPublic });
		expect(fine.data).toEqual(PNG);
		const toMetadata = await refusal(
			downloadFile(`${base}/to?u=${encodeURIComponent('http://169.254.169.254/latest/')}`, {
				isPrivate: loopbackIsPublic,
			}),
		);
		expect(toMetadata?.message).toMatch(/169\.254\.169\.254 is a private or local address/);
		const toOtherLoopback = await refusal(
			downloadFile(`${base}/to?u=${encodeURIComponent(`http://127.0.0.2:${port}/image.png`)}`, {
				isPrivate: loopbackIsPublic,
			}),
		);
		expect(toOtherLoopback?.message).toMatch(/127\.0\.0\.2 is a private or local address/);
		const toFile = await refusal(
			downloadFile(`${base}/to?u=${encodeURIComponent('file:///etc/passwd')}`, { isPrivate: loopbackIsPublic }),
		);
		expect(toFile?.message).toMatch(/the scheme file: is not allowed/);
		const loop = await refusal(downloadFile(`${base}/loop`, { allowPrivateNetwork: true, maxRedirects: 3 }));
		expect(loop?.message).toMatch(/more than 3 redirects/);
	});

	it('caps the size, by Content-Length and while streaming', async () => {
		const declared = await refusal(downloadFile(`${base}/big`, { allowPrivateNetwork: true, maxBytes: 4096 }));
		expect(declared?.message).toMatch(/the file is 5000 bytes, more than 4096/);
		const streamed = await refusal(downloadFile(`${base}/chunked`, { allowPrivateNetwork: true, maxBytes: 4096 }));
		expect(streamed?.message).toMatch(/larger than 4096 bytes/);
		expect((await downloadFile(`${base}/chunked`, { allowPrivateNetwork: true, maxBytes: 10_000 })).data).toHaveLength(
			10_000,
		);
	});

	it('gives up at the deadline', async () => {
		const error = await refusal(downloadFile(`${base}/hang`, { allowPrivateNetwork: true, timeoutMs: 50 }));
		expect(error?.message).toMatch(/no answer within 50 ms/);
	});

	it('names the URL without its query string (tokens stay out of messages)', async () => {
		const error = await refusal(downloadFile(`${base}/missing?token=secret-token`, { allowPrivateNetwork: true }));
		expect(error?.message).toBe(`Downloading ${base}/missing for an attachment field: the server answered HTTP 404`);
		expect(error?.message).not.toContain('secret-token');
	});
});

describe('the callers keep the rules', () => {
	it('Record Status refuses a private URL by default and downloads it with the option', async () => {
		await expect(fetchFileWith()(`${base}/image.png`)).rejects.toThrow(/private or local address/);
		await expect(fetchFileWith({ allowPrivateNetwork: true })(`${base}/image.png`)).resolves.toEqual({
			content: new Uint8Array(PNG),
			fileName: 'image.png',
		});
	});

	it('Bitable Sync fails the item naming the field, the URL and why; other items are prepared', async () => {
		const fields = [
			{ field_name: 'Code', type: 1 },
			{ field_name: 'Files', type: 17 },
		];
		const input = [
			{ index: 0, values: { Code: 'A', Files: 'https://files.example.com/ok.pdf' } },
			{ index: 1, values: { Code: 'B', Files: 'http://169.254.169.254/latest/meta-data/' } },
		];
		const schema = resolveSchema(fields, input, {
			keyFields: ['Code'],
			createMissingFields: false,
			strategy: 'base',
			timeZone: 'UTC',
		});
		const download = (url: string) =>
			url.startsWith('https://files.example.com/')
				? Promise.resolve({ name: 'ok.pdf', mimeType: 'application/pdf', data: PNG, sha256: 'x' })
				: downloadFile(url).then(() => {
						throw new Error('unreachable');
					});
		const prepared = await prepareItems({} as BitableClient, schema, input, { timeZone: 'UTC', download });
		expect(prepared.items.map((i) => i.index)).toEqual([0]);
		expect(prepared.failures).toEqual([
			expect.objectContaining({
				itemIndex: 1,
				field: 'Files',
				message: expect.stringMatching(
					/^Item 1: field "Files" cannot take the value "http:\/\/169\.254\.169\.254\/latest\/meta-data\/": .*169\.254\.169\.254 is a private or local address/,
				),
			}),
		]);
	});
});
