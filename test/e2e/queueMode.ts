/**
 * n8n in queue mode, as the README's "Running in queue mode" sets it up: one main process (`n8n start`, UI,
 * webhooks) and workers (`n8n worker --concurrency 2`) taking executions from Redis, with PostgreSQL as n8n's
 * database. All processes share one N8N_USER_FOLDER, so the package is installed once for all of them.
 * Used by test/e2e/queue.test.ts, `npm run demo:queue` and bench/queueSync.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import type { FeishuAdmin } from '../emulators/feishu/admin/client';
import {
	type CredentialFixture,
	createInstance,
	freePort,
	importCredentials,
	importWorkflow,
	installPackage,
	type Instance,
	logsDir,
	publishWorkflow,
	resetInstanceData,
	RestClient,
	type Server,
	startServer,
} from './realN8n';

export interface PgServer {
	host: string;
	port: number;
	user: string;
}

export interface RedisServer {
	host: string;
	port: number;
}

export interface QueueWorker {
	index: number;
	pid: number;
	logFile: string;
	/** SIGKILL (a crash) or SIGTERM (graceful). */
	kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface QueueMode {
	instance: Instance;
	main: Server;
	workers: QueueWorker[];
	rest: RestClient;
	database: string;
	/** Starts one more worker (e.g. after one was killed). */
	addWorker(): Promise<QueueWorker>;
	/** Which worker ran each execution id, read from the workers' logs. */
	executionsByWorker(): Record<number, string[]>;
	stop(): Promise<void>;
}

/** n8n's own settings for queue mode (the README lists the same ones). */
export function queueEnv(
	pg: PgServer,
	redis: RedisServer,
	database: string,
	bullPrefix: string,
): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: bullPrefix,
		// n8n caches webhooks in Redis too: a per-run prefix, so a previous run's cached paths do not conflict
		N8N_CACHE_REDIS_KEY_PREFIX: `${bullPrefix}-cache`,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: pg.user,
	};
}

