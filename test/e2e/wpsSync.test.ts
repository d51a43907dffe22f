/**
 * The WPS 365 contacts template on the real n8n server: the HR org chart in MariaDB is previewed and applied to
 * the WPS emulator's tenant, the Feishu bot reports it, and a second run changes nothing.
 * Asserts the WPS tenant's departments and users and the bot's messages.
 */
import type * as mysql from 'mysql2/promise';

import { setUpWpsSync, wpsTemplateMissing, WPS_TEMPLATE, type WpsSync } from './scenarios/wpsSync';
import { connectDatabase, loadSuite, requireCredentials, scenarioContext, type Suite } from './suite';

let suite: Suite;
let db: mysql.Connection;
let sync: WpsSync;

const managed = (dump: Awaited<ReturnType<WpsSync['dump']>>) => ({
	depts: dump.depts
		.filter((dept) => dept.ex_dept_id && dept.dept_id !== suite.emulators.wps!.rootDeptId)
		.map((dept) => [dept.ex_dept_id, dept.name])
		.sort(),
	users: dump.users
		.filter((user) => user.ex_user_id)
		.map((user) => [user.ex_user_id, user.user_name, user.status])
		.sort(),
});

if (wpsTemplateMissing()) it.skip(`${WPS_TEMPLATE} is not in workflows/ yet`, () => undefined);
else
	describe(`${WPS_TEMPLATE} (test copy started by a webhook)`, () => {
		beforeAll(async () => {
			suite = await loadSuite();
			requireCredentials(suite, ['mySqlApi', 'wps365Api', 'feishuBotWebhookApi']);
			db = await connectDatabase(suite);
			sync = await setUpWpsSync({ ...scenarioContext(suite, db, 'e2e'), wps: suite.emulators.wps! });
		});

		afterAll(async () => {
			await db?.end();
		});

		it('creates the HR departments and users in WPS and reports it through the Feishu bot', async () => {
			const answer = await sync.run();
			expect(answer.status).toBe(200);
			const { depts, users } = managed(await sync.dump());
			expect(depts.map(([id]) => id)).toEqual(sync.hr.departments.map((dept) => dept.exId).sort());
			expect(users.map(([id, , status]) => [id, status])).toEqual(
				sync.hr.users.map((user) => [user.exId, 'active']).sort(),
			);
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
			expect(answer.json).toEqual([
				expect.objectContaining({ operation: 'preview', totalOperations: 0, withinLimits: true }),
			]);
			expect(managed(await sync.dump())).toEqual(before);
			expect(await sync.botTexts()).toHaveLength(1);
		});

		const formLink = (text: string) => {
			const link = /(https?:\/\/\S+\/form-waiting\/\S+)/.exec(text)?.[1];
			if (!link) throw new Error(`no approval form link in: ${text}`);
			return link;
		};
		const statusOf = (exId: string, dump: Awaited<ReturnType<WpsSync['dump']>>) =>
			dump.users.find((user) => user.ex_user_id === exId)?.status;

		it("over the limits it waits at an approval form: opening the link (a chat's link preview) decides nothing; Approve applies the plan", async () => {
			// two of ten managed objects leave: 20% of disables, over the template's 10%
			await sync.leave([105, 106]);
			const before = await sync.dump();
			const executionId = await sync.start();
			expect(await sync.status(executionId)).toBe('waiting');
			const texts = await sync.botTexts();
			expect(texts).toHaveLength(2);
			expect(texts[1]).toMatch(/needs approval 通讯录同步需要审批/);
			const link = formLink(texts[1]);
			expect(link).toContain(`/form-waiting/${executionId}`);
			// a chat client unfurling the link, a mail scanner: GET shows the form, nothing more
			for (const agent of [
				'Mozilla/5.0 (compatible; FeishuLinkPreview/1.0)',
				'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
			]) {
				const page = await fetch(link, { headers: { 'user-agent': agent } });
				expect(page.status).toBe(200);
				const html = await page.text();
				expect(html).toContain('Approve');
				expect(html).toContain('Reject');
			}
			expect(await sync.status(executionId)).toBe('waiting');
			expect(await sync.dump()).toEqual(before);
			// the admin submits the form with "Approve": the same execution resumes and applies the stored plan
			expect((await sync.decide(link, 'Approve')).status).toBe(200);
			expect(await sync.finished(executionId)).toBe('success');
			const after = await sync.dump();
			expect([statusOf('hr-105', after), statusOf('hr-106', after), statusOf('hr-104', after)]).toEqual([
				'disabled',
				'disabled',
				'active',
			]);
			const report = (await sync.botTexts()).at(-1)!;
			expect(report).toMatch(/Approved WPS contacts sync 已批准的通讯录同步: done/);
			expect(report).not.toMatch(/undefined|NaN/);
		});

		it('over the limits and rejected: the waiting execution ends, nothing is written, the rejection is reported', async () => {
			await sync.leave([103, 104]);
			const before = await sync.dump();
			const executionId = await sync.start();
			expect(await sync.status(executionId)).toBe('waiting');
			const link = formLink((await sync.botTexts()).at(-1)!);
			expect((await sync.decide(link, 'Reject')).status).toBe(200);
			expect(await sync.finished(executionId)).toBe('success');
			expect(await sync.dump()).toEqual(before);
			expect([statusOf('hr-103', before), statusOf('hr-104', before)]).toEqual(['active', 'active']);
			const report = (await sync.botTexts()).at(-1)!;
			expect(report).toMatch(/rejected or not answered in time: nothing was written/);
		});
	});
