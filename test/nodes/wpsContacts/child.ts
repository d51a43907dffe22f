import { type ChildProcess, spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(__dirname, 'childRun.ts');

export interface Child {
	process: ChildProcess;
	/** Resolves with the child's JSON line, or undefined when it was killed. */
	done: Promise<{ error: string | null; summary?: IDataObject; audit?: IDataObject[] } | undefined>;
	kill(): void;
	/** With `{ready: true}`: resolves once the process has loaded everything; `go()` starts its run. */
	ready: Promise<void>;
	go(): void;
}

/** Starts a workflow run in a separate Node process (compile-free through ts-node's transpile-only hook). */
export function startChild(config: IDataObject, opts: { ready?: boolean } = {}): Child {
	const dir = mkdtempSync(path.join(tmpdir(), 'wps-child-'));
	const file = path.join(dir, 'config.json');
	const goFile = path.join(dir, 'go');
	writeFileSync(file, JSON.stringify(opts.ready ? { ...config, goFile } : config));
	let markReady!: () => void;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT, file], {
		cwd: ROOT,
		// prefer .ts: `X.node` must not resolve to the codex file `X.node.json`
		env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk) => {
		stdout += chunk;
		if (stdout.startsWith('ready\n')) markReady();
	});
	child.stderr!.on('data', (chunk) => (stderr += chunk));
	const done = new Promise<Awaited<Child['done']>>((resolve, reject) => {
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL') return resolve(undefined);
			const line = stdout
				.trim()
				.split('\n')
				.filter((l) => l.startsWith('{'))
				.pop();
			if (!line) return reject(new Error(`child exited ${code} without a result: ${stderr.slice(-2000)}`));
			resolve(JSON.parse(line));
		});
	});
	return { process: child, done, kill: () => child.kill('SIGKILL'), ready, go: () => writeFileSync(goFile, '') };
}

/** Polls until `check` holds (a few ms apart), or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000, what = 'condition'): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}
