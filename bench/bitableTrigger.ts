/**
 * The Bitable Trigger's idle cost in Feishu API calls per hour (docs/bitable-sync-economy.md), measured against the
 * emulator through n8n's PollContext / TriggerContext:
 * - Poll mode, one poll a minute: 60 idle polls with the field list kept between polls, beside today's figure, the
 *   same 60 polls reading the field list every poll ("Re-Read Table Fields Every N Polls" = 1), in the same run.
 *   Target: at most 60 calls an hour.
 * - Events mode: the trigger connected over the long connection, idle, plus events for another table of the base;
 *   every call counted while idle (target 0: pings are frames on the socket, not API calls).
 *
 *   npx ts-node --transpile-only bench/bitableTrigger.ts
 */
import '../test/harness/env';
import { TriggerContext } from 'n8n-core';
import type { ITriggerResponse } from 'n8n-workflow';
import type { FeishuBitableTrigger as TriggerNode } from '../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { HarnessNodeTypes, harnessAdditionalData, pollOnce } from '../test/harness';
import { startFeishuEmulator, type FeishuEmulator } from '../test/emulators/feishu';
import { bitableTriggerRunner } from '../test/nodes/bitableTriggerRunner';

const APP = { appId: 'cli_b0b1b2b3b4b5b6b7', appSecret: 'bench-trigger-secret' };
const APP_TOKEN = 'bascnBenchTriggerBase0001';
const POLLS_PER_HOUR = 60;
// by file name: beside the .ts source lies FeishuBitableTrigger.node.json, which plain require would pick first
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FeishuBitableTrigger } = require('../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node.ts') as {
	FeishuBitableTrigger: typeof TriggerNode;
};

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

const apiCalls = async (emu: FeishuEmulator): Promise<number> => {
	const { calls } = await emu.admin.counters();
	return Object.entries(calls)
		.filter(([key]) => key !== 'auth.tenant_token')
		.reduce((sum, [, n]) => sum + n, 0);
};

async function main(): Promise<void> {
	const emu = await startFeishuEmulator({ seed: 21, rateLimits: 'off' });
	try {
		await emu.admin.createApp(APP);
		await emu.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId] });
		const fields = [
			{ field_name: 'Task', type: 1 },
			{ field_name: 'Modified', type: 1002 },
		];
		const tableId = await emu.admin.createTable({ appToken: APP_TOKEN, name: 'Tasks', fields });
		const otherTable = await emu.admin.createTable({ appToken: APP_TOKEN, name: 'Other', fields });
		await emu.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: Array.from({ length: 50 }, (_, i) => ({ fields: { Task: `t${i}` } })),
		});
		const credentials = { feishuAppApi: { ...APP, region: 'custom', baseUrl: emu.baseUrl, timeZone: 'Asia/Shanghai' } };
		const nodeTypes = new HarnessNodeTypes();
		const type = nodeTypes.register(FeishuBitableTrigger);
		const runner = (parameters: Record<string, unknown>) =>
			bitableTriggerRunner(nodeTypes, type, APP_TOKEN, tableId, parameters);

		const idlePollHour = async (options: Record<string, unknown>): Promise<number> => {
			const r = runner({ options });
			await pollOnce(r, 'Trigger', { credentials }); // activation: the first poll remembers where it is
			await emu.admin.resetCounters();
			for (let i = 0; i < POLLS_PER_HOUR; i++) await pollOnce(r, 'Trigger', { credentials });
			return apiCalls(emu);
		};
		const pollNow = await idlePollHour({});
		const pollToday = await idlePollHour({ metaEveryPolls: 1 });

		// events mode: connected, idle, events for another table only
		const r = runner({ mode: 'events' });
		const workflow = r.newWorkflow();
		const context = new TriggerContext(
			workflow,
			workflow.getNode('Trigger')!,
			harnessAdditionalData(credentials, r.id),
			'trigger',
			'activate',
			() => undefined,
		);
		await emu.admin.setLongConnection({ pingIntervalSec: 0.05 });
		await emu.admin.resetCounters(); // so the wait below sees this trigger's first catch-up, not the polls above
		const active: ITriggerResponse = await new FeishuBitableTrigger().trigger.call(context);
		let eventsIdle: number;
		try {
			await until(
				async () =>
					(await emu.admin.longConnections()).connections.length === 1 &&
					((await emu.admin.counters()).calls['bitable.records.search'] ?? 0) >= 1,
				'the connection and its first catch-up',
			);
			await emu.admin.resetCounters();
			await emu.admin.seedRecords({
				appToken: APP_TOKEN,
				tableId: otherTable,
				records: [{ fields: { Task: 'elsewhere' } }],
			});
			await until(async () => (await emu.admin.longConnections()).pushed.every((p) => p.acked), 'the acknowledgement');
			// a second of pings every 50 ms (Feishu: one every 2 minutes)
			await new Promise((resolve) => setTimeout(resolve, 1000));
			eventsIdle = await apiCalls(emu);
			if (eventsIdle) process.stderr.write(`calls while idle: ${JSON.stringify((await emu.admin.counters()).calls)}\n`);
		} finally {
			await active.closeFunction?.();
		}

		const ok = pollNow <= POLLS_PER_HOUR && eventsIdle === 0;
		process.stdout.write(
			`bitable trigger, idle Feishu API calls per hour (target: polling once a minute <= ${POLLS_PER_HOUR}, events 0):\n` +
				`  polling, field list kept between polls: ${pollNow} calls/hour vs today (field list read every poll) ${pollToday}\n` +
				`  events (long connection, idle, ~20 pings and an event for another table): ${eventsIdle} calls\n` +
				`${JSON.stringify({ bench: 'bitable trigger', pollPerHour: pollNow, pollPerHourToday: pollToday, eventsIdleCalls: eventsIdle })}\n`,
		);
		if (!ok) process.exitCode = 1;
	} finally {
		await emu.close();
	}
}

main()
	.then(() => process.exit(process.exitCode ?? 0))
	.catch((error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	});
