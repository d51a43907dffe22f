/**
 * MySQL Query against n8n's own MySQL node (n8n-nodes-base MySql v2.5), both in the same workflow
 * harness, on the same 10-column tables, both compiled JavaScript (ours from dist/, as n8n loads it).
 * Every figure is the median of fresh processes (5; 3 with BENCH_QUICK=1): execution wall time, CPU
 * time and peak RSS for a full SELECT (targets: each at most n8n's), the peak RSS of one Read
 * Changes page from a small and a large table, and the rows the server sent for an unchanged
 * watermark re-run (its own Rows_sent counter). Where the time goes: docs/mysql-performance.md.
 *
 *   npm run build && bash scripts/with-mariadb.sh npx ts-node --transpile-only bench/mysql.ts   (MYSQL_* as set by that script)
 *   BENCH_QUICK=1 ...                                                            (10k/100k rows, 3 runs)
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as mysql from 'mysql2/promise';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 5));
const SIZES = QUICK ? [10_000, 100_000] : [100_000, 1_000_000];
const PAGE = QUICK ? 5_000 : 50_000;
const PAGE_TABLES = QUICK ? [20_000, 100_000] : [200_000, 1_000_000];

interface Server {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
}

interface WorkerResult {
	ms: number;
	/** CPU time of the execution (user + system): steadier than wall time on a busy machine. */
	cpuMs: number;
	rssMb: number;
	rows: number;
	rowsSent?: number;
}

type Job =
	| { kind: 'select'; node: 'ours' | 'n8n'; table: string; server: Server }
	| { kind: 'page'; table: string; page: number; server: Server }
	| { kind: 'rerun'; table: string; server: Server };

const table = (rows: number) => `t_${rows}`;

function cpuMs(since: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
}

// ---------------------------------------------------------------- worker (a fresh process per figure)

async function worker(job: Job): Promise<WorkerResult> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const harness = require('../test/harness') as typeof import('../test/harness');
	const nodeTypes = new harness.HarnessNodeTypes();
	const { server } = job;
	const ours = { ...server, ssl: 'disabled', timezone: '+08:00', connectTimeout: 10000 };
	let type = 'n8n-nodes-base.mySql';
	if (job.kind !== 'select' || job.node === 'ours') {
		// Loaded only by the workers that use it, so n8n's node runs without our modules in memory.
		// The built file, as n8n runs it (not through ts-node, which n8n's node is not either).
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { MySqlQuery } =
			require('../dist/nodes/MySqlQuery/MySqlQuery.node.js') as typeof import('../nodes/MySqlQuery/MySqlQuery.node');
		type = nodeTypes.register(MySqlQuery);
	}
	const node = (parameters: Record<string, unknown>, name = 'SQL') =>
		job.kind === 'select' && job.node === 'n8n'
			? { name, type, typeVersion: 2.5, parameters, credentials: ['mySql'] }
			: { name, type, parameters, credentials: ['mySqlApi'] };
	const credentials = {
		mySqlApi: ours,
		mySql: { ...server, ssl: false, connectTimeout: 10000 },
	};
	if (job.kind === 'select') {
		const runner = new harness.WorkflowRunner(nodeTypes, {
			nodes: [
				harness.MANUAL_TRIGGER,
				node(
					job.node === 'n8n'
						? { operation: 'executeQuery', query: `SELECT * FROM ${job.table}`, options: {} }
						: { operation: 'executeQuery', query: `SELECT * FROM ${job.table}` },
				),
			],
			connections: [['Start', 'SQL']],
		});
		const cpu = process.cpuUsage();
		const started = performance.now();
		const r = await runner.run({ credentials });
		const ms = performance.now() - started;
		if (r.error) throw r.error;
		return { ms, cpuMs: cpuMs(cpu), rssMb: process.resourceUsage().maxRSS / 1024, rows: r.outputs.SQL[0].length };
	}
	const read = {
		operation: 'readChanges',
		watermarkName: 'bench',
		table: job.table,
		columns: '*',
		watermarkColumn: 'updated_at',
		tieBreakerColumn: 'id',
		maxRows: job.kind === 'page' ? job.page : 100000,
		debugServerCounters: true,
		options: {} as Record<string, unknown>,
	};
	const flow = (parameters: Record<string, unknown>) =>
		new harness.WorkflowRunner(nodeTypes, {
			nodes: [
				harness.MANUAL_TRIGGER,
				node(parameters, 'Read'),
				node({ operation: 'commitWatermark', watermarkName: 'bench' }, 'Commit'),
			],
			connections: [
				['Start', 'Read'],
				['Read', 'Commit'],
			],
		});
	if (job.kind === 'page') {
		const cpu = process.cpuUsage();
		const started = performance.now();
		const r = await flow(read).run({ credentials });
		if (r.error) throw r.error;
		return {
			ms: performance.now() - started,
			cpuMs: cpuMs(cpu),
			rssMb: process.resourceUsage().maxRSS / 1024,
			rows: r.outputs.Read[0].length,
		};
	}
	// Unchanged re-run: catch up from the last watermark value, then run again with nothing new.
	const connection = await mysql.createConnection({ ...server, dateStrings: true });
	const [[last]] = (await connection.query(`SELECT MAX(updated_at) AS v FROM ${job.table}`)) as unknown as [
		[{ v: string }],
	];
	await connection.end();
	const runner = flow({ ...read, options: { startValue: last.v } });
	const first = await runner.run({ credentials });
	if (first.error) throw first.error;
	const cpu = process.cpuUsage();
	const started = performance.now();
	const again = await runner.run({ credentials });
	if (again.error) throw again.error;
	const stats = (
		(again.staticData.global as Record<string, unknown>).mySqlQueryWatermarks as Record<
			string,
			{ lastRead: { serverCounters: { rowsSent: number } } }
		>
	).bench;
	return {
		ms: performance.now() - started,
		cpuMs: cpuMs(cpu),
		rssMb: process.resourceUsage().maxRSS / 1024,
		rows: again.outputs.Read?.[0]?.length ?? 0,
		rowsSent: stats.lastRead.serverCounters.rowsSent,
	};
}

