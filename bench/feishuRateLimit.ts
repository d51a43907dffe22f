/**
 * Burst of search calls through the Feishu transport against the emulator's enforced per-app limit
 * (20/s for search). Prints the time taken against the floor max(calls / limit, measured service
 * time) and the ratio (target: within 1.2x), plus any call that failed or was refused (429).
 *
 *   npx ts-node --transpile-only bench/feishuRateLimit.ts [calls=300]
 */
import { startFeishuEmulator } from '../test/emulators/feishu';
import { FeishuRegistry, feishuSession, type FeishuSession } from '../lib/feishu';
import { systemClock } from '../lib/resilience';

const CALLS = Number(process.argv[2] ?? process.env.BENCH_CALLS ?? 300);
const LIMIT = 20;
const APP = { appId: 'cli_bench_app', appSecret: 'bench-secret' };
const APP_TOKEN = 'bascnBenchBase00000000001';

async function burst(session: FeishuSession, tableId: string): Promise<{ ms: number; failed: number }> {
	const started = performance.now();
	const results = await Promise.allSettled(
		Array.from({ length: CALLS }, () => session.searchPage(APP_TOKEN, tableId, {}, 20)),
	);
	return { ms: performance.now() - started, failed: results.filter((r) => r.status === 'rejected').length };
}

async function main(): Promise<void> {
	const emu = await startFeishuEmulator({ seed: 3, rateLimits: 'off' });
	try {
		await emu.admin.createApp(APP);
		await emu.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId] });
		const tableId = await emu.admin.createTable({
			appToken: APP_TOKEN,
			name: 'Bench',
			fields: [{ field_name: 'Key', type: 1 }],
		});
		await emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: Array.from({ length: 200 }, (_, n) => ({ fields: { Key: `k${n}` } })),
		});
		const config = { ...APP, baseUrl: emu.baseUrl };

		// Service time: the same burst with no limit on either side.
		const unlimited = feishuSession(
			{ ...config, rateLimits: { search: 1e9 } },
			{ registry: new FeishuRegistry(systemClock) },
		);
		await unlimited.listTables(APP_TOKEN); // token and connection warm-up
		const service = await burst(unlimited, tableId);

		await emu.admin.setRateLimits('spec');
		await emu.admin.resetCounters();
		const limited = feishuSession(config, { registry: new FeishuRegistry(systemClock) });
		await limited.listTables(APP_TOKEN);
		const run = await burst(limited, tableId);
		const counters = await emu.admin.counters();

		const floorMs = Math.max((CALLS / LIMIT) * 1000, service.ms);
		const ratio = run.ms / floorMs;
		const line = {
			bench: 'feishu search burst',
			calls: CALLS,
			limitPerSecond: LIMIT,
			serviceMs: Math.round(service.ms),
			floorMs: Math.round(floorMs),
			tookMs: Math.round(run.ms),
			ratio: Number(ratio.toFixed(3)),
			target: 1.2,
			failedCalls: run.failed,
			refused429: counters.rateLimited,
			httpCalls: limited.calls,
		};
		process.stdout.write(
			`feishu rate limit: ${CALLS} searches at ${LIMIT}/s took ${(run.ms / 1000).toFixed(2)} s; floor ${(floorMs / 1000).toFixed(2)} s ` +
				`(service ${(service.ms / 1000).toFixed(2)} s) -> ${ratio.toFixed(3)}x (target <= 1.2x); ` +
				`failed ${run.failed}, refused by the server ${counters.rateLimited}\n${JSON.stringify(line)}\n`,
		);
		if (run.failed > 0 || ratio > 1.2) process.exitCode = 1;
	} finally {
		await emu.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
