/**
 * What the package costs n8n before any workflow runs. n8n loads every installed community package
 * when it starts, so what the node files import at load time is paid on every start by every user.
 *  1. Requiring the package's dist entry points (package.json `n8n`: every node and credential) in a
 *     fresh Node process that already has n8n-workflow loaded (as n8n has): wall time, heap and RSS
 *     growth, and the heavy modules that came with them (target: none of the Lark SDK, protobuf,
 *     ws, axios, mysql2, ioredis: they load on first use). n8n's own MySQL node is required the same way
 *     for scale.
 *  2. A real `n8n start` (the pinned n8n, scripts/real-n8n/install.sh) until /healthz/readiness
 *     answers, with and without the package installed, and the server's RSS then; each instance is
 *     started once first (database migrations) and then measured, the two alternating.
 *
 *   npx ts-node --transpile-only bench/load.ts        (after `npm run build`; scripts/bench.sh builds first)
 *   BENCH_QUICK=1: 3 processes per require figure, 1 measured start each; BENCH_SKIP_N8N=1: part 1 only
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 5));
const STARTS = Number(process.env.BENCH_STARTS ?? (QUICK ? 1 : 3));
const ROOT = path.resolve(__dirname, '..');
const HEAVY = ['@larksuiteoapi/node-sdk', 'protobufjs', 'ws', 'axios', 'mysql2', 'ioredis'];

// Runs in a plain `node -e` process (no ts-node hooks): requires the files given, prints one JSON line.
const REQUIRE_WORKER = `
const files = JSON.parse(process.argv[1]);
require(${JSON.stringify(require.resolve('n8n-workflow', { paths: [ROOT] }))});
global.gc && global.gc();
const before = new Set(Object.keys(require.cache));
const heap0 = process.memoryUsage().heapUsed, rss0 = process.memoryUsage().rss;
const t0 = process.hrtime.bigint();
for (const file of files) require(file);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
global.gc && global.gc();
const heap1 = process.memoryUsage().heapUsed, rss1 = process.memoryUsage().rss;
const packages = new Set();
let modules = 0;
for (const m of Object.keys(require.cache)) {
	if (before.has(m)) continue;
	modules++;
	const i = m.lastIndexOf('node_modules/');
	if (i < 0) continue;
	const parts = m.slice(i + 13).split('/');
	packages.add(parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]);
}
console.log(JSON.stringify({ ms, heapMb: (heap1 - heap0) / 1048576, rssMb: (rss1 - rss0) / 1048576, modules, packages: [...packages] }));
`;

interface RequireFigure {
	ms: number;
	heapMb: number;
	rssMb: number;
	modules: number;
	packages: string[];
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function requireOnce(files: string[]): RequireFigure {
	const child = spawnSync(process.execPath, ['--expose-gc', '-e', REQUIRE_WORKER, JSON.stringify(files)], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	const line = child.stdout.trim().split('\n').pop() ?? '';
	if (child.status !== 0 || !line.startsWith('{'))
		throw new Error(`require worker failed: ${child.stderr.slice(-2000)}`);
	return JSON.parse(line) as RequireFigure;
}

function requireCost(files: string[]): RequireFigure {
	const samples = Array.from({ length: RUNS }, () => requireOnce(files));
	return {
		ms: median(samples.map((s) => s.ms)),
		heapMb: median(samples.map((s) => s.heapMb)),
		rssMb: median(samples.map((s) => s.rssMb)),
		modules: samples[0].modules,
		packages: samples[0].packages,
	};
}

function entryPoints(): { nodes: string[]; credentials: string[] } {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const resolve = (file: string) => {
		const full = path.join(ROOT, file);
		if (!fs.existsSync(full)) throw new Error(`${file} is not built: run npm run build first`);
		return full;
	};
	return { nodes: pkg.n8n.nodes.map(resolve), credentials: pkg.n8n.credentials.map(resolve) };
}

function partRequire(): boolean {
	const { nodes, credentials } = entryPoints();
	console.log(`requiring dist entry points (median of ${RUNS} fresh processes with n8n-workflow already loaded):`);
	const all = requireCost([...credentials, ...nodes]);
	const heavy = all.packages.filter((p) => HEAVY.includes(p));
	console.log(
		`  all ${nodes.length} nodes + ${credentials.length} credentials: ${fmt(all.ms)} ms, heap +${fmt(all.heapMb)} MB, ` +
			`RSS +${fmt(all.rssMb)} MB, ${all.modules} modules; packages loaded: ${all.packages.join(', ') || 'none'}`,
	);
	for (const file of nodes) {
		const one = requireCost([file]);
		console.log(
			`    ${path.basename(file, '.js').padEnd(32)} ${fmt(one.ms).padStart(6)} ms, heap +${fmt(one.heapMb)} MB, ${one.modules} modules`,
		);
	}
	const n8nMySql = require.resolve('n8n-nodes-base/dist/nodes/MySql/MySql.node.js', { paths: [ROOT] });
	const reference = requireCost([n8nMySql]);
	console.log(
		`  for scale, n8n's own MySQL node: ${fmt(reference.ms)} ms, heap +${fmt(reference.heapMb)} MB, ${reference.modules} modules`,
	);
	console.log(
		`  heavy modules loaded at load time: ${heavy.join(', ') || 'none'} (target: none; ${HEAVY.join(', ')} load on first use)`,
	);
	return heavy.length === 0;
}

// ---------------------------------------------------------------- n8n start

async function partN8nStart(): Promise<void> {
	// Loaded here only: the e2e helpers need the real n8n installed.
	const real = await import('../test/e2e/realN8n');
	execFileSync('bash', [path.join(ROOT, 'scripts/real-n8n/install.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
	try {
		const tarball = real.packPackage(path.join(work, 'pack'));
		const bare = real.createInstance(path.join(work, 'without'));
		const withPackage = real.createInstance(path.join(work, 'with'));
		real.installPackage(withPackage, tarball);
		const startOnce = async (instance: typeof bare) => {
			const started = performance.now();
			const server = await real.startServer(instance);
			const ms = performance.now() - started;
			const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
			const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
			await server.stop();
			return { ms, rssMb };
		};
		// First starts migrate each instance's database: not measured.
		await startOnce(bare);
		await startOnce(withPackage);
		const without: Array<{ ms: number; rssMb: number }> = [];
		const withIt: Array<{ ms: number; rssMb: number }> = [];
		for (let i = 0; i < STARTS; i++) {
			without.push(await startOnce(bare));
			withIt.push(await startOnce(withPackage));
		}
		const show = (s: typeof without) =>
			`${fmt(median(s.map((x) => x.ms)) / 1000, 2)} s, RSS ${fmt(median(s.map((x) => x.rssMb)), 0)} MB`;
		const ratio = median(withIt.map((x) => x.ms)) / median(without.map((x) => x.ms));
		console.log(`\nn8n start until /healthz/readiness answers (median of ${STARTS} after a first start per instance):`);
		console.log(`  without the package: ${show(without)} | with it: ${show(withIt)} | time ratio ${fmt(ratio, 2)}`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const ok = partRequire();
	if (process.env.BENCH_SKIP_N8N === '1') console.log('\n(n8n start skipped: BENCH_SKIP_N8N=1)');
	else await partN8nStart();
	console.log(`\nload bench: ${ok ? 'all targets met' : 'a target was missed'}`);
	if (!ok) process.exitCode = 1;
}

main().catch((err) => {
	console.error(err);
	process.exitCode = 1;
});
