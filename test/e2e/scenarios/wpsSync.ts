/**
 * The WPS 365 contacts template (workflows/wps-contacts-sync.json) on a real n8n server: an HR org chart seeded
 * in MySQL, a test copy started by a webhook instead of the nightly schedule, the WPS emulator's demo tenant as
 * the target and the Feishu emulator's demo bot for the reports. Used by the e2e test and by the demo.
 */
import type * as mysql from 'mysql2/promise';

import { FeishuAdmin } from '../../emulators/feishu/admin/client';
import { WpsAdmin, type Dump } from '../../emulators/wps/admin';
import type { WpsDemo } from '../emulators';
import { deploy, executionsOf, loadTemplate, templateExists, testCopy, trigger } from '../workflowCopies';
import type { ScenarioContext } from './context';

export const WPS_TEMPLATE = 'wps-contacts-sync.json';

/** `db` holds the HR data and the sync state. */
export interface WpsSyncContext extends ScenarioContext {
	wps: WpsDemo;
}

export interface WpsSync {
	/** one run of the copy: Preview, then Apply Plan when within limits; resolves when the run ended */
	run(): Promise<{ status: number; body: string; json: unknown }>;
	/** the WPS tenant's departments and users */
	dump(): Promise<Dump>;
	/** texts about the WPS sync the template's Feishu bot posted, oldest first */
	botTexts(): Promise<string[]>;
	/** the HR org chart as seeded, with the external ids WPS should hold (the template's id prefix applied) */
	hr: {
		departments: Array<{ id: number; name: string; exId: string }>;
		users: Array<{ id: number; name: string; exId: string }>;
	};
	/** HR users leave (the template's query reads only employed users) */
	leave(userIds: number[]): Promise<void>;
	/**
	 * starts a run without waiting for its answer (a run over the limits stops at the approval form and waits);
	 * resolves with the id of the execution once it is waiting or finished
	 */
	start(): Promise<string>;
	/** the execution's status as n8n reports it ('waiting', 'success', 'error', ...) */
	status(executionId: string): Promise<string>;
	/** polls until the execution is no longer running or waiting; returns its final status */
	finished(executionId: string): Promise<string>;
	/** submits the approval form behind `formUrl` (the link of the bot's message) with this decision */
	decide(formUrl: string, decision: 'Approve' | 'Reject'): Promise<{ status: number; body: string }>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const DEPARTMENTS = [
	{ id: 10, parent_id: 0, name: 'Headquarters 总部', sort_order: 1 },
	{ id: 11, parent_id: 10, name: 'Sales 销售部', sort_order: 1 },
	{ id: 12, parent_id: 10, name: 'Engineering 研发部', sort_order: 2 },
	{ id: 13, parent_id: 12, name: 'Platform 平台组', sort_order: 1 },
];

const USERS = [
	{ id: 101, name: '王芳', depts: [10], title: 'CEO', leader: null },
	{ id: 102, name: '李强', depts: [11], title: 'Sales Lead', leader: 101 },
	{ id: 103, name: 'Chen Jie', depts: [11], title: 'Account Manager', leader: 102 },
	{ id: 104, name: '赵敏', depts: [12, 13], title: 'CTO', leader: 101 },
	{ id: 105, name: 'Liu Yang', depts: [13], title: 'Engineer', leader: 104 },
	{ id: 106, name: '孙丽', depts: [13, 11], title: 'Solutions Engineer', leader: 104 },
];

export function wpsTemplateMissing(): boolean {
	return !templateExists(WPS_TEMPLATE);
}

/** The HR tables the template's two queries read, with a small bilingual org chart. */
export async function seedHr(db: mysql.Connection): Promise<void> {
	await db.query('DROP TABLE IF EXISTS hr_user_depts, hr_users, hr_departments');
	await db.query(`CREATE TABLE hr_departments (id INT PRIMARY KEY, parent_id INT NOT NULL, name VARCHAR(100) NOT NULL,
		sort_order INT NOT NULL DEFAULT 0, active TINYINT(1) NOT NULL DEFAULT 1,
		updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) DEFAULT CHARSET = utf8mb4`);
	await db.query(`CREATE TABLE hr_users (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NULL,
		mobile VARCHAR(32) NULL, employee_no VARCHAR(32) NULL, title VARCHAR(100) NULL, leader_id INT NULL,
		status VARCHAR(20) NOT NULL DEFAULT 'employed', updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))
		DEFAULT CHARSET = utf8mb4`);
	await db.query(`CREATE TABLE hr_user_depts (user_id INT NOT NULL, dept_id INT NOT NULL, is_main TINYINT(1) NOT NULL DEFAULT 0,
		PRIMARY KEY (user_id, dept_id))`);
	await db.query('INSERT INTO hr_departments (id, parent_id, name, sort_order) VALUES ?', [
		DEPARTMENTS.map((dept) => [dept.id, dept.parent_id, dept.name, dept.sort_order]),
	]);
	await db.query('INSERT INTO hr_users (id, name, email, mobile, employee_no, title, leader_id) VALUES ?', [
		USERS.map((user) => [
			user.id,
			user.name,
			`u${user.id}@demo.example.com`,
			`+861390000${user.id}`,
			`E${user.id}`,
			user.title,
			user.leader,
		]),
	]);
	await db.query('INSERT INTO hr_user_depts (user_id, dept_id, is_main) VALUES ?', [
		USERS.flatMap((user) => user.depts.map((dept, index) => [user.id, dept, index === 0 ? 1 : 0])),
	]);
}

export async function setUpWpsSync(context: WpsSyncContext): Promise<WpsSync> {
	const { rest, n8nBaseUrl, db, feishu, wps, prefix } = context;
	await seedHr(db);
	const path = `${prefix}-wps-contacts-sync`;
	const template = loadTemplate(WPS_TEMPLATE);
	const preview = template.nodes.find((node) => node.parameters.operation === 'preview');
	const exIdPrefix = String((preview?.parameters.options as { exIdPrefix?: string } | undefined)?.exIdPrefix ?? '');
	const workflowId = await deploy(
		rest,
		testCopy(template, {
			name: `${prefix}: WPS contacts sync`,
			webhookPath: path,
			credentials: context.credentials,
		}),
	);
	const status = async (executionId: string) => {
		const { data } = await rest.request('GET', `/rest/executions/${executionId}`);
		return String(data.status);
	};
	const wpsAdmin = new WpsAdmin(wps.baseUrl);
	const feishuAdmin = new FeishuAdmin(feishu.baseUrl);
	const botToken = feishu.botWebhookUrl.split('/').pop()!;
	return {
		async run() {
			return await trigger(n8nBaseUrl, path);
		},
		dump: () => wpsAdmin.dump({ clientId: wps.clientId }),
		async botTexts() {
			const messages = await feishuAdmin.botMessages(botToken);
			return messages
				.map((message) =>
					String((message.body.content as { text?: string } | undefined)?.text ?? JSON.stringify(message.body)),
				)
				.filter((text) => /WPS contacts sync/.test(text)); // the demo bot also serves other templates
		},
		hr: {
			departments: DEPARTMENTS.map((dept) => ({ ...dept, exId: `${exIdPrefix}${dept.id}` })),
			users: USERS.map((user) => ({ ...user, exId: `${exIdPrefix}${user.id}` })),
		},
		async leave(userIds) {
			await db.query(`UPDATE hr_users SET status = 'left' WHERE id IN (?)`, [userIds]);
		},
		async start() {
			const known = new Set((await executionsOf(rest, workflowId, 50)).map((execution) => String(execution.id)));
			void trigger(n8nBaseUrl, path).catch(() => undefined); // answered only when the run ends or waits
			return await until('the new execution to wait or finish', async () => {
				const fresh = (await executionsOf(rest, workflowId, 50)).find((execution) => !known.has(String(execution.id)));
				return fresh && !['new', 'running'].includes(String(fresh.status)) ? String(fresh.id) : undefined;
			});
		},
		status,
		async finished(executionId) {
			return await until(`execution ${executionId} to finish`, async () => {
				const now = await status(executionId);
				return ['new', 'running', 'waiting'].includes(now) ? undefined : now;
			});
		},
		async decide(formUrl, decision) {
			// what the browser sends when the admin picks a decision and submits n8n's form
			const form = new FormData();
			form.append('field-0', decision);
			const response = await fetch(formUrl, { method: 'POST', body: form });
			return { status: response.status, body: await response.text() };
		},
	};
}