function psql(pg: PgServer, sql: string): void {
	execFileSync(
		'psql',
		['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
}

async function waitFor(what: string, check: () => Promise<boolean>, logFile: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms; see ${logFile}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

export async function startQueueMode(options: {
	dir: string;
	tarball: string;
	pg: PgServer;
	redis: RedisServer;
	credentials: CredentialFixture[];
	workflows: Array<{ id: string; active?: boolean } & Record<string, unknown>>;
	workers?: number;
	concurrency?: number;
}): Promise<QueueMode> {
	const database = `n8n_queue_${process.pid}`;
	psql(options.pg, `DROP DATABASE IF EXISTS ${database}`);
	psql(options.pg, `CREATE DATABASE ${database}`);
	resetInstanceData(options.dir);
	const instance = createInstance(options.dir);
	const bullPrefix = `bull-e2e-${process.pid}`;
	Object.assign(instance.env, queueEnv(options.pg, options.redis, database, bullPrefix));
	installPackage(instance, options.tarball);
	await importCredentials(instance, options.credentials);
	for (const workflow of options.workflows) {
		await importWorkflow(instance, workflow);
		if (workflow.active) await publishWorkflow(instance, workflow.id);
	}
	const main = await startServer(instance);
	const rest = new RestClient(main.baseUrl);
	await rest.loginAsOwner();

	const children: ChildProcess[] = [];
	let count = 0;
	const addWorker = async (): Promise<QueueWorker> => {
		const index = ++count;
		const healthPort = await freePort();
		let brokerPort = await freePort();
		while (brokerPort === healthPort) brokerPort = await freePort(); // both picked before either is bound
		const logFile = path.join(logsDir(instance.dir), `worker-${index}.log`);
		const log = fs.openSync(logFile, 'a');
		const child = spawn('n8n', ['worker', `--concurrency=${options.concurrency ?? 2}`], {
			cwd: instance.dir,
			env: {
				...instance.env,
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			},
			stdio: ['ignore', log, log],
			detached: true, // own process group: kill() also ends its task runner
		});
		fs.closeSync(log);
		children.push(child);
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		let gone = false;
		void exited.then(() => (gone = true));
		await waitFor(
			`worker ${index}`,
			async () => {
				if (gone) throw new Error(`worker ${index} exited:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
				try {
					return (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).status === 200;
				} catch {
					return false;
				}
			},
			logFile,
			180_000,
		);
		const worker: QueueWorker = {
			index,
			pid: child.pid!,
			logFile,
			kill: async (signal = 'SIGKILL') => {
				if (gone) return;
				try {
					process.kill(-child.pid!, signal);
				} catch {
					return;
				}
				await exited;
			},
		};
		workers.push(worker);
		return worker;
	};
	const workers: QueueWorker[] = [];
	const stopAll = async () => {
		await Promise.all(workers.map((w) => w.kill('SIGTERM')));
		await main.stop();
		// this run's queue and cache keys (n8n leaves them behind)
		const IORedis = require('ioredis') as typeof import('ioredis').default;
		const redis = new IORedis({ host: options.redis.host, port: options.redis.port, lazyConnect: true });
		try {
			const keys = await redis.keys(`*${bullPrefix}*`); // bull-…:… and n8n:bull-…-cache:…
			for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
		} catch {
			/* tidying only */
		} finally {
			redis.disconnect();
		}
		try {
			psql(options.pg, `DROP DATABASE IF EXISTS ${database}`);
		} catch {
			/* a connection may linger a moment; the next run drops it */
		}
	};
	try {
		for (let i = 0; i < (options.workers ?? 2); i++) await addWorker();
	} catch (error) {
		await stopAll();
		throw error;
	}
	return {
		instance,
		main,
		workers,
		rest,
		database,
		addWorker,
		executionsByWorker: () => {
			const byWorker: Record<number, string[]> = {};
			for (const w of workers) {
				const text = fs.existsSync(w.logFile) ? fs.readFileSync(w.logFile, 'utf8') : '';
				byWorker[w.index] = [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
			}
			return byWorker;
		},
		stop: stopAll,
	};
}

type QueueWorkflow = { id: string; active: boolean } & Record<string, unknown>;

/** A node after the webhook: its id is given by webhookWorkflow from its place. */
interface Step {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

/** One of our nodes, at typeVersion 1. */
const ours = (
	name: string,
	node: string,
	position: [number, number],
	parameters: Record<string, unknown>,
	credentials: Record<string, unknown>,
): Step => ({ name, type: `n8n-nodes-feishu-wps-sync.${node}`, typeVersion: 1, position, parameters, credentials });

const code = (name: string, position: [number, number], jsCode: string): Step => ({
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position,
	parameters: { jsCode },
});

/** The sync workflow's Code node: POST {keys, run} -> one item per key. */
const ITEMS_CODE =
	'const b = $input.first().json.body;\nreturn b.keys.map((k) => ({ json: { Key: k, Amount: b.run } }));';
/** The WPS workflow's Code nodes: `depts` departments under the root, `users` users spread over them. */
const DEPARTMENTS_CODE =
	'const n = $input.first().json.body.depts;\nreturn Array.from({ length: n }, (_, i) => ({ json: { id: 100 + i, parent_id: 0, name: `Dept ${i}` } }));';
const USERS_CODE =
	'const b = $input.first().json.body;\nreturn Array.from({ length: b.users }, (_, i) => ({ json: { id: 1000 + i, name: `User ${i}`, dept_ids: String(100 + (i % b.depts)) } }));';

/** `main` connections from each node into the first input of the next. */
function chain(...names: string[]): Record<string, unknown> {
	return Object.fromEntries(
		names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
}

/**
 * An active workflow that starts with a POST webhook at `path` answering with the last node's output, then `steps`
 * (node ids `<id>-2`, `<id>-3`, ...).
 */
function webhookWorkflow(
	{ id, path }: { id: string; path: string },
	kind: string,
	steps: Step[],
	connections: Record<string, unknown>,
): QueueWorkflow {
	const webhook = {
		id: `${id}-1`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${id}-hook`,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
	};
	const nodes = steps.map((step, i) => ({ id: `${id}-${i + 2}`, ...step }));
	const name = `Queue ${kind} ${path}`;
	return { id, name, active: true, settings: { executionOrder: 'v1' }, connections, nodes: [webhook, ...nodes] };
}

/**
 * A webhook workflow that syncs the keys posted to it into the Bitable table named in the body:
 * POST {tableId, keys: [...], run} -> one item per key -> Feishu Bitable Sync (upsert by Key).
 * `redisCredential` set: Shared State = Redis (limits, token, table lock shared by every worker).
 */
export function syncWorkflow(options: {
	id: string;
	path: string;
	appToken: string;
	feishuCredential: { id: string; name: string };
	redisCredential?: { id: string; name: string };
	createBatch?: number;
}): QueueWorkflow {
	const shared = options.redisCredential !== undefined;
	// typeVersion 1: Key Field Names (version 2 matches on resource-mapper columns instead)
	const sync = ours(
		'Sync',
		'feishuBitable',
		[440, 0],
		{
			resource: 'sync',
			base: { __rl: true, mode: 'id', value: options.appToken },
			table: { __rl: true, mode: 'id', value: "={{ $('Webhook').first().json.body.tableId }}" },
			mode: 'upsert',
			keyFields: ['Key'],
			mappingMode: 'auto',
			tableLock: 'process',
			syncOptions: {
				createMissingFields: false,
				...(options.createBatch ? { createBatchSize: options.createBatch } : {}),
			},
			coordination: shared ? 'redis' : 'process',
		},
		{ feishuAppApi: options.feishuCredential, ...(shared ? { redis: options.redisCredential } : {}) },
	);
	const items = code('Items', [220, 0], ITEMS_CODE);
	return webhookWorkflow(options, 'sync', [items, sync], chain('Webhook', 'Items', 'Sync'));
}

/** Webhook paths of the two workflows syncWorkflows() builds. */
export const SHARED_HOOK = 'queue-sync-shared';
export const LOCAL_HOOK = 'queue-sync-local';
/** The credentials the sync workflows name (imported by syncCredentials()). */
export const FEISHU_CRED = { id: 'queueFeishuApp01', name: 'Feishu App (queue)' };
export const REDIS_CRED = { id: 'queueRedis000001', name: 'Redis (queue)' };

/** The sync workflow twice: Shared State = Redis at SHARED_HOOK, and per process (the control) at LOCAL_HOOK. */
export function syncWorkflows(appToken: string, createBatch: number): QueueWorkflow[] {
	const common = { appToken, feishuCredential: FEISHU_CRED, createBatch };
	return [
		syncWorkflow({ ...common, id: 'queueSyncShared1', path: SHARED_HOOK, redisCredential: REDIS_CRED }),
		syncWorkflow({ ...common, id: 'queueSyncLocal01', path: LOCAL_HOOK }),
	];
}

/** Our Feishu app on the emulator's demo tenant and n8n's Redis credential, as the sync workflows name them. */
export function syncCredentials(
	feishu: { appId: string; appSecret: string; baseUrl: string },
	redis: RedisServer,
): CredentialFixture[] {
	return [
		{
			...FEISHU_CRED,
			type: 'feishuAppApi',
			data: { appId: feishu.appId, appSecret: feishu.appSecret, region: 'custom', baseUrl: feishu.baseUrl },
		},
		{
			...REDIS_CRED,
			type: 'redis',
			data: { host: redis.host, port: redis.port, database: 0, password: '', ssl: false },
		},
	];
}

/** A new Bitable table for the sync workflows (Key, the primary field, and Amount). */
export function newSyncTable(admin: FeishuAdmin, appToken: string, name: string): Promise<string> {
	return admin.createTable({
		appToken,
		name: `${name} ${Date.now()}`,
		fields: [
			{ field_name: 'Key', type: 1 },
			{ field_name: 'Amount', type: 2 },
		],
		primaryField: 'Key',
	});
}

/** n distinct keys K0000, K0001, ... */
export const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `K${String(i).padStart(4, '0')}`);

/**
 * A webhook workflow that copies the rows changed since the last run from `source` into `sink`, one run at a
 * time per watermark: Read Changes (watermark in a MySQL state table, which every worker sees) -> INSERT each
 * row's id into `sink` -> Commit Watermark. A row read twice shows up twice in `sink`; a row skipped, never.
 */
export function watermarkWorkflow(options: {
	id: string;
	path: string;
	mysqlCredential: { id: string; name: string };
	source: string;
	sink: string;
	stateTable: string;
	maxRows: number;
}): QueueWorkflow {
	const common = {
		watermarkName: `${options.source}-to-${options.sink}`,
		watermarkStore: 'mysqlTable',
		stateTable: options.stateTable,
	};
	const mysql = { mySqlApi: options.mysqlCredential };
	const steps = [
		ours(
			'Read Changes',
			'mySqlQuery',
			[220, 0],
			{
				operation: 'readChanges',
				table: options.source,
				columns: 'id, updated_at',
				watermarkColumn: 'updated_at',
				tieBreakerColumn: 'id',
				maxRows: options.maxRows,
				...common,
				options: {},
			},
			mysql,
		),
		ours(
			'Copy',
			'mySqlQuery',
			[440, 0],
			{
				operation: 'executeQuery',
				query: `INSERT INTO ${options.sink} (src_id, execution_id) VALUES (?, ?)`,
				queryParameters: { values: [{ value: '={{ $json.id }}' }, { value: '={{ $execution.id }}' }] },
				mode: 'eachItem',
				options: {},
			},
			mysql,
		),
		ours('Commit', 'mySqlQuery', [660, 0], { operation: 'commitWatermark', ...common }, mysql),
	];
	return webhookWorkflow(options, 'watermark', steps, chain('Webhook', 'Read Changes', 'Copy', 'Commit'));
}

/**
 * A webhook workflow that syncs a generated org chart (`depts` departments, `users` users, in the body) into WPS:
 * two Code nodes -> WPS Contacts (Sync, state and lock in the MySQL credential's database).
 */
export function wpsWorkflow(options: {
	id: string;
	path: string;
	wpsCredential: { id: string; name: string };
	mysqlCredential: { id: string; name: string };
	ratePerSecond: number;
}): QueueWorkflow {
	const wps = ours(
		'WPS Contacts',
		'wpsContacts',
		[440, 0],
		{
			operation: 'sync',
			scopeDeptId: '',
			mode: 'full',
			deptIdColumn: 'id',
			deptParentColumn: 'parent_id',
			deptNameColumn: 'name',
			rootParentValues: '0',
			userIdColumn: 'id',
			userNameColumn: 'name',
			userDeptsColumn: 'dept_ids',
			options: {
				exIdPrefix: 'q-',
				lockWaitSec: 0,
				ratePerSecond: options.ratePerSecond,
				operationItems: 'none',
				maxChanges: 100000,
				maxChangePercent: 100,
			},
		},
		{ wps365Api: options.wpsCredential, mySqlApi: options.mysqlCredential },
	);
	const into = (input: number) => ({ main: [[{ node: 'WPS Contacts', type: 'main', index: input }]] });
	const departments = code('Departments', [220, -100], DEPARTMENTS_CODE);
	const users = code('Users', [220, 100], USERS_CODE);
	return webhookWorkflow(options, 'WPS', [departments, users, wps], {
		Webhook: {
			main: [
				[
					{ node: 'Departments', type: 'main', index: 0 },
					{ node: 'Users', type: 'main', index: 0 },
				],
			],
		},
		Departments: into(0),
		Users: into(1),
	});
}
