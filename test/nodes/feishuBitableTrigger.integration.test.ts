import { feishuSession } from '../../lib/feishu/session';
import { HUMAN, useBitableTriggerKit } from './bitableTriggerKit';

const APP = { appId: 'cli_trigger_test', appSecret: 'trigger-secret' };
const APP_TOKEN = 'bascnTriggerBase000000001';

describe('Feishu Bitable Trigger', () => {
	const kit = useBitableTriggerKit(APP, APP_TOKEN, 7, 'Task:1 Prompt:1 Status:3 Source:3 Modified:1002');
	const { runner, poll } = kit;
	const typeIn = (records: Array<Record<string, unknown>>, modifiedTime?: number) =>
		kit.typeIn(records, { modifiedTime });
	const edit = (recordId: string, fields: Record<string, unknown>) =>
		kit.emulator.admin.editRecord({ appToken: APP_TOKEN, tableId: kit.tableId, recordId, fields, asUser: HUMAN });

	it('emits nothing on the first poll, then each created record once, interleaved with polls', async () => {
		const r = runner();
		await typeIn([{ Task: 'old' }]);
		expect(await poll(r)).toEqual([]);
		const [a] = await typeIn([{ Task: 'a', Prompt: 'cat' }]);
		const first = await poll(r);
		expect(first).toEqual([
			expect.objectContaining({
				record_id: a,
				event: 'created',
				fields: expect.objectContaining({ Task: 'a', Prompt: 'cat' }),
			}),
		]);
		expect(await poll(r)).toEqual([]);
		const [b] = await typeIn([{ Task: 'b' }]);
		await edit(a, { Prompt: 'dog' });
		const second = await poll(r);
		expect(second.map((i) => [i.record_id, i.event]).sort()).toEqual(
			[
				[a, 'updated'],
				[b, 'created'],
			].sort(),
		);
		expect(await poll(r)).toEqual([]);
	});

	it('emits 600 records sharing one modified time (more than a page) exactly once across polls', async () => {
		const r = runner({ events: 'created' });
		expect(await poll(r)).toEqual([]);
		const at = (await kit.emulator.admin.now()) + 1000;
		const ids = await typeIn(
			Array.from({ length: 600 }, (_, i) => ({ Task: `t${i}` })),
			at,
		);
		const emitted = await poll(r);
		expect(emitted.map((i) => i.record_id).sort()).toEqual([...ids].sort());
		expect(await poll(r)).toEqual([]);
		const [late] = await typeIn([{ Task: 'late' }], at);
		expect((await poll(r)).map((i) => i.record_id)).toEqual([late]);
	});

	it('skips updates to unwatched fields and says which watched fields changed', async () => {
		const r = runner({ events: 'updated', watchFields: ['Prompt'] });
		const [a] = await typeIn([{ Task: 'a', Prompt: 'cat', Status: 'Pending' }]);
		expect(await poll(r)).toEqual([]);
		await edit(a, { Status: 'Processing' });
		expect(await poll(r)).toEqual([]);
		await edit(a, { Prompt: 'a red cat' });
		expect(await poll(r)).toEqual([
			expect.objectContaining({ record_id: a, event: 'updated', changed_fields: ['Prompt'] }),
		]);
	});

	it("does not emit the app's own writes, and survives deleted records", async () => {
		const r = runner();
		const [a, gone] = await typeIn([{ Task: 'a' }, { Task: 'gone' }]);
		expect(await poll(r)).toEqual([]);
		const session = feishuSession({ ...APP, baseUrl: kit.emulator.baseUrl });
		await session.updateRecord(APP_TOKEN, kit.tableId, a, { Status: 'Processing' });
		await kit.emulator.admin.deleteRecords({ appToken: APP_TOKEN, tableId: kit.tableId, recordIds: [gone] });
		expect(await poll(r)).toEqual([]);
		await edit(a, { Prompt: 'human edit' });
		expect((await poll(r)).map((i) => i.record_id)).toEqual([a]);

		const withEchoes = runner({ options: { ignoreOwnEdits: false } });
		expect(await poll(withEchoes)).toEqual([]);
		await session.updateRecord(APP_TOKEN, kit.tableId, a, { Status: 'Completed' });
		expect((await poll(withEchoes)).map((i) => i.record_id)).toEqual([a]);
		expect(await poll(r)).toEqual([]);
	});

	it('applies the filter (status is Pending and source is Feishu)', async () => {
		const r = runner({
			events: 'created',
			conditions: {
				condition: [
					{ field: 'Status', operator: 'is', value: 'Pending' },
					{ field: 'Source', operator: 'is', value: 'Feishu' },
				],
			},
		});
		expect(await poll(r)).toEqual([]);
		const [mine] = await typeIn([
			{ Task: 'mine', Status: 'Pending', Source: 'Feishu' },
			{ Task: 'web', Status: 'Pending', Source: 'Frontend' },
			{ Task: 'done', Status: 'Completed', Source: 'Feishu' },
		]);
		expect((await poll(r)).map((i) => i.record_id)).toEqual([mine]);
	});

	it('emits existing records on the first poll when asked, and fetches the newest for a test event', async () => {
		const ids = await typeIn([{ Task: 'x' }, { Task: 'y' }]);
		const r = runner({ events: 'created', options: { emitExisting: true } });
		expect((await poll(r)).map((i) => i.record_id).sort()).toEqual([...ids].sort());
		const [newest] = await typeIn([{ Task: 'newest' }], (await kit.emulator.admin.now()) + 5000);
		const test = await poll(runner(), 'manual');
		expect(test).toEqual([expect.objectContaining({ record_id: newest, event: 'test' })]);
	});

	it('explains what to do when the table has no modified-time field', async () => {
		const r = runner({ modifiedField: 'Task' });
		await expect(poll(r)).rejects.toThrow('"Task" is not a "Modified time" field');
	});
	it('emits each change once when search lags writes (emulator search-lag mode, docs/feishu-api.md)', async () => {
		const r = runner();
		await typeIn([{ Task: 'old' }]);
		expect(await poll(r)).toEqual([]);
		await kit.emulator.admin.setSearchBehaviour({ searchLagMs: 20_000 });
		try {
			const [a] = await typeIn([{ Task: 'late' }]);
			expect(await poll(r)).toEqual([]); // not in the search index yet
			await kit.emulator.admin.advanceClock(20_001);
			expect(await poll(r)).toEqual([expect.objectContaining({ record_id: a, event: 'created' })]);
			expect(await poll(r)).toEqual([]);
			await edit(a, { Prompt: 'edited' });
			expect(await poll(r)).toEqual([]);
			await kit.emulator.admin.advanceClock(20_001);
			expect(await poll(r)).toEqual([expect.objectContaining({ record_id: a, event: 'updated' })]);
			expect(await poll(r)).toEqual([]);
		} finally {
			await kit.emulator.admin.setSearchBehaviour({});
		}
	});
});
