/**
 * The trigger's call economy (lib/bitableTrigger/meta.ts): an idle poll costs one call (the search); the field list
 * and base zone are kept in static data and read again when a record shows a field not seen before, when a search
 * answers FieldNameNotFound, and every N polls.
 */
import { FeishuBitableTrigger } from '../../nodes/FeishuBitableTrigger/FeishuBitableTrigger.node';
import { feishuSession } from '../../lib/feishu/session';
import { HarnessNodeTypes, WorkflowRunner, pollOnce } from '../harness';
import { startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu';
import { bitableTriggerRunner } from './bitableTriggerRunner';

const APP = { appId: 'cli_trigger_economy', appSecret: 'trigger-economy-secret' };
const APP_TOKEN = 'bascnTriggerEconomy000001';
const HUMAN = 'ou_feishu_user';

describe('Feishu Bitable Trigger: calls per poll', () => {
	let emulator: FeishuEmulator;
	let tableId: string;
	const nodeTypes = new HarnessNodeTypes();
	const type = nodeTypes.register(FeishuBitableTrigger);
	let credentials: Record<string, object>;

	beforeAll(async () => {
		emulator = await startFeishuEmulator({ seed: 8, rateLimits: 'off' });
		await emulator.admin.createApp(APP);
		await emulator.admin.addUser({ open_id: HUMAN, name: 'Feishu User' });
		await emulator.admin.createBase({ appToken: APP_TOKEN, apps: [APP.appId] });
		credentials = { feishuAppApi: { ...APP, region: 'custom', baseUrl: emulator.baseUrl, timeZone: 'Asia/Shanghai' } };
	});
	afterAll(() => emulator.close());

	beforeEach(async () => {
		tableId = await emulator.admin.createTable({
			appToken: APP_TOKEN,
			name: `Tasks ${Math.random()}`,
			fields: [
				{ field_name: 'Task', type: 1 },
				{ field_name: 'Modified', type: 1002 },
			],
		});
	});

	const runner = (options: Record<string, unknown> = {}) =>
		bitableTriggerRunner(nodeTypes, type, APP_TOKEN, tableId, { options });
	const poll = async (r: WorkflowRunner) =>
		((await pollOnce(r, 'Trigger', { credentials })) ?? []).map((i) => i.json as Record<string, any>);
	const typeIn = (records: Array<Record<string, unknown>>) =>
		emulator.admin.seedRecords({
			appToken: APP_TOKEN,
			tableId,
			records: records.map((fields) => ({ fields, asUser: HUMAN })),
		});
	const calls = async () => {
		const c = (await emulator.admin.counters()).calls;
		return {
			search: c['bitable.records.search'] ?? 0,
			fields: c['bitable.fields.list'] ?? 0,
			app: c['bitable.apps.get'] ?? 0,
			bot: c['bot.info'] ?? 0,
		};
	};

	it('an idle poll costs one call: the search', async () => {
		const r = runner();
		await poll(r);
		await emulator.admin.resetCounters();
		for (let i = 0; i < 10; i++) expect(await poll(r)).toEqual([]);
		expect(await calls()).toEqual({ search: 10, fields: 0, app: 0, bot: 0 });
	});

	it('a record with a field added since the list was cached reads the fields again and normalises its value', async () => {
		const r = runner();
		await poll(r);
		const session = feishuSession({ ...APP, baseUrl: emulator.baseUrl });
		await session.createField(APP_TOKEN, tableId, { field_name: 'Extra', type: 1 });
		await emulator.admin.resetCounters();
		const [a] = await typeIn([{ Task: 'a', Extra: 'hello' }]);
		const items = await poll(r);
		expect(items).toEqual([expect.objectContaining({ record_id: a, event: 'created' })]);
		// text read as segments becomes plain text only with the field's type known
		expect(items[0].fields.Extra).toBe('hello');
		expect((await calls()).fields).toBe(1);
		await emulator.admin.resetCounters();
		await poll(r);
		expect((await calls()).fields).toBe(0);
	});

	it('reads the fields again every N polls', async () => {
		const r = runner({ metaEveryPolls: 3 });
		await poll(r);
		await emulator.admin.resetCounters();
		for (let i = 0; i < 7; i++) await poll(r);
		// and "every 1 poll" is today's behaviour: the list read on every poll
		// read by poll 1, served to polls 2 and 3, read again by polls 4 and 7
		expect((await calls()).fields).toBe(2);
		expect((await calls()).search).toBe(7);
	});

	it('skips polls once the app reached its Monthly Call Budget, and catches up nothing-lost when the budget allows', async () => {
		const r = runner({ monthlyCallBudget: 1 });
		// the budget counts this process's calls for the app this month: earlier tests already spent more than 1
		await typeIn([{ Task: 'made while over budget' }]);
		await emulator.admin.resetCounters();
		expect(await poll(r)).toEqual([]);
		expect((await calls()).search).toBe(0);
		// raised: the skipped polls left the cursor alone, so the first poll under budget sees the record
		const raised = runner({ monthlyCallBudget: 1_000_000, emitExisting: true });
		raised.staticData = r.staticData;
		expect((await poll(raised)).map((i) => i.fields.Task)).toEqual(['made while over budget']);
	});

	it('another table or modified field is never served from the cached list', async () => {
		const r = runner();
		await poll(r);
		const other = await emulator.admin.createTable({
			appToken: APP_TOKEN,
			name: `Other ${Math.random()}`,
			fields: [
				{ field_name: 'Task', type: 1 },
				{ field_name: 'Changed', type: 1002 },
			],
		});
		const moved = bitableTriggerRunner(nodeTypes, type, APP_TOKEN, other, { modifiedField: 'Changed' });
		moved.staticData = r.staticData;
		await emulator.admin.resetCounters();
		expect(await poll(moved)).toEqual([]);
		expect((await calls()).fields).toBe(1);
	});
});
