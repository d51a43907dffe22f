import { readFileSync } from 'fs';
import * as path from 'path';
import type { IConnections, IDataObject } from 'n8n-workflow';
import { type HarnessNode, WorkflowRunner, createTestDatabase, type TestDatabase } from '../harness';
import { startWpsEmulator, type WpsEmulator } from '../emulators/wps';
import { startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import { MySqlQuery } from '../../nodes/MySqlQuery/MySqlQuery.node';
import { nodeTypes, startNodeEnv, type NodeEnv } from './wpsContacts/setup';

/**
 * The shipped template run through the workflow harness (the HR queries pinned): within the limits
 * it applies and reports; over the limits it asks for approval with resume links and waits.
 */
describe('workflows/wps-contacts-sync.json runs', () => {
	nodeTypes.register(FeishuBot);
	nodeTypes.register(MySqlQuery);
	const template = JSON.parse(readFileSync(path.join(__dirname, '../../workflows/wps-contacts-sync.json'), 'utf8'));
	let wpsEmu: WpsEmulator;
	let feishu: FeishuEmulator;
	let db: TestDatabase;
	let env: NodeEnv;
	let webhookUrl: string;

	beforeAll(async () => {
		wpsEmu = await startWpsEmulator({ rateLimits: 'off' });
		feishu = await startFeishuEmulator({ rateLimits: 'off' } as never);
		db = await createTestDatabase('wpstpl');
		env = await startNodeEnv({ emu: wpsEmu, db });
		({ webhookUrl } = await feishu.admin.createBot({ token: 'wps-admin-bot' }));
	});
	afterAll(async () => {
		await env.close();
		await db.drop();
		await feishu.close();
		await wpsEmu.close();
	});

	function runner(): WorkflowRunner {
		const nodes: HarnessNode[] = template.nodes
			.filter((n: { type: string }) => n.type !== 'n8n-nodes-base.stickyNote')
			// n8n's Wait node cannot load under jest (an ESM dependency): here it answers at once, like a time-out without a decision
			.map(
				(n: { name: string; type: string; typeVersion: number; parameters: IDataObject; credentials?: IDataObject }) =>
					n.type === 'n8n-nodes-base.wait' ? { ...n, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} } : n,
			)
			.map(
				(n: {
					name: string;
					type: string;
					typeVersion: number;
					parameters: IDataObject;
					credentials?: IDataObject;
				}) => ({
					name: n.name,
					type: n.type,
					typeVersion: n.typeVersion,
					// the emulators answer at once: no client-side rate limit
					parameters: n.type.endsWith('.wpsContacts')
						? { ...n.parameters, options: { ...(n.parameters.options as IDataObject), ratePerSecond: 0 } }
						: n.parameters,
					credentials: n.credentials ? Object.keys(n.credentials) : undefined,
				}),
			);
		return new WorkflowRunner(nodeTypes, {
			nodes,
			connections: template.connections as IConnections,
			startNode: 'Every Night 02:00',
		});
	}

	const hr = (users: number) => ({
		'Every Night 02:00': [{}],
		'Read Departments': [
			{ id: 1, parent_id: 0, name: 'Sales', sort_order: 1, updated_at: '2026-01-01 00:00:00' },
			{ id: 2, parent_id: 1, name: 'North', sort_order: 1, updated_at: '2026-01-01 00:00:00' },
		],
		'Read Users': Array.from({ length: users }, (_, i) => ({
			id: `E${i}`,
			name: `Person ${i}`,
			dept_ids: i % 2 ? '1' : '2,1',
			email: `p${i}@example.com`,
			mobile: `+86130000000${String(i).padStart(2, '0')}`,
			employee_no: `N${i}`,
			title: 'Staff',
			leader_id: i ? 'E0' : '',
			updated_at: '2026-01-01 00:00:00',
		})),
	});
	const credentials = () => ({ ...env.credentials, feishuBotWebhookApi: { webhookUrl, secret: '', keyword: '' } });

	test('within the limits: preview, apply, report', async () => {
		const r = await runner().run({ credentials: credentials(), pinData: hr(20) });
		expect(r.error).toBeUndefined();
		expect(r.json('Apply Plan', 0)[0]).toMatchObject({ status: 'done', failed: 0 });
		expect(r.outputs['Ask for Approval']).toBeUndefined();
		const dump = await wpsEmu.admin.dump({ clientId: env.clientId });
		expect(dump.users.filter((u) => u.ex_user_id.startsWith('hr-E'))).toHaveLength(20);
		const messages = await feishu.admin.botMessages('wps-admin-bot');
		const report = JSON.stringify(messages.at(-1));
		expect(report).toContain('WPS contacts sync');
		// 2 departments and 20 users, one create each: the leader (E0) is named in the other 19 users' creates.
		expect(report).toMatch(/Done 完成: 22 \/ 22 /);
		const leader = dump.users.find((u) => u.ex_user_id === 'hr-E0')!;
		expect(dump.users.filter((u) => u.leader_id === leader.user_id)).toHaveLength(19);
		expect(report).not.toMatch(/undefined|NaN/);
	});

	test('over the limits (a truncated HR query): approval links; without an approval nothing is written and a rejection is reported', async () => {
		const before = await wpsEmu.admin.dump({ clientId: env.clientId });
		const r = await runner().run({ credentials: credentials(), pinData: hr(15) });
		expect(r.error).toBeUndefined();
		expect(r.json('Preview Changes', 0)[0]).toMatchObject({ withinLimits: false });
		expect(r.outputs['Apply Plan']).toBeUndefined();
		expect(r.outputs['Apply Approved Plan']).toBeUndefined();
		const messages = (await feishu.admin.botMessages('wps-admin-bot')).map((m) => JSON.stringify(m));
		const ask = messages.find((m) => m.includes('needs approval'))!;
		expect(ask).toContain('/form-waiting/');
		expect(messages.at(-1)).toContain('rejected');
		expect(messages.at(-1)).not.toMatch(/undefined|NaN/);
		expect(await wpsEmu.admin.dump({ clientId: env.clientId })).toEqual(before);
	});

	test('over the limits and approved: the approved plan is applied', async () => {
		const run = runner();
		const spec = run.spec;
		// what the Wait node hands on once the approval form was submitted with "Approve"
		const pin = {
			...hr(15),
			'Wait for Decision': [
				{ Decision: 'Approve', submittedAt: '2026-01-01T02:05:00.000+08:00', formMode: 'production' },
			],
		};
		const r = await new WorkflowRunner(nodeTypes, spec).run({ credentials: credentials(), pinData: pin });
		expect(r.error).toBeUndefined();
		expect(r.json('Apply Approved Plan', 0)[0]).toMatchObject({ status: 'done', failed: 0 });
		const dump = await wpsEmu.admin.dump({ clientId: env.clientId });
		expect(dump.users.filter((u) => u.ex_user_id.startsWith('hr-E') && u.status === 'disabled')).toHaveLength(5);
		const report = JSON.stringify((await feishu.admin.botMessages('wps-admin-bot')).at(-1));
		expect(report).toContain('Approved WPS contacts sync');
		expect(report).not.toMatch(/undefined|NaN/);
	});
});
