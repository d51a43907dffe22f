/**
 * Feishu's long connection ("长连接" event delivery), as the official SDK's WSClient uses it: POST
 * /callback/ws/endpoint with {AppID, AppSecret} answers the WebSocket URL and the client settings; the socket
 * carries protobuf frames (frame.ts): the client's pings get pongs carrying the settings, events go out as data
 * frames (header type=event, one fragment), and the client answers each with a data frame carrying {code}.
 * Record changes (drive.file.bitable_record_changed_v1) are pushed to every connected app that subscribed the base
 * (drive/v1/files/:file_token/subscribe, subscriptions.ts). Admin: drop connections, refuse new ones, inspect.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { Duplex } from 'stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { EmulatorCore } from '../core';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, header, type Frame } from './frame';

export const WS_ENDPOINT_PATH = '/callback/ws/endpoint';
const WS_PATH = '/__ws';
const SERVICE_ID = 7;

export type RecordAction = 'record_added' | 'record_edited' | 'record_deleted';

export interface RecordChange {
	appToken: string;
	tableId: string;
	revision: number;
	/** open_id of who wrote. */
	operator: string;
	actions: { record_id: string; action: RecordAction }[];
}

export interface LongConnectionSettings {
	/** Seconds between the client's pings (Feishu: 120). */
	pingIntervalSec: number;
	/** Seconds between reconnect attempts (the SDK multiplies by 1000; fractions allowed here). */
	reconnectIntervalSec: number;
	reconnectNonceSec: number;
	/** -1: retry for ever. */
	reconnectCount: number;
	/** New connections are refused (the endpoint answers 1000040343, "internal error", which the SDK retries). */
	refuse: boolean;
}

const DEFAULTS: LongConnectionSettings = {
	pingIntervalSec: 120,
	reconnectIntervalSec: 0.2,
	reconnectNonceSec: 0,
	reconnectCount: -1,
	refuse: false,
};

export interface PushedEvent {
	appId: string;
	eventId: string;
	appToken: string;
	tableId: string;
	actions: RecordChange['actions'];
	/** The client answered the frame (code 200). */
	acked: boolean;
}

interface Conn {
	appId: string;
	connectedAt: number;
}

export class LongConnections {
	settings: LongConnectionSettings = { ...DEFAULTS };
	pushed: PushedEvent[] = [];
	/** Successful WebSocket handshakes per app (first connect and every reconnect). */
	connects: Record<string, number> = {};
	private wss: WebSocketServer | undefined;
	private readonly conns = new Map<WebSocket, Conn>();
	/** Connection tickets handed out by the endpoint: ticket -> appId. */
	private readonly tickets = new Map<string, string>();
	private seq = 0;

	constructor(private readonly core: EmulatorCore) {}

	attach(server: Server): void {
		server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
	}

