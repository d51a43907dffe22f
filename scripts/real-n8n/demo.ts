/**
 * `npm run demo` (after scripts/demo.sh built the package, found MariaDB and installed n8n): runs the templates
 * in a local real n8n against the emulators and prints a short report. Exit code 0 only when every part ran.
 */
import { FeishuAdmin } from '../../test/emulators/feishu/admin/client';
import { RestClient, startServer, type Server } from '../../test/e2e/realN8n';
import type { OrderSync } from '../../test/e2e/scenarios/orderSync';
import type { TaskFlow } from '../../test/e2e/scenarios/taskFlow';
import type { WpsSync } from '../../test/e2e/scenarios/wpsSync';
import { DEMO_OWNER, prepareDemoEnvironment, type DemoEnvironment } from './demoEnvironment';
import { DEMO_ORDERS, setUpDemoScenarios } from './demoScenarios';

const lines: string[] = [];
let complete = true;
const say = (line = '') => lines.push(line);

function summaryLine(label: string, summary: Record<string, unknown> | undefined): string {
	if (!summary) return `  ${label}: nothing changed, nothing read`;
	const { created, updated, unchanged, failed, apiCalls } = summary;
	return `  ${label}: created ${created}, updated ${updated}, unchanged ${unchanged}, failed ${failed}, API calls ${apiCalls}`;
}

async function runOrderSync(env: DemoEnvironment, sync: OrderSync): Promise<void> {
	say(
		`MySQL -> Bitable sync (workflows/mysql-to-bitable-sync.json): ${DEMO_ORDERS} rows of orders -> Bitable table ${sync.tableId}`,
	);
	const admin = new FeishuAdmin(env.emulators.feishu!.baseUrl);
	say(summaryLine('run 1', await sync.run()));
	await sync.resetWatermark();
	say('  watermark reset (MySQL Query: Reset Watermark)');
	const writesBefore = (await admin.counters()).writeCalls;
	const second = await sync.run();
	const writes = (await admin.counters()).writeCalls - writesBefore;
	say(`${summaryLine('run 2', second)}; write calls ${writes}`);
	const ok = second?.unchanged === DEMO_ORDERS && writes === 0;
	if (!ok) {
		complete = false;
		say(`  UNEXPECTED: the second run should read every row and write nothing (unchanged = ${DEMO_ORDERS})`);
	}
}

async function runTaskFlow(flow: TaskFlow): Promise<void> {
	say('Generation tasks (task-intake -> task-generation -> task-callback), stand-in generation service:');
	const tasks = [
		{ taskId: 'DEMO-1001', prompt: 'succeed' as const, story: 'service succeeds' },
		{ taskId: 'DEMO-1002', prompt: 'fail' as const, story: 'service fails' },
		{ taskId: 'DEMO-1003', prompt: 'later' as const, story: 'service answers later, signed callback' },
	];
	for (const task of tasks) {
		const answer = await flow.submit(task);
		if (answer.status !== 202) throw new Error(`intake answered ${answer.status} for ${task.taskId}`);
	}
	const later = await flow.waitForServiceCall('DEMO-1003');
	await flow.waitForRow('DEMO-1003', ['Processing']);
	const result = {
		taskId: 'DEMO-1003',
		status: 'Completed',
		version: later.version,
		resultImageUrls: [flow.imageUrl('DEMO-1003')],
	};
	const forged = await flow.callback(result, { secret: 'not-the-secret' });
	const stale = await flow.callback(result, { timestamp: Math.floor(Date.now() / 1000) - 600 });
	const signed = await flow.callback(result);
	const replayed = await flow.resend(signed.request);
	const rows: Array<Record<string, any>> = [];
	for (const task of tasks) rows.push(await flow.waitForRow(task.taskId, ['Completed', 'Failed']));
	const records = await flow.bitableRecords();
	tasks.forEach((task, index) => {
		const row = rows[index];
		const record = records.find((candidate) => candidate.taskId === task.taskId);
		const detail =
			row.status === 'Failed'
				? `: ${row.error_message}`
				: `, ${JSON.parse(row.result_image_urls || '[]').length} image(s)`;
		say(`  ${task.taskId} (${task.story}): MySQL ${row.status}, Bitable ${record?.status ?? 'missing'}${detail}`);
		if (record?.status !== row.status) complete = false;
	});
	say(
		`  callback with a forged signature: HTTP ${forged.status}; signed 10 minutes ago: HTTP ${stale.status}; ` +
			`signed now: HTTP ${signed.status}; the same request again: HTTP ${replayed.status}`,
	);
	if (forged.status !== 401 || stale.status !== 401 || signed.status !== 200 || replayed.status !== 409)
		complete = false;
}

