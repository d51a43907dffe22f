/**
 * Errors of the Feishu transport. Plain TypeScript (no n8n import): nodes turn them into
 * NodeApiErrors with nodes/shared/feishu/errors.ts. Messages never carry secrets or tokens.
 */

import { ServiceError, type ErrorFields } from '../errors';

/** Feishu answered with a non-zero `code` (whatever the HTTP status) or a non-2xx status. */
export class FeishuApiError extends ServiceError {
	/** True when an earlier attempt of the same call had failed (the call may have been applied). */
	afterFailedAttempt = false;

	constructor(
		/** Feishu's error code; undefined when the answer carried none (see httpStatus). */
		readonly code: number | undefined,
		/** Feishu's own message (`msg`). */
		readonly feishuMessage: string,
		/** Which call failed, e.g. `bitable.records.batch_create`. */
		readonly endpoint: string,
		httpStatus?: number,
		/** What the user can do about it (by default, what the code means). */
		hint?: string,
		/** Seconds the gateway asked us to wait (x-ogw-ratelimit-reset). */
		readonly retryAfterSeconds?: number,
	) {
		super(`Feishu error ${code ?? `HTTP ${httpStatus}`} on ${endpoint}: ${feishuMessage}`, {
			service: 'feishu',
			kind: 'api',
			code,
			httpStatus,
			endpoint,
			hint: hint ?? hintFor(code, feishuMessage, endpoint),
		});
	}

	get serviceResponse(): ErrorFields {
		return { code: this.code ?? null, message: this.feishuMessage, endpoint: this.endpoint };
	}
}

/** Feishu could not be reached or did not answer in time. */
export class FeishuNetworkError extends ServiceError {
	declare readonly endpoint: string;
	constructor(
		endpoint: string,
		readonly failure: 'timeout' | 'network',
		detail: string,
		readonly baseUrl?: string,
	) {
		super(
			failure === 'timeout'
				? `Feishu did not answer ${endpoint} in time (${detail})`
				: `Could not reach Feishu for ${endpoint}${baseUrl ? ` at ${baseUrl}` : ''}: ${detail}`,
			{
				service: 'feishu',
				kind: 'network',
				endpoint,
				hint:
					failure === 'timeout'
						? 'Feishu did not answer in time; the call was retried and gave up. Try again later.'
						: 'Check the network from n8n to Feishu and the region / base URL of the credential.',
			},
		);
	}

	get serviceResponse(): ErrorFields {
		return { message: this.message };
	}
}

/** Bad input found before any call (e.g. a link that is not a Bitable link). */
export class FeishuInputError extends ServiceError {
	constructor(message: string, hint?: string) {
		super(message, { service: 'package', kind: 'input', hint });
	}
}

/**
 * Codes that mean "try again later": retried with backoff (docs/feishu-api.md, error codes). 1254608 (the same
 * client_token still being processed) is retried with the same token, which replays the first result.
 */
export const TRANSIENT_CODES = new Set([
	99991400, 1254290, 1254291, 1254607, 1254036, 1254608, 1255001, 1255002, 1255003, 1255004, 1255005, 1255040,
]);
/** The tenant token was missing or no longer valid: drop it and retry once. */
export const TOKEN_CODES = new Set([99991661, 99991663]);
export const RATE_LIMIT_CODE = 99991400;

/** Scope a call needs, by endpoint prefix (used when Feishu's message does not name one). */
const SCOPE_BY_ENDPOINT: [string, string][] = [
	['bitable.', 'bitable:app (View, comment, edit and manage Bitable)'],
	['wiki.', 'wiki:wiki:readonly (View knowledge base)'],
	['contact.', 'contact:user.id:readonly (Obtain user ID via email or mobile number)'],
	['drive.', 'drive:drive (or bitable:app for Bitable attachments)'],
];

