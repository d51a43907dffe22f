/**
 * A local stand-in for the image generation service the templates call. What it does depends on the
 * task id's prefix:
 *   ok-     answers 200 with result image URLs
 *   fail-   answers 500 with an error
 *   async-  answers 202, then (when the test delivers it) calls back with the result, signed
 *   late-   answers 202 on the first two attempts and never in time (their callbacks are held back
 *           and delivered late, at the end), then 200 on the third attempt
 *   never-  answers 202 every time; its callbacks too only arrive at the very end
 * A task id without one of these prefixes (e.g. the `feishu-<record id>` given to a task typed in
 * Feishu) is handled by its prompt's prefix instead ("ok- a red mug"). It also serves the result
 * images, records every request (task and prompt) and what callers were notified of.
 * Callbacks are signed as Task callback's note asks: X-Timestamp (Unix seconds) and X-Signature over
 * "<timestamp>.<raw body>"; a test picks the timestamp (a stale one is backdated, never waited for).
 */
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface HeldCallback {
	taskId: string;
	/** Exactly the bytes that will be sent (signed as they are). */
	raw: string;
}

const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f9b8a50000000049454e44ae426082',
	'hex',
);

const KINDS = ['ok', 'fail', 'async', 'late', 'never'];

export function sign(raw: string, secret: string, timestamp: number): string {
	return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
}

/** Now, in the Unix seconds X-Timestamp carries. */
export function unixNow(): number {
	return Math.floor(Date.now() / 1000);
}

export class GenerationService {
	private readonly server: http.Server;
	baseUrl = '';
	readonly attempts = new Map<string, number>();
	/** Every generation request, in arrival order. */
	readonly requests: Array<{ taskId: string; prompt: string }> = [];
	/** Callbacks the service will send when the test says so (prompt ones and late ones). */
	readonly prompt: HeldCallback[] = [];
	readonly late: HeldCallback[] = [];
	/** What the front end's callbackUrl received. */
	readonly notifications: Array<{ taskId: string; status: string; resultImageUrls: string[] }> = [];
	callbackUrl = '';
	/** Tasks whose result images answer 404 for now (writing them into Bitable, which attaches them, fails). */
	readonly missingImages = new Set<string>();
	/**
	 * Runs while a request is being handled, before the answer (e.g. a Feishu user editing the task's
	 * row during generation).
	 */
	whileGenerating?: (request: { taskId: string; prompt: string }) => Promise<void>;

	constructor(private readonly secret: string) {
		this.server = http.createServer((req, res) => void this.handle(req, res));
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	imageUrls(taskId: string, attempt: number): string[] {
		return [`${this.baseUrl}/images/${taskId}-a${attempt}-1.png`, `${this.baseUrl}/images/${taskId}-a${attempt}-2.png`];
	}

	/** A callback body as the service writes it: odd spacing and key order, so only the raw bytes verify. */
	private callbackBody(task: { taskId: string; version: number }, status: string, attempt: number): string {
		const urls = status === 'Completed' ? this.imageUrls(task.taskId, attempt) : [];
		const error = status === 'Failed' ? ', "error" : "model rejected the prompt"' : '';
		return `{ "version" : ${task.version}, "status":"${status}",  "taskId" : "${task.taskId}", "resultImageUrls" : ${JSON.stringify(urls)}${error} }`;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const send = (code: number, body: unknown) => {
			res.writeHead(code, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const image = /^\/images\/(.+)-a\d+-\d+\.png$/.exec(req.url ?? '');
		if (req.method === 'GET' && image && this.missingImages.has(decodeURIComponent(image[1]))) return send(404, {});
		if (req.method === 'GET' && req.url?.startsWith('/images/')) {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.end(PNG);
			return;
		}
		const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
		if (req.url === '/notify') {
			this.notifications.push(body);
			return send(200, { ok: true });
		}
		if (req.url !== '/generate') return send(404, {});
		const taskId = String(body.taskId);
		const attempt = (this.attempts.get(taskId) ?? 0) + 1;
		this.attempts.set(taskId, attempt);
		this.requests.push({ taskId, prompt: String(body.prompt ?? '') });
		this.callbackUrl = String(body.callbackUrl);
		await this.whileGenerating?.({ taskId, prompt: String(body.prompt ?? '') });
		const task = { taskId, version: Number(body.version) };
		const kind = KINDS.find((k) => taskId.startsWith(`${k}-`)) ? taskId : String(body.prompt ?? '');
		if (kind.startsWith('ok-') || (kind.startsWith('late-') && attempt >= 3)) {
			return send(200, { status: 'Completed', resultImageUrls: this.imageUrls(taskId, attempt) });
		}
		if (kind.startsWith('fail-')) return send(500, { error: 'model overloaded' });
		if (kind.startsWith('async-')) {
			// Every other async task fails; each callback is delivered twice (a retried delivery).
			const status = parseInt(kind.split('-')[1], 10) % 2 ? 'Failed' : 'Completed';
			this.prompt.push({ taskId, raw: this.callbackBody(task, status, attempt) });
			return send(202, { status: 'Accepted' });
		}
		// late- (first two attempts) and never-: the answer comes, but only much later.
		this.late.push({ taskId, raw: this.callbackBody(task, attempt % 2 ? 'Completed' : 'Failed', attempt) });
		return send(202, { status: 'Accepted' });
	}

	/**
	 * Sends a held callback to n8n's callback webhook, signed over its timestamp and exactly its bytes (by default
	 * now, with the service's secret). Two deliveries of one callback in the same second carry the same signature.
	 */
	async deliver(
		cb: HeldCallback,
		options: { timestamp?: number; secret?: string; signedBody?: string } = {},
	): Promise<{ status: number; json: Record<string, unknown> }> {
		const timestamp = options.timestamp ?? unixNow();
		const signature = sign(options.signedBody ?? cb.raw, options.secret ?? this.secret, timestamp);
		const res = await fetch(this.callbackUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-timestamp': String(timestamp), 'x-signature': signature },
			body: cb.raw,
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
