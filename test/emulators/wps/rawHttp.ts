import { type WpsEmulator, type WpsEmulatorOptions, startWpsEmulator } from './index';

/** What the emulator's own tests use: bare HTTP, no transport, so each rule is seen as WPS would show it. */
export interface RawAnswer {
	status: number;
	/** The emulator's own reason for a refusal (`x-emulator-reason`): for its tests, never on WPS's wire. */
	reason: string | undefined;
	/** Parsed JSON body (undefined when the body is not JSON). */
	json: any;
	text: string;
}

export async function rawCall(
	baseUrl: string,
	method: string,
	path: string,
	opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	let body: string | undefined;
	if (opts.body !== undefined) {
		body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
		headers['content-type'] ??= 'application/json';
	}
	const res = await fetch(baseUrl + path, { method, headers, body });
	const text = await res.text();
	return { status: res.status, reason: res.headers.get('x-emulator-reason') ?? undefined, json: jsonOf(text), text };
}

function jsonOf(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return undefined; // not JSON: the caller reads `text`
	}
}

/** The keys of a user as get-user answers it (GET /v7/users/{id}, batch_read), sorted; `depts` only with with_dept=true. */
export const USER_KEYS = [
	'city',
	'country',
	'ctime',
	'def_dept_id',
	'email',
	'employee_id',
	'employer',
	'employment_status',
	'employment_type',
	'ex_user_id',
	'gender',
	'id',
	'leader_id',
	'phone',
	'role',
	'status',
	'telephone',
	'title',
	'user_name',
	'work_place',
];

/** An answer object's keys, sorted, to compare with a documented key list. */
export const keysOf = (o: object): string[] => Object.keys(o).sort();

export async function rawToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
	const res = await fetch(`${baseUrl}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
	});
	const json = (await res.json()) as { access_token?: string };
	if (!json.access_token) throw new Error(`no token: ${JSON.stringify(json)}`);
	return json.access_token;
}

/** One seeded tenant plus a bound caller: `api('POST', '/v7/depts/create', body)`. */
export interface TenantFixture {
	emu: WpsEmulator;
	rootId: string;
	token: string;
	api(method: string, path: string, body?: unknown): Promise<RawAnswer>;
	/** POST that must succeed; returns `data`. */
	ok(path: string, body?: unknown): Promise<any>;
	/** GET that must succeed; returns `data`. */
	get(path: string): Promise<any>;
}

export const CLIENT = { clientId: 'app-1', clientSecret: 'secret-1' };

export async function startTenant(
	tenant: Partial<Parameters<WpsEmulator['admin']['seedTenant']>[0]> = {},
	emuOpts: WpsEmulatorOptions = { rateLimits: 'off' },
): Promise<TenantFixture> {
	const emu = await startWpsEmulator(emuOpts);
	const { rootDeptId } = await emu.admin.seedTenant({ ...CLIENT, ...tenant });
	const token = await rawToken(
		emu.baseUrl,
		tenant.clientId ?? CLIENT.clientId,
		tenant.clientSecret ?? CLIENT.clientSecret,
	);
	const api = (method: string, path: string, body?: unknown) => rawCall(emu.baseUrl, method, path, { token, body });
	const must = async (answer: Promise<RawAnswer>) => {
		const a = await answer;
		if (a.json?.code !== 0) throw new Error(`expected success, got ${a.status} ${a.text}`);
		return a.json.data;
	};
	return {
		emu,
		rootId: rootDeptId,
		token,
		api,
		ok: (path, body = {}) => must(api('POST', path, body)),
		get: (path) => must(api('GET', path)),
	};
}

/** HTTP status, `code` and the emulator's reason of a failed answer, for compact expectations. */
export const err = (a: RawAnswer) => ({ status: a.status, code: a.json?.code, reason: a.reason });

/**
 * Why a refused answer's body is not what WPS sends, or '' when it is: exactly `{code, msg}` (no
 * `detail`, no `data`), a non-zero numeric code, and a `msg` that is human text, not a snake_case
 * reason a client could branch on.
 */
export function wpsErrorBodyProblem(a: RawAnswer): string {
	const body = a.json;
	if (!body || typeof body !== 'object') return `body is not JSON: ${a.text.slice(0, 80)}`;
	const keys = Object.keys(body).sort().join(',');
	if (keys !== 'code,msg') return `keys are ${keys}, not code,msg`;
	if (typeof body.code !== 'number' || body.code === 0) return `code ${String(body.code)} is not a failure code`;
	if (typeof body.msg !== 'string' || body.msg.trim() === '') return 'msg is empty';
	if (/^[a-z0-9]+(_[a-z0-9]+)*$/.test(body.msg)) return `msg "${body.msg}" looks like a reason code`;
	if (a.reason !== undefined && body.msg === a.reason) return `msg equals the emulator reason ${a.reason}`;
	return '';
}
