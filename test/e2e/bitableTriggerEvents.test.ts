/**
 * The Feishu Bitable Trigger in Events mode on the real n8n server, against the emulator's long connection (the
 * SDK's WSClient unchanged, through the credential's base URL): activation subscribes the base and connects; a
 * record typed in Feishu starts one execution; the connection is dropped and refused for a while, a record typed
 * meanwhile arrives through the catch-up poll after the reconnect; nothing is emitted twice; deactivation
 * unsubscribes. Each execution writes the emitted record ids into a Log table, which the test reads.
 */
import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { bitableById } from '../harness/locators';
import { PACKAGE_NAME } from './realN8n';
import { loadSuite, requireCredentials, type Suite } from './suite';
import { deploy, executionsOf, type Workflow, type WorkflowNode } from './workflowCopies';

const HUMAN = 'ou_e2e_events_typist';
const WAIT_MS = 60_000;
/** Every property the trigger's items carry (record create with automatic mapping writes them all). */
const LOG_FIELDS = ['record_id', 'event', 'fields', 'modified_time_iso', 'modified_by', 'changed_fields']
	.map((field_name) => ({ field_name, type: 1 }))
	.concat([
		{ field_name: 'modified_time', type: 2 },
		{ field_name: 'created_time', type: 2 },
	]);

let suite: Suite;
let admin: FeishuAdmin;
let workflowId: string | undefined;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (true) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) {
			// what n8n and the emulator saw, to tell a missing event from a failed execution
			const runs = workflowId ? (await executionsOf(suite.rest, workflowId, 5)).map((e) => `${e.id}:${e.status}`) : [];
			const { calls } = await admin.counters();
			throw new Error(
				`timed out waiting for ${what}; executions ${JSON.stringify(runs)}; emulator calls ${JSON.stringify(calls)}; long connection ${JSON.stringify((await admin.longConnections()).pushed.slice(-3))}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe('Feishu Bitable Trigger, events mode, in n8n', () => {
	let appToken: string, appId: string, tasks: string, log: string;

	beforeAll(async () => {
		suite = await loadSuite();
		requireCredentials(suite, ['feishuAppApi']);
		const feishu = suite.emulators.feishu!;
		({ appToken, appId } = feishu);
		admin = new FeishuAdmin(feishu.baseUrl);
		await admin.addUser({ open_id: HUMAN, name: 'E2E Events Typist' });
		tasks = await admin.createTable({
			appToken,
			name: `e2e events ${Date.now()}`,
			fields: [
				{ field_name: 'Task', type: 1 },
				{ field_name: 'Modified', type: 1002 },
			],
		});
		log = await admin.createTable({ appToken, name: `e2e events log ${Date.now()}`, fields: LOG_FIELDS });
		// Record Changed -> Log, both on our Feishu app credential
		const node = (name: string, type: string, x: number, parameters: Record<string, unknown>): WorkflowNode => ({
			name,
			type: `${PACKAGE_NAME}.${type}`,
			typeVersion: 1,
			position: [x, 0],
			credentials: { feishuAppApi: suite.credentials.feishuAppApi },
			parameters,
		});
		const workflow: Workflow = {
			name: 'e2e: Bitable Trigger events',
			nodes: [
				node('Record Changed', 'feishuBitableTrigger', 0, {
					mode: 'events',
					...bitableById(appToken, tasks),
					events: 'both',
					modifiedField: 'Modified',
				}),
				node('Log', 'feishuBitable', 300, {
					resource: 'record',
					operation: 'create',
					...bitableById(appToken, log),
					mappingMode: 'auto',
				}),
			],
			connections: { 'Record Changed': { main: [[{ node: 'Log', type: 'main', index: 0 }]] } },
		};
		workflowId = await deploy(suite.rest, workflow);
	});

	afterAll(async () => {
		if (workflowId)
			await suite.rest.request('POST', `/rest/workflows/${workflowId}/deactivate`, {}, { allowError: true });
		await admin?.setLongConnection({ refuse: false });
	});

	const logged = async () =>
		(await admin.dumpTable(appToken, log)).records.map((r) => `${r.plain.record_id}:${r.plain.event}`);
	const typeIn = async (task: string) =>
		(await admin.seedRecords({ appToken, tableId: tasks, records: [{ fields: { Task: task }, asUser: HUMAN }] }))[0];

	it('connects, emits per event, catches up after a dropped connection, each change once, and unsubscribes when deactivated', async () => {
		await until('the subscription and the connection', async () => {
			const status = await admin.longConnections();
			return (
				(await admin.subscriptions()).includes(`${appId}|${appToken}`) &&
				status.connections.some((c) => c.appId === appId)
			);
		});
		// the first catch-up poll after connecting only remembers where the table is
		await until('the first catch-up', async () => ((await admin.counters()).calls['bitable.records.search'] ?? 0) > 0);

		const a = await typeIn('typed while connected');
		await until('the execution for the first record', async () => (await logged()).includes(`${a}:created`));

		const connectsBefore = (await admin.longConnections()).connects[appId] ?? 0;
		await admin.setLongConnection({ refuse: true });
		expect(await admin.dropLongConnections(appId)).toBeGreaterThan(0);
		const b = await typeIn('typed while disconnected');
		await admin.setLongConnection({ refuse: false });
		await until('the catch-up after the reconnect', async () => (await logged()).includes(`${b}:created`));
		expect((await admin.longConnections()).connects[appId]).toBeGreaterThan(connectsBefore);

		await admin.editRecord({
			appToken,
			tableId: tasks,
			recordId: a,
			fields: { Task: 'edited after the reconnect' },
			asUser: HUMAN,
			modifiedTime: Date.now() + 1000,
		});
		await until('the edit', async () => (await logged()).includes(`${a}:updated`));
		expect((await logged()).sort()).toEqual([`${a}:created`, `${a}:updated`, `${b}:created`].sort());

		await suite.rest.request('POST', `/rest/workflows/${workflowId}/deactivate`, {});
		workflowId = undefined;
		await until('the unsubscription', async () => !(await admin.subscriptions()).includes(`${appId}|${appToken}`));
	});
});