const CONVERSION_KINDS: Record<number, string> = {
	1254060: 'text',
	1254061: 'number',
	1254062: 'single select',
	1254063: 'multi select',
	1254064: 'date',
	1254065: 'checkbox',
	1254066: 'user',
	1254067: 'link',
	1254068: 'URL',
	1254069: 'attachment',
	1254072: 'phone',
};

export const ADD_APP_TO_BASE_HINT =
	'The app has no access to this base. Open the base in Feishu, click "…" (top right) -> "More" -> ' +
	'"Add document app" (添加文档应用), pick your app and give it edit permission; for a base inside a wiki, ' +
	'add the app to the wiki page the same way.';

/** A short human explanation of a Feishu error code: what happened and what to do. */
export function hintFor(code: number | undefined, message: string, endpoint: string): string | undefined {
	if (code === undefined) return undefined;
	if (code === 1254066) {
		return 'A user field got an id Feishu does not accept here: open_ids differ per app, so use ids this app looked up (give emails or mobiles and the node resolves them) or user_ids.';
	}
	if (code === 1254069) {
		return 'An attachment value could not be stored: a file_token belongs to the base it was uploaded to, so give a URL or a file (uploaded into this base) instead of a token from another base.';
	}
	if (CONVERSION_KINDS[code]) {
		return `A value could not be stored in a ${CONVERSION_KINDS[code]} field: check the value's format for that field type.`;
	}
	switch (code) {
		case 91403:
		case 1254302:
		case 1254304:
			return code === 91403
				? ADD_APP_TO_BASE_HINT
				: `${ADD_APP_TO_BASE_HINT} The base uses advanced permissions: give the app manage rights (可管理 / "Can manage") on the base or a role that may edit this table.`;
		case 99991672: {
			const named = /\[([^\]]+)\]/.exec(message)?.[1];
			const scope =
				named ?? SCOPE_BY_ENDPOINT.find(([prefix]) => endpoint.startsWith(prefix))?.[1] ?? 'the scope named above';
			return `The app lacks the permission scope ${scope}. In the Feishu developer console open your app -> "Permissions & Scopes" (权限管理), add it, then publish a new app version.`;
		}
		case 10014:
		case 10015:
			return 'The App Secret is wrong: copy it again from the developer console ("Credentials & Basic Info").';
		case 10003:
			return 'The App ID is unknown: copy it again from the developer console ("Credentials & Basic Info").';
		case 99991661:
		case 99991663:
			return 'Feishu rejected the access token even after a fresh one was fetched: check the app credentials and region.';
		case 1254040:
			return 'The base was not found: check the base link or app token.';
		case 1254041:
			return 'The table was not found in this base: pick the table again.';
		case 1254043:
			return 'The record was not found (it may have been deleted).';
		case 1254045:
			return 'A field name was not found in the table (or advanced permissions hide it from the app).';
		case 1254014:
			return 'A field with this name already exists in the table.';
		case 1254015:
			return 'The value does not match the field type.';
		case 1254104:
			return 'Too many records in one call: at most 1000 per batch (500 for deletes).';
		case 1254011:
			return 'The page size is out of range (1..500).';
		case 1254037:
			return 'The client_token must be a uuid v4.';
		case 1255006:
			return 'A client_token was reused with a different request body (a bug: please report it); run again to send a fresh token.';
		case 1254030:
			return 'The answer was too large: read with a smaller page size.';
		case 1254018:
			return 'Feishu refused the filter: date fields take only "is", "is greater", "is less", "is empty" and "is not empty" with a day as value.';
		case 1254107:
			return 'The filter is longer than Feishu allows (2,000 characters): use fewer or shorter conditions.';
		case 1254130:
			return 'A text cell holds at most 100,000 characters.';
		case 131005:
			return 'The wiki page was not found: check the link.';
		case 131006:
			return 'The app may not read this wiki page: add the app to the page ("…" -> "Add document app" / 添加文档应用) or to the wiki space.';
		default:
			return TRANSIENT_CODES.has(code) ? 'Feishu is busy or temporarily failing: try again later.' : undefined;
	}
}
