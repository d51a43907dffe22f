/**
 * workflows/failed-tasks-cleanup.json through the harness against the Feishu emulator: Failed task records older than
 * `olderThanDays` are deleted, newer or other-status ones stay; above `maxDeletes` nothing is deleted and the run fails.
 */
import { configure, loadTemplate } from '../templates/templates';
import { scheduledTemplateRunner } from './scheduledTemplate';
import { APP_TOKEN, nodeTypes, useKit } from './feishuBitableKit';

const kit = useKit();
const DAY = 86_400_000;
const FIELDS = [
	{ field_name: 'taskId', type: 1 },
	{
		field_name: 'status',
		type: 3,
		property: { options: ['Pending', 'Processing', 'Completed', 'Failed'].map((name) => ({ name })) },
	},
	{ field_name: 'statusAt', type: 5 },
];

async function table(): Promise<string> {
	const tableId = await kit.newTable(FIELDS);
	const now = Date.now();
	await kit.emu.admin.seedRecords({
		appToken: APP_TOKEN,
		tableId,
		records: [
			{ fields: { taskId: 'old-failed-1', status: 'Failed', statusAt: now - 40 * DAY } },
			{ fields: { taskId: 'old-failed-2', status: 'Failed', statusAt: now - 35 * DAY } },
			{ fields: { taskId: 'new-failed', status: 'Failed', statusAt: now - 10 * DAY } },
			{ fields: { taskId: 'old-completed', status: 'Completed', statusAt: now - 40 * DAY } },
		],
	});
	return tableId;
}

/** One nightly run of the template on `tableId`: Failed records older than 30 days, at most `maxDeletes` of them. */
const cleanup = (tableId: string, maxDeletes: number) =>
	scheduledTemplateRunner(
		nodeTypes,
		configure(loadTemplate('failed-tasks-cleanup.json'), {
			bitableUrl: `https://acme.feishu.cn/base/${APP_TOKEN}?table=${tableId}`,
			olderThanDays: 30,
			maxDeletes,
		}),
	).run({ credentials: kit.credentials });

const taskIds = async (tableId: string) => (await kit.dump(tableId)).map((d) => String(d.plain.taskId)).sort();

it('deletes Failed records older than olderThanDays, keeps newer ones and other statuses', async () => {
	const tableId = await table();
	const r = await cleanup(tableId, 200);
	expect(r.error).toBeUndefined();
	expect(r.json('Delete Task Record')).toHaveLength(2);
	expect(await taskIds(tableId)).toEqual(['new-failed', 'old-completed']);
});

it('more matches than maxDeletes: nothing is deleted and the run fails, saying why', async () => {
	const tableId = await table();
	const r = await cleanup(tableId, 1);
	expect(r.error?.message).toMatch(
		/Cleanup stopped before deleting anything: 2 Failed tasks are older than 30 days, more than maxDeletes \(1\)/,
	);
	expect(await taskIds(tableId)).toEqual(['new-failed', 'old-completed', 'old-failed-1', 'old-failed-2']);
});