// ---------------------------------------------------------------- parent

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Figure {
	ms: number;
	cpuMs: number;
	rssMb: number;
	processMs: number;
	rows: number;
	rowsSent?: number;
}

type Sample = WorkerResult & { processMs: number };

/** One fresh process running one job; its result is the last line it prints. */
function runOnce(job: Job, expectRows?: number): Sample {
	const started = performance.now();
	const child = spawnSync(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', __filename, '--worker', JSON.stringify(job)],
		{
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
			env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
		},
	);
	const processMs = performance.now() - started;
	const line = child.stdout.trim().split('\n').pop() ?? '';
	if (child.status !== 0 || !line.startsWith('{')) {
		throw new Error(
			`worker ${JSON.stringify({ ...job, server: undefined })} failed (${child.status}): ${child.stderr.slice(-2000)}`,
		);
	}
	const result = JSON.parse(line) as WorkerResult;
	if (expectRows !== undefined && result.rows !== expectRows) {
		throw new Error(`worker returned ${result.rows} rows, expected ${expectRows}`);
	}
	return { ...result, processMs };
}

function summarise(samples: Sample[]): Figure {
	return {
		ms: median(samples.map((r) => r.ms)),
		cpuMs: median(samples.map((r) => r.cpuMs)),
		rssMb: median(samples.map((r) => r.rssMb)),
		processMs: median(samples.map((r) => r.processMs)),
		rows: samples[0].rows,
		rowsSent: samples[0].rowsSent === undefined ? undefined : Math.max(...samples.map((r) => r.rowsSent ?? 0)),
	};
}

/** RUNS fresh processes per job; several jobs alternate run by run, so machine load falls on each alike. */
function measure(jobs: Job[], expectRows?: number): Figure[] {
	const samples: Sample[][] = jobs.map(() => []);
	for (let i = 0; i < RUNS; i++) jobs.forEach((job, j) => samples[j].push(runOnce(job, expectRows)));
	return samples.map(summarise);
}

