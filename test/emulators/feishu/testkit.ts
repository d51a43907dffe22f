/** Shared setup for the emulator's own tests: an emulator with one app, one base, one typed table and SDK access. */
import * as lark from '@larksuiteoapi/node-sdk';
import {
	startFeishuEmulator,
	type FeishuEmulator,
	type FeishuEmulatorOptions,
	type FieldSpec,
	type SeedRecord,
} from './index';

export const APP = { appId: 'cli_test_app', appSecret: 'test-secret', name: 'Test App' };
export const APP_TOKEN = 'bascnTestBase000000000001';
export const ALICE = {
	open_id: 'ou_alice',
	user_id: 'alice',
	name: 'Alice',
	en_name: 'Alice L',
	email: 'alice@example.com',
	mobile: '+8613800000001',
};

/** One field of every writable type, plus computed and automatic ones. */
export const FIELDS: FieldSpec[] = [
	{ field_name: 'Name', type: 1 },
	{ field_name: 'Amount', type: 2 },
	{ field_name: 'Status', type: 3, property: { options: [{ name: 'New' }, { name: 'Done' }] } },
	{ field_name: 'Tags', type: 4 },
	{ field_name: 'Due', type: 5 },
	{ field_name: 'Active', type: 7 },
	{ field_name: 'Owner', type: 11 },
	{ field_name: 'Phone', type: 13 },
	{ field_name: 'Site', type: 15 },
	{ field_name: 'Files', type: 17 },
	{ field_name: 'Related', type: 18 },
	{ field_name: 'Place', type: 22 },
	{ field_name: 'Lookup', type: 19 },
	{ field_name: 'Formula', type: 20 },
	{ field_name: 'Created', type: 1001 },
	{ field_name: 'Modified', type: 1002 },
	{ field_name: 'Creator', type: 1003 },
	{ field_name: 'Editor', type: 1004 },
	{ field_name: 'No', type: 1005 },
	{ field_name: 'Stage', type: 24 },
	{ field_name: 'Button', type: 3001 },
];

/** Resolves when `check` holds, polling the test's own state every 10 ms (no fixed sleeps); throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/**
 * A further base (default: for the kit's app) holding one table named T with `fields` and `records`; returns the
 * table id. For tests that need a base set up otherwise than the kit's, e.g. in another time zone.
 */
export async function seedBase(
	emu: FeishuEmulator,
	base: { appToken: string; timeZone?: string; apps?: string[] },
	fields: FieldSpec[],
	records: SeedRecord[],
): Promise<string> {
	const { appToken } = base;
	await emu.admin.createBase({ apps: [APP.appId], ...base });
	const tableId = await emu.admin.createTable({ appToken, name: 'T', fields });
	await emu.admin.seedRecords({ appToken, tableId, records });
	return tableId;
}

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** A token cache per client: the SDK's default cache is process-wide and would outlive an emulator. */
/** The SDK's cache key type (it spells it `string | Symbol`). */
type CacheKey = Parameters<lark.Cache['get']>[0];

export function freshCache(): lark.Cache {
	const values = new Map<string, { value: unknown; expiredTime?: number }>();
	return {
		async get(key: CacheKey, options?: { namespace?: string }) {
			const v = values.get(`${options?.namespace}/${String(key)}`);
			return v && (!v.expiredTime || v.expiredTime > Date.now()) ? v.value : undefined;
		},
		async set(key: CacheKey, value: unknown, expiredTime?: number, options?: { namespace?: string }) {
			values.set(`${options?.namespace}/${String(key)}`, { value, expiredTime });
			return true;
		},
	};
}

export function sdkClient(baseUrl: string, app: { appId: string; appSecret: string } = APP): lark.Client {
	return new lark.Client({
		appId: app.appId,
		appSecret: app.appSecret,
		domain: baseUrl,
		cache: freshCache(),
		logger: silent,
	});
}

/** The SDK throws for 4xx/5xx answers: both paths end as Feishu's `{code, msg, data}`. */
export async function body<T = any>(call: Promise<T>): Promise<any> {
	try {
		return await call;
	} catch (e) {
		const data = (e as { response?: { data?: unknown } }).response?.data;
		if (data !== undefined) return data;
		throw e;
	}
}

export interface Kit {
	emu: FeishuEmulator;
	client: lark.Client;
	tableId: string;
	token(): Promise<string>;
	/** Raw HTTP with the app's tenant token. */
	api(
		method: string,
		path: string,
		payload?: unknown,
		headers?: Record<string, string>,
	): Promise<{ status: number; headers: Headers; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
	records: string;
	/** A human edit in the Feishu UI of one record of the kit's table (moves its modified time and modifier). */
	editByHand(recordId: string, fields: Record<string, unknown>, asUser: string, modifiedTime?: number): Promise<void>;
	close(): Promise<void>;
}

export async function startKit(opts: FeishuEmulatorOptions = {}, fields: FieldSpec[] = FIELDS): Promise<Kit> {
	const emu = await startFeishuEmulator({ seed: 7, rateLimits: 'off', ...opts });
	await emu.admin.createApp(APP);
	await emu.admin.createBase({ appToken: APP_TOKEN, name: 'Test Base', apps: [APP.appId] });
	await emu.admin.addUser(ALICE);
	const tableId = await emu.admin.createTable({ appToken: APP_TOKEN, name: 'Main', fields, primaryField: 'Name' });
	let cached: string | undefined;
	const token = async () => {
		if (cached) return cached;
		const res = await fetch(`${emu.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
		});
		return (cached = ((await res.json()) as { tenant_access_token: string }).tenant_access_token);
	};
	const api: Kit['api'] = async (method, path, payload, headers = {}) => {
		const res = await fetch(`${emu.baseUrl}${path}`, {
			method,
			headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json', ...headers },
			body: payload === undefined ? undefined : JSON.stringify(payload),
		});
		const text = await res.text();
		let json: unknown = text;
		try {
			json = JSON.parse(text);
		} catch {
			// non-JSON answers (gateway pages) stay text
		}
		return { status: res.status, headers: res.headers, json };
	};
	return {
		emu,
		client: sdkClient(emu.baseUrl),
		tableId,
		token,
		api,
		records: `/open-apis/bitable/v1/apps/${APP_TOKEN}/tables/${tableId}/records`,
		editByHand: (recordId, fields, asUser, modifiedTime) =>
			emu.admin.editRecord({ appToken: APP_TOKEN, tableId, recordId, fields, asUser, modifiedTime }),
		close: () => emu.close(),
	};
}
