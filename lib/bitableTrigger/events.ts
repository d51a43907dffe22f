/**
 * Event mode of the Bitable Trigger: Feishu pushes drive.file.bitable_record_changed_v1 over its long connection
 * (the official SDK's WSClient and EventDispatcher; no public URL needed), for bases the app subscribed
 * (drive/v1/files/:file_token/subscribe?file_type=bitable). docs/bitable-sync-economy.md describes the flow.
 *
 * One connection per app in this process, shared by every trigger of that app: Feishu delivers each event to one
 * of an app's connections only, so two connections in one process would split the events between them.
 * Every (re)connect and every event for a listener's table asks the listener for a catch-up poll; the poll (not the
 * event's payload) decides what is emitted, so nothing changed while disconnected is missed and each change is
 * emitted once.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import type { FeishuSession } from '../feishu/session';
import { createSdkLogger, type LogSink } from '../feishu/logger';

export const RECORD_CHANGED = 'drive.file.bitable_record_changed_v1';
/** How long an event's acknowledgement waits for its catch-up poll. */
const ACK_WAIT_MS = 2500;

/** The SDK's WSClient refuses other app ids (it checks `cli_` + 16 hex digits before connecting). */
const APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export interface RecordChangedEvent {
	file_token?: string;
	table_id?: string;
	action_list?: { record_id: string; action: string }[];
	operator_id?: { open_id?: string };
}

export interface ConnectionListener {
	appToken: string;
	tableId: string;
	/** A change in this listener's table arrived; the event is acknowledged when this settles (or after ACK_WAIT_MS). */
	onChange(event: RecordChangedEvent): void | Promise<void>;
	/** The connection is up (first time, or again after a drop): catch up. */
	onConnected(kind: 'ready' | 'reconnected'): void;
	/** The SDK gave up (bad credentials, retries exhausted). */
	onError(error: Error): void;
}

export interface ConnectionConfig {
	appId: string;
	appSecret: string;
	baseUrl: string;
	log?: LogSink;
}

interface Hub {
	client: lark.WSClient;
	listeners: Set<ConnectionListener>;
	connected: boolean;
}

const hubs = new Map<string, Hub>();

function hubKey(config: ConnectionConfig): string {
	return `${config.baseUrl}|${config.appId}`;
}

/**
 * Joins the app's long connection (opening it for the first listener). Returns the leave function, which closes
 * the connection when the last listener leaves.
 */
export function joinLongConnection(config: ConnectionConfig, listener: ConnectionListener): () => void {
	if (!APP_ID.test(config.appId)) {
		throw new Error(
			`Feishu's long connection needs an App ID of the form cli_ followed by 16 hex digits; "${config.appId}" is not`,
		);
	}
	const key = hubKey(config);
	let hub = hubs.get(key);
	if (!hub) {
		const sdk = require('@larksuiteoapi/node-sdk') as typeof lark;
		const logger = createSdkLogger((level, message) => config.log?.(level, message), [config.appSecret]);
		const created: Hub = { listeners: new Set(), connected: false, client: undefined as unknown as lark.WSClient };
		const each = (fn: (l: ConnectionListener) => void) => {
			for (const l of [...created.listeners]) {
				try {
					fn(l);
				} catch (error) {
					config.log?.('error', `Feishu long connection listener failed: ${(error as Error).message}`);
				}
			}
		};
		created.client = new sdk.WSClient({
			appId: config.appId,
			appSecret: config.appSecret,
			domain: config.baseUrl,
			logger,
			loggerLevel: sdk.LoggerLevel.warn,
			onReady: () => {
				created.connected = true;
				each((l) => l.onConnected('ready'));
			},
			onReconnecting: () => {
				created.connected = false;
			},
			onReconnected: () => {
				created.connected = true;
				each((l) => l.onConnected('reconnected'));
			},
			onError: (error) => {
				created.connected = false;
				each((l) => l.onError(error));
			},
		});
		const dispatcher = new sdk.EventDispatcher({ logger, loggerLevel: sdk.LoggerLevel.warn }).register({
			[RECORD_CHANGED]: async (event: RecordChangedEvent) => {
				const pending: Promise<void>[] = [];
				each((l) => {
					if (l.appToken === event.file_token && l.tableId === event.table_id)
						pending.push(Promise.resolve(l.onChange(event)));
				});
				// acknowledged once the catch-up ran (so Feishu's delivery means "handled"), but never later than ACK_WAIT_MS
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([
					Promise.allSettled(pending),
					new Promise((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS))),
				]);
				clearTimeout(timer);
			},
		});
		hubs.set(key, created);
		hub = created;
		void created.client.start({ eventDispatcher: dispatcher });
	}
	const joined = hub;
	joined.listeners.add(listener);
	// joining a connection that is already up: this listener's catch-up happens now
	if (joined.connected) queueMicrotask(() => listener.onConnected('ready'));
	return () => {
		joined.listeners.delete(listener);
		if (joined.listeners.size || hubs.get(key) !== joined) return;
		hubs.delete(key);
		joined.client.close({ force: true });
	};
}

/** Subscriptions this process holds, by app and base: the last trigger of a base unsubscribes it. */
const subscribers = new Map<string, number>();

const subscriptionKey = (session: FeishuSession, appToken: string) =>
	`${session.config.baseUrl}|${session.config.appId}|${appToken}`;

/** Subscribes the base's record changes for this app (drive/v1/files/:file_token/subscribe?file_type=bitable). */
export async function subscribeBase(session: FeishuSession, appToken: string): Promise<void> {
	await session.request({
		endpoint: 'drive.subscribe',
		sdk: (c) => c.drive.v1.file.subscribe({ path: { file_token: appToken }, params: { file_type: 'bitable' } }),
	});
	const key = subscriptionKey(session, appToken);
	subscribers.set(key, (subscribers.get(key) ?? 0) + 1);
}

/** Unsubscribes the base when no other trigger of this process still needs it. */
export async function unsubscribeBase(session: FeishuSession, appToken: string): Promise<boolean> {
	const key = subscriptionKey(session, appToken);
	const left = (subscribers.get(key) ?? 1) - 1;
	if (left > 0) {
		subscribers.set(key, left);
		return false;
	}
	subscribers.delete(key);
	await session.request({
		endpoint: 'drive.delete_subscribe',
		sdk: (c) => c.drive.v1.file.deleteSubscribe({ path: { file_token: appToken }, params: { file_type: 'bitable' } }),
	});
	return true;
}

/**
 * Runs catch-up polls one at a time; a request while one runs makes exactly one more run after it (a burst of
 * events costs at most two searches, and none is lost: the later run starts after the last event arrived).
 */
export class CatchUp {
	private running: Promise<void> | undefined;
	private again = false;
	private stopped = false;

	constructor(
		private readonly run: () => Promise<void>,
		private readonly onError: (error: unknown) => void,
	) {}

	request(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.again = false;
				try {
					await this.run();
				} catch (error) {
					this.onError(error);
				}
			} while (this.again && !this.stopped);
			this.running = undefined;
		})();
		return this.running;
	}

	/** Waits for the run in flight, and runs no more. */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.running;
	}

	get idle(): boolean {
		return !this.running;
	}
}