async function createTables(admin: mysql.Connection, sizes: number[]): Promise<void> {
	for (const rows of sizes) {
		await admin.query(`CREATE TABLE ${table(rows)} (
			id BIGINT PRIMARY KEY, k INT NOT NULL, name VARCHAR(40), email VARCHAR(64), amount DECIMAL(12,2),
			score DOUBLE, status VARCHAR(10), created_at DATETIME, updated_at DATETIME NOT NULL, note VARCHAR(100),
			INDEX by_change (updated_at, id))`);
		await admin.query(`INSERT INTO ${table(rows)}
			SELECT seq, seq % 1000, CONCAT('name ', seq), CONCAT('user', seq, '@example.com'), seq / 100, seq * 0.5,
			       ELT(1 + seq % 3, 'new', 'paid', 'sent'), '2024-01-01' + INTERVAL seq SECOND,
			       '2024-01-01' + INTERVAL (seq DIV 3) SECOND, REPEAT('x', 20 + seq % 30)
			FROM seq_1_to_${rows}`);
	}
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

function driverVersion(from: string): string {
	const file = require.resolve('mysql2/package.json', { paths: [from] });
	return (require(file) as { version: string }).version;
}

async function main(): Promise<void> {
	const base = {
		host: process.env.MYSQL_HOST ?? '127.0.0.1',
		port: Number(process.env.MYSQL_PORT ?? 3306),
		user: process.env.MYSQL_USER ?? 'root',
		password: process.env.MYSQL_PASSWORD ?? '',
	};
	const database = `bench_mq_${randomBytes(3).toString('hex')}`;
	const admin = await mysql.createConnection(base);
	await admin.query(`CREATE DATABASE ${database}`);
	await admin.query(`USE ${database}`);
	const server: Server = { ...base, database };
	let failed = false;
	try {
		const sizes = [...new Set([...SIZES, ...PAGE_TABLES])];
		const fillStarted = performance.now();
		await createTables(admin, sizes);
		console.log(
			`mysql bench: ${RUNS} fresh processes per figure; tables ${sizes.join(', ')} rows of 10 columns (filled in ${fmt((performance.now() - fillStarted) / 1000, 1)} s)`,
		);
		// The drivers differ: n8n-nodes-base brings its own mysql2, and parsing speed differs between versions.
		console.log(
			`driver: MySQL Query mysql2 ${driverVersion(process.cwd())}, n8n MySQL mysql2 ${driverVersion(require.resolve('n8n-nodes-base/package.json'))}`,
		);

		console.log('\nfull SELECT * (Execute Query), median wall time of the execution and peak RSS of the process:');
		for (const rows of SIZES) {
			const [n8n, ours] = measure(
				[
					{ kind: 'select', node: 'n8n', table: table(rows), server },
					{ kind: 'select', node: 'ours', table: table(rows), server },
				],
				rows,
			);
			const timeRatio = ours.ms / n8n.ms;
			const cpuRatio = ours.cpuMs / n8n.cpuMs;
			const memRatio = ours.rssMb / n8n.rssMb;
			const show = (f: Figure) =>
				`${fmt(f.ms / 1000)} s, ${fmt(f.rssMb, 0)} MB (cpu ${fmt(f.cpuMs / 1000)} s, process ${fmt(f.processMs / 1000)} s)`;
			console.log(`  ${rows} rows: n8n MySQL ${show(n8n)} | MySQL Query ${show(ours)}`);
			console.log(
				`    ratio to n8n: time ${fmt(timeRatio)}, cpu ${fmt(cpuRatio)}, memory ${fmt(memRatio)} (targets <= 1.00)`,
			);
			// Quick mode's small tables measure mostly fixed costs: the targets are for the full run.
			if (!QUICK && [timeRatio, cpuRatio, memRatio].some((r) => Number(fmt(r)) > 1)) failed = true;
		}

		console.log(`\nRead Changes, one ${PAGE}-row page (median peak RSS):`);
		const pageFigures = measure(
			PAGE_TABLES.map((rows) => ({ kind: 'page', table: table(rows), page: PAGE, server }) as Job),
			PAGE,
		);
		const pages = PAGE_TABLES.map((rows, i) => ({ rows, figure: pageFigures[i] }));
		for (const { rows, figure } of pages) {
			console.log(`  from ${rows} rows: ${fmt(figure.rssMb, 0)} MB, ${fmt(figure.ms / 1000)} s`);
		}
		const spread = pages[pages.length - 1].figure.rssMb / pages[0].figure.rssMb;
		console.log(`  large/small table: ${fmt(spread)} (target: within 10%, 0.90-1.10)`);
		if (spread > 1.1 || spread < 0.9) failed = true;

		const [rerun] = measure([{ kind: 'rerun', table: table(PAGE_TABLES[PAGE_TABLES.length - 1]), server }]);
		console.log(
			`\nunchanged watermark re-run on ${PAGE_TABLES[PAGE_TABLES.length - 1]} rows: ${rerun.rows} rows output, server Rows_sent ${rerun.rowsSent} (target 0)`,
		);
		if (rerun.rowsSent !== 0) failed = true;
		console.log(
			`\nmysql bench: ${failed ? 'a target was missed' : QUICK ? 'quick run done (time/memory targets apply to the full run)' : 'all targets met'}`,
		);
	} finally {
		await admin.query(`DROP DATABASE IF EXISTS ${database}`);
		await admin.end();
	}
}

if (process.argv[2] === '--worker') {
	worker(JSON.parse(process.argv[3]) as Job).then(
		(result) => {
			process.stdout.write(`\n${JSON.stringify(result)}\n`);
			process.exit(0);
		},
		(err) => {
			process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
			process.exit(1);
		},
	);
} else {
	main().catch((err) => {
		console.error(err);
		process.exitCode = 1;
	});
}
