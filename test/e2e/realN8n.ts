/**
 * Drives a real n8n (installed by scripts/real-n8n/install.sh) from tests and scripts: one instance folder per
 * use, the package installed from its `npm pack` tarball as a user would, CLI imports and executions, one server
 * with an owner logged in for REST calls. The environment of every n8n process comes from scripts/real-n8n/env.sh,
 * so shell scripts and tests run n8n the same way.
 */
import { spawn, execFileSync, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SCRIPTS_DIR = path.join(REPO_ROOT, 'scripts', 'real-n8n');
const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
export const PACKAGE_NAME: string = PACKAGE_JSON.name;

/** Variables passed through from the caller; everything else n8n sees comes from env.sh (jest's NODE_ENV=test
 * would switch n8n into its own test mode). */
const PASS_THROUGH = [
	'HOME',
	'PATH',
	'LANG',
	'TZ',
	'TMPDIR',
	'N8N_CACHE_DIR',
	'N8N_VERSION',
	'NODE24_VERSION',
	'NODE_EXTRA_CA_CERTS',
	'SSL_CERT_FILE',
	'SSL_CERT_DIR',
	'HTTP_PROXY',
	'HTTPS_PROXY',
	'NO_PROXY',
	'http_proxy',
	'https_proxy',
	'no_proxy',
];

export interface Instance {
	/** N8N_USER_FOLDER: holds .n8n (database, config, installed nodes) and our logs/ */
	dir: string;
	env: Record<string, string>;
	port: number;
	baseUrl: string;
}

export function createInstance(dir: string, options: { port?: number } = {}): Instance {
	fs.mkdirSync(dir, { recursive: true });
	const base: Record<string, string> = {};
	for (const key of PASS_THROUGH) if (process.env[key] !== undefined) base[key] = process.env[key]!;
	if (options.port) base.N8N_PORT = String(options.port);
	const dump = execFileSync('bash', ['-c', '. "$0/env.sh" "$1" >&2 && env -0', SCRIPTS_DIR, dir], {
		env: base,
		encoding: 'utf8',
	});
	const env: Record<string, string> = {};
	for (const entry of dump.split('\0')) {
		const eq = entry.indexOf('=');
		if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
	}
	fs.mkdirSync(logsDir(env.N8N_USER_FOLDER), { recursive: true });
	const port = Number(env.N8N_PORT);
	return { dir: env.N8N_USER_FOLDER, env, port, baseUrl: `http://127.0.0.1:${port}` };
}

/** Empties an instance folder for a fresh run. */
export function resetInstanceData(dir: string): void {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
}

export function logsDir(instanceDir: string): string {
	return path.join(instanceDir, 'logs');
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------------------------
// The package, as a user installs it

/** `npm pack` of the already built package (run `npm run build` first); returns the tarball's path. */
export function packPackage(destination: string): string {
	fs.mkdirSync(destination, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
	return path.join(destination, filename);
}

/**
 * Installs the tarball into <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<package>, as n8n installs community
 * packages: no lifecycle scripts, no peer dependencies (n8n provides n8n-workflow), no dev dependencies.
 * The npm install runs once per tarball content (kept in the real-n8n cache, keyed on its sha256); each instance
 * gets a copy, so parallel runs never share a folder.
 */
export function installPackage(instance: Instance, tarball: string): void {
	const digest = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
	const prepared = path.join(cacheRoot(instance), 'packages', digest.slice(0, 16));
	if (!fs.existsSync(path.join(prepared, '.complete'))) {
		const staging = `${prepared}.${process.pid}.tmp`;
		fs.rmSync(staging, { recursive: true, force: true });
		fs.mkdirSync(staging, { recursive: true });
		fs.writeFileSync(
			path.join(staging, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
		);
		execFileSync(
			'npm',
			[
				'install',
				'--prefix',
				staging,
				'--legacy-peer-deps',
				'--omit=dev',
				'--ignore-scripts',
				'--no-package-lock',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				tarball,
			],
			{
				// npm needs the caller's whole environment (registry CA, proxies), on the n8n Node.
				env: { ...process.env, PATH: instance.env.PATH, npm_config_cache: path.join(cacheRoot(instance), 'npm-cache') },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		fs.writeFileSync(path.join(staging, '.complete'), digest);
		try {
			fs.renameSync(staging, prepared);
		} catch {
			fs.rmSync(staging, { recursive: true, force: true }); // a parallel run finished the same install first
		}
		pruneOldInstalls(path.dirname(prepared), prepared);
	}
	const nodesDir = path.join(instance.dir, '.n8n', 'nodes');
	fs.rmSync(nodesDir, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(nodesDir), { recursive: true });
	fs.cpSync(prepared, nodesDir, { recursive: true, verbatimSymlinks: true });
}

/** Keeps the few newest prepared installs (every build makes a new tarball digest). */
function pruneOldInstalls(dir: string, keep: string, count = 4): void {
	const installs = fs
		.readdirSync(dir)
		.filter((entry) => !entry.endsWith('.tmp'))
		.map((entry) => path.join(dir, entry))
		.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
	for (const old of installs.slice(count)) if (old !== keep) fs.rmSync(old, { recursive: true, force: true });
}

function cacheRoot(instance: Instance): string {
	return instance.env.REAL_N8N_CACHE_ROOT ?? path.join(instance.env.HOME ?? '/tmp', '.cache');
}

/** The node and credential types our package declares (package.json `n8n`), read from the built files. */
export interface PackageTypes {
	nodes: Array<{ file: string; name: string; type: string; displayName: string }>;
	credentials: Array<{
		file: string;
		name: string;
		displayName: string;
		properties: Array<{ name: string; typeOptions?: { password?: boolean } }>;
	}>;
}

export function packageTypes(): PackageTypes {
	const section = (PACKAGE_JSON.n8n ?? {}) as { nodes?: string[]; credentials?: string[] };
	const instantiate = (file: string): any => {
		const full = path.join(REPO_ROOT, file);
		if (!fs.existsSync(full)) throw new Error(`${file} is listed in package.json but not built: run npm run build`);
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		const exported = require(full);
		const Class = Object.values(exported).find((value) => typeof value === 'function') as new () => any;
		return new Class();
	};
	return {
		nodes: (section.nodes ?? []).map((file) => {
			const { description } = instantiate(file);
			return {
				file,
				name: description.name,
				type: `${PACKAGE_NAME}.${description.name}`,
				displayName: description.displayName,
			};
		}),
		credentials: (section.credentials ?? []).map((file) => {
			const credential = instantiate(file);
			return { file, name: credential.name, displayName: credential.displayName, properties: credential.properties };
		}),
	};
}

// ---------------------------------------------------------------------------------------------------------------
// The n8n CLI

export interface CliResult {
	code: number | null;
	output: string;
	logFile: string;
}

let cliCounter = 0;

/** Runs one n8n CLI command on its own broker port; stdout+stderr kept in logs/ (the secrets check reads them). */
export async function runN8n(instance: Instance, args: string[], timeoutMs = 180_000): Promise<CliResult> {
	const brokerPort = await freePort();
	const logFile = path.join(
		logsDir(instance.dir),
		`cli-${process.pid}-${++cliCounter}-${args[0].replace(/\W/g, '_')}.log`,
	);
	return await new Promise((resolve, reject) => {
		const child = spawn('n8n', args, {
			cwd: instance.dir,
			env: { ...instance.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			const output = Buffer.concat(chunks).toString('utf8');
			fs.writeFileSync(logFile, `$ n8n ${args.join(' ')}\n${output}`);
			resolve({ code, output, logFile });
		});
	});
}

async function runN8nOrThrow(instance: Instance, args: string[]): Promise<CliResult> {
	const result = await runN8n(instance, args);
	if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}:\n${tail(result.output)}`);
	return result;
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** `n8n import:credentials` (plaintext data, encrypted by n8n on import). */
export async function importCredentials(instance: Instance, credentials: CredentialFixture[]): Promise<void> {
	if (credentials.length === 0) return;
	const file = path.join(instance.dir, `credentials-${process.pid}-${++cliCounter}.json`);
	fs.writeFileSync(file, JSON.stringify(credentials));
	try {
		await runN8nOrThrow(instance, ['import:credentials', `--input=${file}`]);
	} finally {
		fs.rmSync(file, { force: true }); // it holds secrets in plaintext
	}
}

/** `n8n import:workflow` of a file, or of a workflow object (written to a temporary file). Import deactivates. */
export async function importWorkflow(instance: Instance, workflow: string | object): Promise<CliResult> {
	let file = typeof workflow === 'string' ? workflow : '';
	if (typeof workflow !== 'string') {
		file = path.join(instance.dir, `workflow-${process.pid}-${++cliCounter}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
	}
	return await runN8nOrThrow(instance, ['import:workflow', `--input=${file}`]);
}

/** Activates a workflow from the CLI; takes effect when the server starts (do it while it is stopped). */
export async function publishWorkflow(instance: Instance, id: string): Promise<void> {
	await runN8nOrThrow(instance, ['publish:workflow', `--id=${id}`]);
}

export interface ExecutionResult {
	exitCode: number | null;
	/** n8n's IRun: status, data.resultData.{runData,lastNodeExecuted,error} */
	run: any;
	output: string;
}

/** `n8n execute --id --rawOutput`; the run's JSON comes after the log lines. Exit code 1 when the workflow fails. */
export async function execute(instance: Instance, workflowId: string): Promise<ExecutionResult> {
	const result = await runN8n(instance, ['execute', `--id=${workflowId}`, '--rawOutput']);
	return { exitCode: result.code, run: parseRawOutput(result.output), output: result.output };
}

export function parseRawOutput(output: string): any {
	const lines = output.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) throw new Error(`no execution JSON in n8n's output:\n${tail(output)}`);
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** The output items of a node in a run: json only, first run, output `output`. */
export function nodeItems(run: any, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run`);
	return (runs[0]?.data?.main?.[output] ?? []).map((item: { json: Record<string, unknown> }) => item.json);
}

// ---------------------------------------------------------------------------------------------------------------
// The server

export interface Server {
	instance: Instance;
	baseUrl: string;
	pid: number;
	logFile: string;
	stop(): Promise<void>;
}

/** `n8n start` in its own process group; resolves when /healthz/readiness answers 200. */
export async function startServer(instance: Instance, timeoutMs = 180_000): Promise<Server> {
	const logFile = path.join(logsDir(instance.dir), 'server.log');
	const log = fs.openSync(logFile, 'a');
	const child: ChildProcess = spawn('n8n', ['start'], {
		cwd: instance.dir,
		env: instance.env,
		stdio: ['ignore', log, log],
		detached: true, // own process group: stop() also ends its task runner
	});
	fs.closeSync(log);
	let exited: number | null | undefined;
	const exitPromise = new Promise<void>((resolve) =>
		child.on('exit', (code) => {
			exited = code;
			resolve();
		}),
	);
	const pid = child.pid!;
	const stop = async () => {
		if (exited !== undefined) return;
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			return;
		}
		const killer = setTimeout(() => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, 20_000);
		await exitPromise;
		clearTimeout(killer);
	};
	const deadline = Date.now() + timeoutMs;
	while (true) {
		if (exited !== undefined) throw new Error(`n8n start exited ${exited}:\n${tail(fs.readFileSync(logFile, 'utf8'))}`);
		if ((await httpStatus(`${instance.baseUrl}/healthz/readiness`)) === 200) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n not ready after ${timeoutMs} ms:\n${tail(fs.readFileSync(logFile, 'utf8'))}`);
		}
		await delay(200);
	}
	return { instance, baseUrl: instance.baseUrl, pid, logFile, stop };
}

async function httpStatus(url: string): Promise<number> {
	try {
		const response = await fetch(url);
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls a production webhook, retrying while n8n answers 404 (webhooks are registered a moment after readiness
 * or after an activation).
 */
export async function callWebhook(
	baseUrl: string,
	webhookPath: string,
	init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
	timeoutMs = 30_000,
): Promise<{ status: number; body: string; headers: Headers }> {
	const deadline = Date.now() + timeoutMs;
	while (true) {
		const response = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
			method: init.method ?? 'POST',
			headers: init.headers ?? { 'content-type': 'application/json' },
			body: init.body,
		});
		const body = await response.text();
		if (response.status !== 404 || Date.now() > deadline)
			return { status: response.status, body, headers: response.headers };
		await delay(200);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// REST, as the editor uses it

export const OWNER = {
	email: 'owner@e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-Passw0rd',
};

/** n8n answers JSON, or an HTML page for some errors. */
function jsonOrUndefined(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A logged-in editor session: cookie jar of one `n8n-auth` cookie plus the browser id the cookie is bound to. */
export class RestClient {
	private cookie = '';
	readonly browserId = 'e2e-browser-0001';

	constructor(readonly baseUrl: string) {}

	/** Sets up the owner on a fresh instance (first call) and logs in. */
	async loginAsOwner(owner: typeof OWNER = OWNER): Promise<void> {
		const setup = await this.request('POST', '/rest/owner/setup', owner, { allowError: true });
		if (setup.status !== 200)
			await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	get cookieHeader(): string {
		return this.cookie;
	}

	async request(
		method: string,
		urlPath: string,
		body?: unknown,
		options: { allowError?: boolean } = {},
	): Promise<{ status: number; data: any; text: string }> {
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		for (const setCookie of response.headers.getSetCookie()) {
			const [pair] = setCookie.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		const text = await response.text();
		const json = jsonOrUndefined(text);
		if (!options.allowError && response.status >= 400)
			throw new Error(`${method} ${urlPath} answered ${response.status}: ${text.slice(0, 500)}`);
		return { status: response.status, data: json?.data ?? json, text };
	}
}
