/**
 * The WPS 365 contacts template on the real n8n server: the HR org chart in MariaDB is previewed and applied to
 * the WPS emulator's tenant, the Feishu bot reports it, and a second run changes nothing.
 * Asserts the WPS tenant's departments and users and the bot's messages.
 */
import * as mysql from 'mysql2/promise';

import { adminConnectionOptions } from '../harness/mysql';
import { setUpWpsSync, wpsTemplateMissing, WPS_TEMPLATE, type WpsSync } from './scenarios/wpsSync';
import { loadSuite, type Suite } from './suite';

let suite: Suite;
let db: mysql.Connection;
let sync: WpsSync;

const managed = (dump: Awaited<ReturnType<WpsSync['dump']>>) => ({
	depts: dump.depts.filter((dept) => dept.ex_dept_id && dept.dept_id !== suite.emulators.wps!.rootDeptId).map((dept) => [dept.ex_dept_id, dept.name]).sort(),
	users: dump.users.filter((user) => user.ex_user_id).map((user) => [user.ex_user_id, user.user_name, user.status]).sort(),
});

if (wpsTemplateMissing()) it.skip(`${WPS_TEMPLATE} is not in workflows/ yet`, () => undefined);
else
	describe(`${WPS_TEMPLATE} (test copy started by a webhook)`, () => {
		beforeAll(async () => {
			suite = await loadSuite();
			for (const type of ['mySqlApi', 'wps365Api', 'feishuBotWebhookApi'])
				if (!suite.credentials[type]) throw new Error(`${type} is not available: ${suite.credentialsUnavailable[type] ?? 'not in package.json'}`);
			db = await mysql.createConnection({ ...adminConnectionOptions(), database: suite.mysql.database });
			sync = await setUpWpsSync({
				rest: suite.rest,
				n8nBaseUrl: suite.instance.baseUrl,
				db,
				feishu: suite.emulators.feishu!,
				wps: suite.emulators.wps!,
				credentials: suite.credentials,
				prefix: 'e2e',
			});
		});

		afterAll(async () => {
			await db?.end();
		});

		it('creates the HR departments and users in WPS and reports it through the Feishu bot', async () => {
			const answer = await sync.run();
			expect(answer.status).toBe(200);
			const { depts, users } = managed(await sync.dump());
			expect(depts.map(([id]) => id)).toEqual(sync.hr.departments.map((dept) => dept.exId).sort());
			expect(users.map(([id, , status]) => [id, status])).toEqual(sync.hr.users.map((user) => [user.exId, 'active']).sort());
			const texts = await sync.botTexts();
			expect(texts).toHaveLength(1);
			expect(texts[0]).toMatch(/WPS contacts sync 通讯录同步: done/);
		});

		it('reports the planned and done counts in the bot summary (no undefined/NaN)', async () => {
			const texts = await sync.botTexts();
			expect(texts[0]).toMatch(/Done 完成: (\d+) \/ \1 /); // every planned operation done
			expect(texts[0]).not.toMatch(/undefined|NaN/);
		});

		it('changes nothing on a second run: the preview plans 0 operations and the run stops there', async () => {
			const before = managed(await sync.dump());
			const answer = await sync.run();
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual([expect.objectContaining({ operation: 'preview', totalOperations: 0, withinLimits: true })]);
			expect(managed(await sync.dump())).toEqual(before);
			expect(await sync.botTexts()).toHaveLength(1);
		});
	});
