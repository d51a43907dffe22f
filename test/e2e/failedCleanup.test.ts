/**
 * workflows/failed-tasks-cleanup.json on the real n8n server (a test copy started by a webhook): Failed task records
 * older than olderThanDays leave the Bitable table in the Feishu emulator, newer ones and other statuses stay; above
 * maxDeletes the run fails and nothing is deleted.
 */
import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { bitableLink } from './scenarios/context';
import { deploy, loadTemplate, templateExists, testCopy, trigger } from './workflowCopies';
import { loadSuite, type Suite } from './suite';

const TEMPLATE = 'failed-tasks-cleanup.json';
const DAY = 86_400_000;

let suite: Suite;

(templateExists(TEMPLATE) ? describe : describe.skip)(`${TEMPLATE} (test copy started by a webhook)`, () => {
	beforeAll(async () => {
		suite = await loadSuite();
	});

	async function setUp(name: string, maxDeletes: number) {
		const feishu = suite.emulators.feishu!;
		const admin = new FeishuAdmin(feishu.baseUrl);
		const tableId = `tblE2eCleanup${name}`;
		await admin.createTable({
			appToken: feishu.appToken,
			tableId,
			name: `Cleanup ${name}`,
			primaryField: 'taskId',
			fields: [
				{ field_name: 'taskId', type: 1 },
				{
					field_name: 'status',
					type: 3,
					property: { options: ['Pending', 'Processing', 'Completed', 'Failed'].map((option) => ({ name: option })) },
				},
				{ field_name: 'statusAt', type: 5 },
			],
		});
		const now = Date.now();
		const records = (
			[
				// taskId, status, days since statusAt
				['old-failed', 'Failed', 45],
				['old-failed-2', 'Failed', 31],
				['new-failed', 'Failed', 3],
				['old-completed', 'Completed', 90],
			] as const
		).map(([taskId, status, days]) => ({ fields: { taskId, status, statusAt: now - days * DAY } }));
		await admin.seedRecords({ appToken: feishu.appToken, tableId, records });
		const path = `e2e-failed-cleanup-${name.toLowerCase()}`;
		await deploy(
			suite.rest,
			testCopy(loadTemplate(TEMPLATE), {
				name: `e2e: failed tasks cleanup (${name})`,
				webhookPath: path,
				credentials: suite.credentials,
				config: {
					Config: {
						bitableUrl: bitableLink(feishu.appToken, tableId),
						olderThanDays: 30,
						maxDeletes,
					},
				},
			}),
		);
		const left = async () =>
			(await admin.dumpTable(feishu.appToken, tableId)).records.map((r) => String(r.plain.taskId)).sort();
		return { run: () => trigger(suite.instance.baseUrl, path), left };
	}

	it('deletes Failed records older than 30 days; newer ones and other statuses stay', async () => {
		const cleanup = await setUp('Ok', 200);
		const response = await cleanup.run();
		expect(response.status).toBe(200);
		expect(await cleanup.left()).toEqual(['new-failed', 'old-completed']);
	});

	it('above maxDeletes the run fails and deletes nothing', async () => {
		const cleanup = await setUp('Limit', 1);
		const response = await cleanup.run();
		expect(response.status).toBeGreaterThanOrEqual(500);
		expect(await cleanup.left()).toEqual(['new-failed', 'old-completed', 'old-failed', 'old-failed-2']);
	});
});