async function runWpsSync(env: DemoEnvironment, sync: WpsSync): Promise<void> {
	say('WPS contacts (workflows/wps-contacts-sync.json): HR org chart in MySQL -> WPS 365 emulator tenant');
	for (const run of [1, 2]) {
		const answer = await sync.run();
		if (answer.status !== 200) throw new Error(`run ${run} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
		const dump = await sync.dump();
		const depts = dump.depts.filter((dept) => dept.ex_dept_id && dept.dept_id !== env.emulators.wps!.rootDeptId).length;
		const users = dump.users.filter((user) => user.ex_user_id).length;
		const preview = (answer.json as Array<Record<string, unknown>>).find((item) => item.operation === 'preview');
		const outcome = preview
			? `preview planned ${preview.totalOperations} operations, nothing to apply`
			: 'preview within limits, plan applied';
		say(`  run ${run}: ${outcome}; WPS now holds ${depts} HR departments and ${users} HR users`);
	}
	const texts = await sync.botTexts();
	if (texts.length) say(`  Feishu bot report: ${texts[texts.length - 1].split('\n').join(' | ')}`);
}

async function main(): Promise<void> {
	const env = await prepareDemoEnvironment();
	let server: Server | undefined;
	try {
		server = await startServer(env.instance);
		const rest = new RestClient(server.baseUrl);
		await rest.loginAsOwner(DEMO_OWNER);
		say(`n8n-nodes-feishu-wps-sync demo: real n8n at ${server.baseUrl}, ${env.templates.length} templates imported`);
		for (const reason of env.unavailable) {
			complete = false;
			say(`NOT AVAILABLE YET: ${reason}`);
		}
		const scenarios = await setUpDemoScenarios(env, rest, server.baseUrl);
		try {
			say();
			if (scenarios.orderSync.ok) await runOrderSync(env, scenarios.orderSync.value);
			else {
				complete = false;
				say(`MySQL -> Bitable sync: NOT AVAILABLE YET: ${scenarios.orderSync.reason}`);
			}
			say();
			if (scenarios.taskFlow.ok) await runTaskFlow(scenarios.taskFlow.value);
			else {
				complete = false;
				say(`Generation tasks: NOT AVAILABLE YET: ${scenarios.taskFlow.reason}`);
			}
			say();
			if (scenarios.wps.ok) await runWpsSync(env, scenarios.wps.value);
			else {
				complete = false;
				say(`WPS contacts preview and sync: NOT AVAILABLE YET: ${scenarios.wps.reason}`);
			}
		} finally {
			await scenarios.close();
		}
		say();
		say('Open the editor with everything loaded: npm run dev -> http://127.0.0.1:5678');
		say(
			`  sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}; the "demo: ..." workflows are wired to the emulators`,
		);
	} finally {
		await server?.stop();
		await env.stop();
	}
}

main()
	.catch((error) => {
		complete = false;
		say(`demo failed: ${(error as Error).stack ?? String(error)}`);
	})
	.finally(() => {
		process.stdout.write(
			`\n${lines.join('\n')}\n\n${complete ? 'demo: every part ran' : 'demo: INCOMPLETE (see above)'}\n`,
		);
		process.exit(complete ? 0 : 1);
	});
