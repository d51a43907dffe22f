/**
 * The Feishu and WPS emulators with their seeded demo tenants, started the way `npm run emulators` starts them
 * (scripts/emulators.ts prints one JSON line once they accept requests). The e2e suite and the demo share this,
 * so both see the same seeded app, base, table, bot and WPS tenant.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';

import type { StandaloneFeishu } from '../emulators/feishu/standalone';
import type { StandaloneWps } from '../emulators/wps/standalone';
import { REPO_ROOT } from './realN8n';

/** What `npm run emulators` prints for each emulator (its standalone demo tenant). */
export type FeishuDemo = StandaloneFeishu;
export type WpsDemo = StandaloneWps;

export interface EmulatorInfo {
	feishu?: FeishuDemo;
	wps?: WpsDemo;
	/** part -> why it is not available (e.g. not written yet) */
	missing: Record<string, string>;
	/** process group of the emulators' process, to stop it */
	pid?: number;
}

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'emulators.ts');

export async function startEmulators(logFile: string, timeoutMs = 60_000): Promise<EmulatorInfo> {
	if (!fs.existsSync(SCRIPT)) {
		const why = 'scripts/emulators.ts (npm run emulators) does not exist yet';
		return { missing: { feishu: why, wps: why } };
	}
	const log = fs.openSync(logFile, 'a');
	const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', SCRIPT], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', log],
		detached: true,
	});
	fs.closeSync(log);
	const lines = readline.createInterface({ input: child.stdout! });
	const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
		const timer = setTimeout(() => {
			stopEmulators({ pid: child.pid });
			reject(new Error(`npm run emulators printed no JSON line within ${timeoutMs} ms; see ${logFile}`));
		}, timeoutMs);
		// While the emulators are being written the script may not start at all: report that part as missing
		// (tests that need it then fail or skip with this reason) instead of failing every test.
		child.once('exit', (code) => {
			clearTimeout(timer);
			const lastError = fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).slice(0, 2).join(' / ');
			resolve({ failed: `npm run emulators exited ${code}: ${lastError.slice(0, 300)}` });
		});
		lines.on('line', (line) => {
			fs.appendFileSync(logFile, line + '\n');
			if (!line.trim().startsWith('{')) return;
			clearTimeout(timer);
			child.removeAllListeners('exit');
			resolve(JSON.parse(line));
		});
	});
	child.unref();
	const missing: Record<string, string> = {};
	for (const part of ['feishu', 'wps']) {
		if (!info[part])
			missing[part] = (info.failed as string) ?? `npm run emulators does not start the ${part} emulator yet`;
	}
	return {
		feishu: info.feishu as FeishuDemo,
		wps: info.wps as WpsDemo,
		missing,
		pid: info.failed ? undefined : child.pid,
	};
}

export function stopEmulators(info: Pick<EmulatorInfo, 'pid'>): void {
	if (!info.pid) return;
	try {
		process.kill(-info.pid, 'SIGTERM');
	} catch {
		/* already gone */
	}
}

/** A JSON call to an emulator (its API or its test-only admin routes). */
export async function emulatorJson(baseUrl: string, route: string, init: RequestInit = {}): Promise<any> {
	const response = await fetch(`${baseUrl}${route}`, {
		...init,
		headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`${init.method ?? 'GET'} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}
