/** The emulator's whole process-local state; `reset()` empties it. */
import { Clock } from './clock';
import { Rng } from './rng';
import type { Base } from './bitable/model';
import type { BotMessage, Counters, UploadInfo } from './types';
import type { RecordChange } from './longConnection/server';

export interface App {
	appId: string;
	appSecret: string;
	name: string;
	/** Granted scopes; undefined = every scope. */
	scopes?: string[];
}

export interface User {
	open_id: string;
	user_id?: string;
	union_id?: string;
	name: string;
	en_name?: string;
	email?: string;
	mobile?: string;
	/** open_ids differ per app in Feishu: the user's open_id as this app sees it (the base `open_id` is then not valid for it). */
	openIds?: Record<string, string>;
}

export interface Upload extends UploadInfo {
	content: Buffer;
}

export interface WikiNode {
	nodeToken: string;
	objType: string;
	objToken: string;
	title: string;
	spaceId: string;
	/** Apps allowed to read the node; undefined = every app. */
	apps?: Set<string>;
}

export interface Bot {
	token: string;
	secret?: string;
	keyword?: string;
	messages: BotMessage[];
	/** Times of accepted messages, for the 5/s and 100/min throttle. */
	sent: number[];
}

export interface IssuedToken {
	appId: string;
	expiresAt: number;
	revoked: boolean;
}

/** The open id under which an app's own writes show in created_by / modified_by. */
export const appOpenId = (appId: string): string => `ou_app_${appId}`;
/** The implicit human owner of every base: author of seeded records unless told otherwise. */
export const OWNER: User = {
	open_id: 'ou_base_owner',
	user_id: 'base_owner',
	name: 'Base Owner',
	en_name: 'Base Owner',
};

export function emptyCounters(): Counters {
	return {
		calls: {},
		writeCalls: 0,
		idempotentReplays: 0,
		recordsCreated: 0,
		recordsUpdated: 0,
		recordsDeleted: 0,
		fieldsCreated: 0,
		faultsInjected: {},
		faultsOnWrites: {},
		rateLimited: 0,
		writeConflicts: 0,
	};
}

export interface SearchBehaviour {
	/** Page tokens keep an offset and re-run the query, so writes during a read shift records between pages. */
	pageShift: boolean;
	/** Search sees a record's creation, edit or deletion only this long after it happened (emulator clock). */
	searchLagMs: number;
	/** A search page whose JSON is larger answers 1254030 TooLargeResponse (0 = no limit). */
	maxResponseBytes: number;
}

export class State {
	/** Read anomalies of the real API (admin setSearchBehaviour); all off by default. */
	search: SearchBehaviour = { pageShift: false, searchLagMs: 0, maxResponseBytes: 0 };
	apps = new Map<string, App>();
	bases = new Map<string, Base>();
	users = new Map<string, User>();
	uploads = new Map<string, Upload>();
	wiki = new Map<string, WikiNode>();
	bots = new Map<string, Bot>();
	tokens = new Map<string, IssuedToken>();
	/** Newest token per app: Feishu hands the same token back while it has more than 30 min left. */
	latestToken = new Map<string, string>();
	counters = emptyCounters();
	/** Bases whose record changes an app subscribed (`appId|appToken`), longConnection/subscriptions.ts. */
	subscriptions = new Set<string>();
	/** Told of every record write (API and admin), for the long connection's events. */
	onRecordChange?: (change: RecordChange) => void;
	/** Stored first responses by app + endpoint + client_token. */
	idempotency = new Map<string, { status: number; body: unknown; request: string }>();
	/** Record ids, option ids, tokens. */
	ids: Rng;
	/** Order among records with equal sort keys. */
	shuffle: Rng;

	constructor(
		readonly seed: number,
		readonly clock: Clock,
	) {
		this.ids = new Rng(seed ^ 0x1d5);
		this.shuffle = new Rng(seed ^ 0x5f3);
		this.users.set(OWNER.open_id, OWNER);
	}

	now(): number {
		return this.clock.now();
	}

	/** The open_id of `user` as `appId` sees it. */
	openIdFor(user: User, appId?: string): string {
		return (appId !== undefined && user.openIds?.[appId]) || user.open_id;
	}

	/** `appId` given: open_ids are checked per app (an open_id of another app finds nobody). */
	userByAnyId(id: string, idType: string, appId?: string): User | undefined {
		if (idType === 'open_id') {
			if (appId !== undefined) {
				for (const u of this.users.values()) if (this.openIdFor(u, appId) === id) return u;
				return this.appUser(id);
			}
			return this.users.get(id) ?? this.appUser(id);
		}
		for (const u of this.users.values()) {
			if ((idType === 'user_id' && u.user_id === id) || (idType === 'union_id' && u.union_id === id)) return u;
		}
		return undefined;
	}

	/** The bot identity of an app (`ou_app_<appId>`), readable like a user. */
	appUser(openId: string): User | undefined {
		if (!openId.startsWith('ou_app_')) return undefined;
		const app = this.apps.get(openId.slice('ou_app_'.length));
		return app ? { open_id: openId, name: app.name, en_name: app.name } : undefined;
	}

	bump(counter: Record<string, number>, key: string, by = 1): void {
		counter[key] = (counter[key] ?? 0) + by;
	}
}
