/**
 * Eight tables of one Feishu app synced at once through n8n in queue mode (Shared State = Redis), first with
 * one worker, then with two. Prints each run's time as a ratio to the app-limit floor (max over endpoint
 * families of calls / limit per second, from the emulator's counters) and the calls refused for rate, which
 * must stay 0 with two workers. Needs the real n8n (scripts/real-n8n/install.sh), Redis and PostgreSQL.
 *
 *   npx ts-node --transpile-only bench/queueSync.ts        (BENCH_QUEUE_KEYS: keys per table, default 300)
 *
 * 300 keys a table (a 9.6 s floor) measure the shared limiter's steady pace: at 100 (a 3.2 s floor) the second or so a
 * queued execution needs to start on a worker is a third of the floor, and the ratio says more about n8n's start-up.
 */
import { keys, newTable, SHARED_HOOK, startQueueEnvironment, syncBurst } from '../scripts/real-n8n/queueEnvironment';

const KEYS = Number(process.env.BENCH_QUEUE_KEYS ?? (process.env.BENCH_QUICK ? 30 : 300));

async function main(): Promise<void> {
	const env = await startQueueEnvironment({ workers: 1, createBatch: 5 });
	let failed = false;
	try {
		for (const workers of [1, 2]) {
			if (env.queue.workers.length < workers) await env.queue.addWorker();
			const tables = await Promise.all(Array.from({ length: 8 }, (_, i) => newTable(env, `Bench ${workers}w ${i}`)));
			const burst = await syncBurst(
				env,
				SHARED_HOOK,
				tables.map((tableId) => ({ tableId, keys: keys(KEYS), run: workers })),
			);
			const wrong = burst.tables.filter((t) => t.records !== KEYS || t.distinct !== KEYS).length;
			console.log(
				`eight tables x ${KEYS} keys, ${workers} worker(s): ${(burst.elapsedMs / 1000).toFixed(2)} s, app-limit floor ${(burst.floorMs / 1000).toFixed(2)} s, ` +
					`ratio ${(burst.elapsedMs / burst.floorMs).toFixed(2)}x, refused for rate ${burst.rateLimited}, tables wrong ${wrong}`,
			);
			if (wrong || burst.rateLimited || burst.statuses.some((s) => s !== 200)) failed = true;
		}
	} finally {
		await env.stop();
	}
	process.exit(failed ? 1 : 0);
}

void main();
