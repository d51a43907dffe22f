/**
 * The trigger's call economy (lib/bitableTrigger/meta.ts): an idle poll costs one call (the search); the field list
 * and base zone are kept in static data and read again when a record shows a field not seen before, when a search
 * answers FieldNameNotFound, and every N polls.
 */
import { feishuSession } from '../../lib/feishu/session';
import { useBitableTriggerKit } from './bitableTriggerKit';

const APP = { appId: 'cli_trigger_economy', appSecret: 'trigger-economy-secret' };
const APP_TOKEN = 'bascnTriggerEconomy000001';

describe('Feishu Bitable Trigger: calls per poll', () => {
	const kit = useBitableTriggerKit(APP, APP_TOKEN, 8, 'Task:1 Modified:1002');
	const { poll, typeIn } = kit;
	const runner = (options: Record<string, unknown> = {}) => kit.runner({ options });
	const calls = async () => {
		const c = (await kit.emulator.admin.counters()).calls;
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
		await kit.emulator.admin.resetCounters();
		for (let i = 0; i < 10; i++) expect(await poll(r)).toEqual([]);
		expect(await calls()).toEqual({ search: 10, fields: 0, app: 0, bot: 0 });
	});

	it('a record with a field added since the list was cached reads the fields again and normalises its value', async () => {
		const r = runner();
		await poll(r);
		const session = feishuSession({ ...APP, baseUrl: kit.emulator.baseUrl });
		await session.createField(APP_TOKEN, kit.tableId, { field_name: 'Extra', type: 1 });
		await kit.emulator.admin.resetCounters();
		const [a] = await typeIn([{ Task: 'a', Extra: 'hello' }]);
		const items = await poll(r);
		expect(items).toEqual([expect.objectContaining({ record_id: a, event: 'created' })]);
		// text read as segments becomes plain text only with the field's type known
		expect(items[0].fields.Extra).toBe('hello');
		expect((await calls()).fields).toBe(1);
		await kit.emulator.admin.resetCounters();
		await poll(r);
		expect((await calls()).fields).toBe(0);
	});

	it('reads the fields again every N polls', async () => {
		const r = runner({ metaEveryPolls: 3 });
		await poll(r);
		await kit.emulator.admin.resetCounters();
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
		await kit.emulator.admin.resetCounters();
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
		const other = await kit.emulator.admin.createTable({
			appToken: APP_TOKEN,
			name: `Other ${Math.random()}`,
			fields: [
				{ field_name: 'Task', type: 1 },
				{ field_name: 'Changed', type: 1002 },
			],
		});
		const moved = kit.runner({ modifiedField: 'Changed' }, other);
		moved.staticData = r.staticData;
		await kit.emulator.admin.resetCounters();
		expect(await poll(moved)).toEqual([]);
		expect((await calls()).fields).toBe(1);
	});
});