	/** POST /callback/ws/endpoint (not under /open-apis: no tenant token, the app's id and secret instead). */
	handleEndpoint(body: { AppID?: string; AppSecret?: string }, res: ServerResponse): void {
		const reply = (payload: unknown) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(payload));
		};
		const app = this.core.state.apps.get(String(body?.AppID ?? ''));
		if (!app || app.appSecret !== body?.AppSecret) return reply({ code: 514, msg: 'auth failed', data: {} });
		if (this.settings.refuse) return reply({ code: 1000040343, msg: 'internal error', data: {} });
		const ticket = `t${++this.seq}`;
		this.tickets.set(ticket, app.appId);
		const wsBase = this.core.baseUrl.replace(/^http/, 'ws');
		const s = this.settings;
		reply({
			code: 0,
			msg: 'ok',
			data: {
				URL: `${wsBase}${WS_PATH}?device_id=dev${this.seq}&service_id=${SERVICE_ID}&ticket=${ticket}`,
				ClientConfig: {
					PingInterval: s.pingIntervalSec,
					ReconnectCount: s.reconnectCount,
					ReconnectInterval: s.reconnectIntervalSec,
					ReconnectNonce: s.reconnectNonceSec,
				},
			},
		});
	}

	private server(): WebSocketServer {
		// ws ships with the Feishu SDK; loaded when the first socket arrives
		const { WebSocketServer: Wss } = require('ws') as typeof import('ws');
		this.wss ??= new Wss({ noServer: true });
		return this.wss;
	}

	private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const appId = url.pathname === WS_PATH ? this.tickets.get(url.searchParams.get('ticket') ?? '') : undefined;
		if (!appId || this.settings.refuse) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		this.tickets.delete(url.searchParams.get('ticket') ?? '');
		this.server().handleUpgrade(req, socket, head, (ws) => {
			this.conns.set(ws, { appId, connectedAt: this.core.state.now() });
			this.connects[appId] = (this.connects[appId] ?? 0) + 1;
			ws.on('message', (data: Buffer) => this.onFrame(ws, data));
			ws.on('close', () => this.conns.delete(ws));
			ws.on('error', () => this.conns.delete(ws));
		});
	}

	private onFrame(ws: WebSocket, data: Buffer): void {
		let frame: Frame;
		try {
			frame = decodeFrame(data);
		} catch {
			return;
		}
		const type = header(frame, 'type');
		if (frame.method === FRAME_CONTROL && type === 'ping') {
			const s = this.settings;
			const pong = {
				PingInterval: s.pingIntervalSec,
				ReconnectCount: s.reconnectCount,
				ReconnectInterval: s.reconnectIntervalSec,
				ReconnectNonce: s.reconnectNonceSec,
			};
			ws.send(
				encodeFrame({
					SeqID: 0,
					LogID: 0,
					service: SERVICE_ID,
					method: FRAME_CONTROL,
					headers: [{ key: 'type', value: 'pong' }],
					payload: new TextEncoder().encode(JSON.stringify(pong)),
				}),
			);
			return;
		}
		if (frame.method === FRAME_DATA && type === 'event') {
			// the client's answer to an event: the same headers, payload {code}
			const id = header(frame, 'message_id');
			const event = this.pushed.find((p) => p.eventId === id);
			let code = 0;
			try {
				code = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())).code;
			} catch {
				code = 0;
			}
			if (event && code === 200) event.acked = true;
		}
	}

	/** A write changed records: every connected app that subscribed the base gets the event. */
	notify(change: RecordChange): void {
		if (!change.actions.length || !this.conns.size) return;
		const subscribed = this.core.state.subscriptions;
		for (const [ws, conn] of this.conns) {
			if (!subscribed.has(`${conn.appId}|${change.appToken}`)) continue;
			const eventId = `evt_${++this.seq}`;
			const now = this.core.state.now();
			const body = {
				schema: '2.0',
				header: {
					event_id: eventId,
					token: '',
					create_time: String(now),
					event_type: 'drive.file.bitable_record_changed_v1',
					tenant_key: 'tenant_emulator',
					app_id: conn.appId,
				},
				event: {
					file_token: change.appToken,
					file_type: 'bitable',
					table_id: change.tableId,
					revision: change.revision,
					operator_id: { open_id: change.operator },
					action_list: change.actions,
					subscriber_id_list: [],
					update_time: Math.floor(now / 1000),
				},
			};
			this.pushed.push({
				appId: conn.appId,
				eventId,
				appToken: change.appToken,
				tableId: change.tableId,
				actions: change.actions,
				acked: false,
			});
			ws.send(
				encodeFrame({
					SeqID: 0,
					LogID: 0,
					service: SERVICE_ID,
					method: FRAME_DATA,
					headers: [
						{ key: 'type', value: 'event' },
						{ key: 'message_id', value: eventId },
						{ key: 'sum', value: '1' },
						{ key: 'seq', value: '0' },
						{ key: 'trace_id', value: `trace_${this.seq}` },
					],
					payload: new TextEncoder().encode(JSON.stringify(body)),
				}),
			);
		}
	}

	/** Drops the connections (of one app, or all), as a network failure would; returns how many. */
	drop(appId?: string): number {
		let n = 0;
		for (const [ws, conn] of this.conns) {
			if (appId && conn.appId !== appId) continue;
			ws.terminate();
			this.conns.delete(ws);
			n++;
		}
		return n;
	}

	status(): {
		connections: { appId: string; connectedAt: number }[];
		connects: Record<string, number>;
		pushed: PushedEvent[];
		settings: LongConnectionSettings;
	} {
		return {
			connections: [...this.conns.values()],
			connects: { ...this.connects },
			pushed: [...this.pushed],
			settings: { ...this.settings },
		};
	}

	configure(settings: Partial<LongConnectionSettings>): void {
		this.settings = { ...this.settings, ...settings };
	}

	reset(): void {
		this.drop();
		this.settings = { ...DEFAULTS };
		this.pushed = [];
		this.connects = {};
		this.tickets.clear();
	}

	close(): void {
		this.drop();
		this.wss?.close();
	}
}
