/**
 * `npm run demo:queue`: n8n in queue mode (a main process and two workers on PostgreSQL and Redis) syncing into
 * the Feishu emulator, with the package's Shared State = Redis. Prints which worker ran which execution and
 * what landed in Bitable; exit code 0 only when every key landed once and no call was refused for rate.
 */
import {
	keys,
	newTable,
	SHARED_HOOK,
	startQueueEnvironment,
	syncBurst,
	type Burst,
	type QueueEnvironment,
} from './queueEnvironment';

const lines: string[] = [];
let complete = true;
const say = (line = '') => lines.push(line);

function check(label: string, burst: Burst, keysPerTable: number): void {
	const bad = burst.tables.filter((t) => t.records !== keysPerTable || t.distinct !== keysPerTable);
	say(
		`  ${label}: HTTP ${[...new Set(burst.statuses)].join('/')}, ${burst.tables.length} table(s) with ${keysPerTable} keys each` +
			`${bad.length ? `, ${bad.length} table(s) WRONG (${bad.map((t) => `${t.records} records, ${t.distinct} keys`).join('; ')})` : ', every key once'}` +
			`, calls refused for rate: ${burst.rateLimited}, ${(burst.elapsedMs / 1000).toFixed(1)} s (app-limit floor ${(burst.floorMs / 1000).toFixed(1)} s)`,
	);
	if (bad.length || burst.rateLimited || burst.statuses.some((s) => s !== 200)) complete = false;
}

async function main(): Promise<void> {
	let env: QueueEnvironment | undefined;
	try {
		process.stderr.write('[demo:queue] starting PostgreSQL, Redis, the emulators, n8n main and two workers\n');
		env = await startQueueEnvironment({ workers: 2 });
		say(
			`n8n queue mode: main ${env.queue.main.baseUrl} (PostgreSQL database ${env.queue.database}), workers ${env.queue.workers.map((w) => `#${w.index} pid ${w.pid}`).join(', ')}`,
		);
		const table = await newTable(env, 'Queue demo');
		check(
			'four syncs of one table at once',
			await syncBurst(
				env,
				SHARED_HOOK,
				[0, 1, 2, 3].map((run) => ({ tableId: table, keys: keys(200), run })),
			),
			200,
		);
		const eight = await Promise.all(Array.from({ length: 8 }, (_, i) => newTable(env!, `Queue demo ${i}`)));
		check(
			'eight tables of one app at once',
			await syncBurst(
				env,
				SHARED_HOOK,
				eight.map((tableId) => ({ tableId, keys: keys(60), run: 1 })),
			),
			60,
		);
		const byWorker = env.queue.executionsByWorker();
		for (const [worker, ids] of Object.entries(byWorker))
			say(`  worker #${worker} ran executions ${ids.join(', ') || '(none)'}`);
		if (Object.values(byWorker).some((ids) => ids.length === 0)) {
			complete = false;
			say('  UNEXPECTED: a worker ran nothing');
		}
	} catch (error) {
		complete = false;
		say(`FAILED: ${(error as Error).message}`);
	} finally {
		await env?.stop();
	}
	say(complete ? 'demo:queue complete' : 'demo:queue INCOMPLETE (see above)');
	console.log(lines.join('\n'));
	process.exit(complete ? 0 : 1);
}

void main();
