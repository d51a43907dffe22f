/**
 * Events mode of the Feishu Bitable Trigger (lib/bitableTrigger/events.ts) against the emulator's long connection,
 * through n8n's TriggerContext: the base is subscribed on activation and unsubscribed on deactivation; a change
 * event starts one catch-up poll; idle costs no call; a change made while the connection was down is emitted after
 * the reconnect; every change is emitted once.
 */
import { TriggerContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, ITriggerResponse } from 'n8n-workflow';
import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { type WorkflowRunner, harnessAdditionalData } from '../harness';
import { HUMAN, useBitableTriggerKit } from './bitableTriggerKit';
import { fieldsOf } from './feishuBitableKit';

// the SDK's long connection accepts only real-looking app ids (cli_ + 16 hex digits)
const APP = { appId: 'cli_a1b2c3d4e5f6a0e1', appSecret: 'trigger-events-secret' };
const APP_TOKEN = 'bascnTriggerEvents0000001';

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('Feishu Bitable Trigger: events mode', () => {
	const kit = useBitableTriggerKit(APP, APP_TOKEN, 9, 'Task:1 Modified:1002');
	let otherTable: string;
	let active: ITriggerResponse | undefined;
	afterEach(async () => {
		await active?.closeFunction?.();
		active = undefined;
		await kit.emulator.admin.setLongConnection({ refuse: false });
	});
	beforeEach(async () => {
		otherTable = await kit.emulator.admin.createTable({
			appToken: APP_TOKEN,
			name: `Other ${Math.random()}`,
			fields: fieldsOf('Task:1 Modified:1002'),
		});
	});

	/** Activates the trigger as n8n does for an active workflow; returns what it emits. */
	async function activate(
		parameters: Record<string, unknown> = {},
		existing?: WorkflowRunner,
		credentials = kit.credentials,
	) {
		const runner = existing ?? kit.runner({ mode: 'events', ...parameters });
		const workflow = runner.newWorkflow();
		const node = workflow.getNode('Trigger')!;
		const emitted: IDataObject[] = [];
		const emit = (data: INodeExecutionData[][]) => {
			for (const item of data[0]) emitted.push(item.json);
		};
		const context = new TriggerContext(
			workflow,
			node,
			harnessAdditionalData(credentials, runner.id),
			'trigger',
			'activate',
			emit,
		);
		active = await new FeishuBitableTrigger().trigger.call(context);
		return { emitted, workflow, runner };
	}
	const typeIn = (table: string, tasks: string[]) =>
		kit.typeIn(
			tasks.map((Task) => ({ Task })),
			{ tableId: table },
		);
	const searches = async () => (await kit.emulator.admin.counters()).calls['bitable.records.search'] ?? 0;
	const connected = async () => (await kit.emulator.admin.longConnections()).connections.length === 1;

	it('subscribes on activation, emits a created record once per event, costs nothing idle, unsubscribes on deactivation', async () => {
		const { emitted } = await activate();
		expect(await kit.emulator.admin.subscriptions()).toEqual([`${APP.appId}|${APP_TOKEN}`]);
		await until(connected, 'the connection');
		// the first catch-up only remembers where the table is
		await until(async () => (await searches()) >= 1, 'the first catch-up poll');

		const [a] = await typeIn(kit.tableId, ['a']);
		await until(() => emitted.length === 1, 'the created record');
		expect(emitted[0]).toMatchObject({ record_id: a, event: 'created' });

		// a change in another table of the base arrives and is acknowledged, but costs no call
		await kit.emulator.admin.resetCounters();
		await typeIn(otherTable, ['elsewhere']);
		await until(
			async () => (await kit.emulator.admin.longConnections()).pushed.every((p) => p.acked),
			'the acknowledgement',
		);
		expect(await searches()).toBe(0);
		expect(emitted).toHaveLength(1);

		await active!.closeFunction!();
		active = undefined;
		expect(await kit.emulator.admin.subscriptions()).toEqual([]);
		await until(async () => !(await connected()), 'the connection to close');
	});

	it('a change made while the connection was down is emitted after the reconnect, and nothing twice', async () => {
		const connects = async () => (await kit.emulator.admin.longConnections()).connects[APP.appId] ?? 0;
		const before0 = await connects();
		const { emitted } = await activate();
		await until(connected, 'the connection');
		await until(async () => (await searches()) >= 1, 'the first catch-up poll');
		const [a] = await typeIn(kit.tableId, ['a']);
		await until(() => emitted.length === 1, 'the first record');

		// the network goes away: the reconnects are refused until it is back
		await kit.emulator.admin.setLongConnection({ refuse: true });
		expect(await kit.emulator.admin.dropLongConnections()).toBe(1);
		const [b] = await typeIn(kit.tableId, ['b while down']);
		expect((await kit.emulator.admin.longConnections()).pushed.filter((p) => p.tableId === kit.tableId)).toHaveLength(
			1,
		);
		await kit.emulator.admin.setLongConnection({ refuse: false });
		await until(() => emitted.length === 2, 'the catch-up after the reconnect');
		expect(emitted.map((e) => e.record_id)).toEqual([a, b]);
		expect((await connects()) - before0).toBe(2);

		// an edit after the reconnect arrives by event; a and b are not emitted again
		await kit.emulator.admin.editRecord({
			appToken: APP_TOKEN,
			tableId: kit.tableId,
			recordId: b,
			fields: { Task: 'b edited' },
			asUser: HUMAN,
			modifiedTime: Date.now() + 1000,
		});
		await until(() => emitted.length === 3, 'the edit');
		expect(emitted[2]).toMatchObject({ record_id: b, event: 'updated' });
		// counted before the drop: the reconnect's catch-up poll may be done by the time the reconnect is seen
		const before = await searches();
		await kit.emulator.admin.dropLongConnections();
		await until(async () => (await connects()) - before0 === 3 && (await connected()), 'the second reconnect');
		await until(async () => (await searches()) > before, 'the catch-up poll');
		expect(emitted).toHaveLength(3);
	});

	it('a second start of the same node while the first is live (as n8n 2.40 does on activation) still emits each change once', async () => {
		const first = await activate();
		const firstResponse = active!;
		await until(connected, 'the connection');
		await until(async () => (await searches()) >= 1, "the first start's catch-up");
		const second = await activate({}, first.runner);
		await until(async () => (await searches()) >= 2, "the second start's catch-up");
		const [a] = await typeIn(kit.tableId, ['typed after both starts']);
		// the event is acknowledged once every catch-up it started has run
		await until(
			async () =>
				(await kit.emulator.admin.longConnections()).pushed
					.filter((p) => p.tableId === kit.tableId)
					.every((p) => p.acked),
			'the acknowledgement',
		);
		expect([...first.emitted, ...second.emitted].map((e) => e.record_id)).toEqual([a]);
		// each close releases its share of the subscription: the base stays subscribed until the last one
		await firstResponse.closeFunction!();
		expect(await kit.emulator.admin.subscriptions()).toEqual([`${APP.appId}|${APP_TOKEN}`]);
	});

	it('refuses an App ID the long connection cannot use, and leaves no subscription behind', async () => {
		const bad = { appId: 'cli_not_hex_app', appSecret: 'x' };
		await kit.emulator.admin.createApp(bad);
		await kit.emulator.admin.setBaseApps?.(APP_TOKEN, [APP.appId, bad.appId]);
		const credentials = { feishuAppApi: { ...kit.credentials.feishuAppApi, ...bad } };
		await expect(activate({}, undefined, credentials)).rejects.toThrow(/cli_ followed by 16 hex digits/);
		expect(await kit.emulator.admin.subscriptions()).toEqual([]);
	});
});
