/**
 * n8n in queue mode, as the README's "Running in queue mode" sets it up: one main process (`n8n start`, UI,
 * webhooks) and workers (`n8n worker --concurrency 2`) taking executions from Redis, with PostgreSQL as n8n's
 * database. All processes share one N8N_USER_FOLDER, so the package is installed once for all of them.
 * Used by test/e2e/queue.test.ts, `npm run demo:queue` and bench/queueSync.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

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

/** The POST webhook every queue workflow starts with; it answers with the last node's output. */
function webhookNode(id: string, path: string): Record<string, unknown> {
	return {
		id: `${id}-1`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${id}-hook`,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
	};
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
}): { id: string; active: boolean } & Record<string, unknown> {
	const shared = options.redisCredential !== undefined;
	return {
		id: options.id,
		name: `Queue sync ${options.path}`,
		active: true,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] },
		},
		nodes: [
			webhookNode(options.id, options.path),
			{
				id: `${options.id}-2`,
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode:
						'const b = $input.first().json.body;\nreturn b.keys.map((k) => ({ json: { Key: k, Amount: b.run } }));',
				},
			},
			{
				id: `${options.id}-3`,
				name: 'Sync',
				type: 'n8n-nodes-feishu-wps-sync.feishuBitable',
				typeVersion: 1, // Key Field Names (version 2 matches on resource-mapper columns instead)
				position: [440, 0],
				parameters: {
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
				credentials: {
					feishuAppApi: options.feishuCredential,
					...(shared ? { redis: options.redisCredential } : {}),
				},
			},
		],
	};
}

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
}): { id: string; active: boolean } & Record<string, unknown> {
	const mysql = { mySqlApi: options.mysqlCredential };
	const common = {
		watermarkName: `${options.source}-to-${options.sink}`,
		watermarkStore: 'mysqlTable',
		stateTable: options.stateTable,
	};
	return {
		id: options.id,
		name: `Queue watermark ${options.path}`,
		active: true,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'Read Changes', type: 'main', index: 0 }]] },
			'Read Changes': { main: [[{ node: 'Copy', type: 'main', index: 0 }]] },
			Copy: { main: [[{ node: 'Commit', type: 'main', index: 0 }]] },
		},
		nodes: [
			webhookNode(options.id, options.path),
			{
				id: `${options.id}-2`,
				name: 'Read Changes',
				type: 'n8n-nodes-feishu-wps-sync.mySqlQuery',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					operation: 'readChanges',
					table: options.source,
					columns: 'id, updated_at',
					watermarkColumn: 'updated_at',
					tieBreakerColumn: 'id',
					maxRows: options.maxRows,
					...common,
					options: {},
				},
				credentials: mysql,
			},
			{
				id: `${options.id}-3`,
				name: 'Copy',
				type: 'n8n-nodes-feishu-wps-sync.mySqlQuery',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'executeQuery',
					query: `INSERT INTO ${options.sink} (src_id, execution_id) VALUES (?, ?)`,
					queryParameters: { values: [{ value: '={{ $json.id }}' }, { value: '={{ $execution.id }}' }] },
					mode: 'eachItem',
					options: {},
				},
				credentials: mysql,
			},
			{
				id: `${options.id}-4`,
				name: 'Commit',
				type: 'n8n-nodes-feishu-wps-sync.mySqlQuery',
				typeVersion: 1,
				position: [660, 0],
				parameters: { operation: 'commitWatermark', ...common },
				credentials: mysql,
			},
		],
	};
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
}): { id: string; active: boolean } & Record<string, unknown> {
	const code = (id: string, name: string, x: number, y: number, jsCode: string) => ({
		id,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [x, y],
		parameters: { jsCode },
	});
	return {
		id: options.id,
		name: `Queue WPS ${options.path}`,
		active: true,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: {
				main: [
					[
						{ node: 'Departments', type: 'main', index: 0 },
						{ node: 'Users', type: 'main', index: 0 },
					],
				],
			},
			Departments: { main: [[{ node: 'WPS Contacts', type: 'main', index: 0 }]] },
			Users: { main: [[{ node: 'WPS Contacts', type: 'main', index: 1 }]] },
		},
		nodes: [
			webhookNode(options.id, options.path),
			code(
				`${options.id}-2`,
				'Departments',
				220,
				-100,
				'const n = $input.first().json.body.depts;\nreturn Array.from({ length: n }, (_, i) => ({ json: { id: 100 + i, parent_id: 0, name: `Dept ${i}` } }));',
			),
			code(
				`${options.id}-3`,
				'Users',
				220,
				100,
				'const b = $input.first().json.body;\nreturn Array.from({ length: b.users }, (_, i) => ({ json: { id: 1000 + i, name: `User ${i}`, dept_ids: String(100 + (i % b.depts)) } }));',
			),
			{
				id: `${options.id}-4`,
				name: 'WPS Contacts',
				type: 'n8n-nodes-feishu-wps-sync.wpsContacts',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
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
				credentials: { wps365Api: options.wpsCredential, mySqlApi: options.mysqlCredential },
			},
		],
	};
}
