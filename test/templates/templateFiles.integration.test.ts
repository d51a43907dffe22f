/**
 * The shipped templates as files: what `n8n import:workflow` and a non-developer need from them,
 * and the failure alert run through the harness against the emulator's bot.
 */
import { startFeishuEmulator, type FeishuEmulator } from '../emulators/feishu';
import { HarnessNodeTypes } from '../harness';
import { FeishuBot } from '../../nodes/FeishuBot/FeishuBot.node';
import * as fs from 'fs';
import * as path from 'path';
import { CODE_NODE_BUILTINS, loadTemplate, runnerFor, stickyText } from './templates';

const FILES = [
	'task-intake.json',
	'task-generation.json',
	'task-callback.json',
	'task-reconcile.json',
	'sync-failure-alert.json',
	'task-from-bitable.json',
	'task-prompt-edits.json',
	'sync-daily-summary.json',
	'stuck-uploads-reconcile.json',
	'failed-tasks-cleanup.json',
];
/**
 * n8n-nodes-base nodes a self-hosted n8n runs as they are, plus this package's nodes. The Code node (n8n's task
 * runner, on by default in n8n 2.x) only in the JavaScript the checks below allow.
 */
const ALLOWED = new Set(
	[
		'code',
		'webhook',
		'respondToWebhook',
		'if',
		'switch',
		'set',
		'httpRequest',
		'crypto',
		'scheduleTrigger',
		'errorTrigger',
		'executeWorkflow',
		'executeWorkflowTrigger',
		'wait',
		'noOp',
		'merge',
		'aggregate',
		'stopAndError',
		'stickyNote',
	]
		.map((n) => `n8n-nodes-base.${n}`)
		.concat(
			['mySqlQuery', 'recordStatus', 'feishuBot', 'feishuBitable', 'feishuBitableTrigger'].map(
				(n) => `n8n-nodes-feishu-wps-sync.${n}`,
			),
		),
);

describe.each(FILES)('%s', (file) => {
	const t = loadTemplate(file);

	it('is an importable workflow: id, name, nodes, connections to existing nodes, v1 execution order', () => {
		expect(t.id).toMatch(/^[A-Za-z0-9]{16}$/);
		expect(t.name).toBeTruthy();
		expect(t.settings.executionOrder).toBe('v1');
		const names = new Set(t.nodes.map((n) => n.name));
		expect(names.size).toBe(t.nodes.length);
		for (const [from, out] of Object.entries(
			t.connections as Record<string, { main: Array<Array<{ node: string }>> }>,
		)) {
			expect(names.has(from)).toBe(true);
			for (const branch of out.main) for (const c of branch ?? []) expect(names.has(c.node)).toBe(true);
		}
	});

	it('uses only allowed node types and references credentials by name', () => {
		for (const n of t.nodes) {
			expect({ node: n.name, allowed: ALLOWED.has(n.type) }).toEqual({ node: n.name, allowed: true });
			for (const ref of Object.values(n.credentials ?? {})) expect(ref.name).toMatch(/\S/);
		}
	});

	it('has sticky notes in English and Chinese', () => {
		const text = stickyText(t);
		expect(text).toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
		expect(text).toMatch(/[\u4e00-\u9fff]{2,}/);
	});
});

it('Code nodes are JavaScript and require only the built-in modules the README asks to allow', () => {
	// What users are told to set, and what the e2e suite's and the demo's n8n set.
	for (const file of ['README.md', 'scripts/real-n8n/env.sh'])
		expect(fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8')).toContain(
			`NODE_FUNCTION_ALLOW_BUILTIN=${CODE_NODE_BUILTINS.join(',')}`,
		);
	const codeNodes = FILES.flatMap((file) =>
		loadTemplate(file)
			.nodes.filter((n) => n.type === 'n8n-nodes-base.code')
			.map((n) => ({ file, n })),
	);
	expect(codeNodes.length).toBeGreaterThan(0);
	for (const { file, n } of codeNodes) {
		expect({ file, node: n.name, language: n.parameters.language ?? 'javaScript' }).toEqual({
			file,
			node: n.name,
			language: 'javaScript',
		});
		const required = [...String(n.parameters.jsCode).matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
		for (const name of required)
			expect({ file, node: n.name, requires: name, allowed: CODE_NODE_BUILTINS.includes(name) }).toEqual({
				file,
				node: n.name,
				requires: name,
				allowed: true,
			});
	}
});

it('no HTTP Request node takes its URL from a request: only from Config or a Code node that checked it', () => {
	for (const file of FILES) {
		for (const n of loadTemplate(file).nodes.filter((node) => node.type === 'n8n-nodes-base.httpRequest')) {
			const url = String(n.parameters.url);
			expect({
				file,
				node: n.name,
				url,
				fromConfigOrCheck: /^=\{\{ \$\('(Config'\)\.first\(\)|Callback URL'\)\.item)\.json\.\w+ \}\}$/.test(url),
			}).toEqual({
				file,
				node: n.name,
				url,
				fromConfigOrCheck: true,
			});
		}
	}
});

it("Task generation's webhook takes the internal credential, which every hand-off sends, and the intake takes another", () => {
	const webhookCredential = (file: string) =>
		loadTemplate(file).nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!.credentials!.httpHeaderAuth.name;
	const internal = webhookCredential('task-generation.json');
	expect(webhookCredential('task-intake.json')).not.toBe(internal);
	const handOffs = FILES.flatMap((file) =>
		loadTemplate(file)
			.nodes.filter(
				(n) => n.type === 'n8n-nodes-base.httpRequest' && String(n.parameters.url).includes('generationWorkflowUrl'),
			)
			.map((n) => ({ file, node: n.name, credential: n.credentials?.httpHeaderAuth?.name })),
	);
	expect(handOffs.length).toBe(5); // intake, from-bitable, prompt edits, the reconciler's re-submit and its Feishu take-in
	for (const handOff of handOffs) expect(handOff).toEqual({ ...handOff, credential: internal });
});

it('the intake sticky note carries the CREATE TABLE (the template test runs it)', () => {
	expect(stickyText(loadTemplate('task-intake.json'))).toMatch(
		/CREATE TABLE gen_tasks[\s\S]*UNIQUE KEY uq_task_id \(task_id\)/,
	);
});

it('the generation service URL is set once, in the Config node at the start', () => {
	const t = loadTemplate('task-generation.json');
	const config = t.nodes.find((n) => n.name === 'Config')!;
	expect(JSON.stringify(config.parameters)).toContain('generationServiceUrl');
	const uses = t.nodes.filter((n) =>
		JSON.stringify(n.parameters).includes("$('Config').first().json.generationServiceUrl"),
	);
	expect(uses.map((n) => n.name)).toEqual(['Call Generation Service']);
});

describe('sync-failure-alert through the harness', () => {
	let emu: FeishuEmulator;
	beforeAll(async () => {
		emu = await startFeishuEmulator({ seed: 2, rateLimits: 'off' });
	});
	afterAll(async () => {
		await emu.close();
	});

	it('posts the workflow, node, error and execution link to the bot (signed when the bot has a secret)', async () => {
		const { webhookUrl } = await emu.admin.createBot({ token: 'alerts', secret: 'bot-secret' });
		const nodeTypes = new HarnessNodeTypes();
		nodeTypes.register(FeishuBot);
		const t = loadTemplate('sync-failure-alert.json');
		const r = await runnerFor(nodeTypes, t).run({
			credentials: { feishuBotWebhookApi: { webhookUrl, secret: 'bot-secret', keyword: '' } },
			pinData: {
				'On Workflow Error': [
					{
						execution: {
							id: '231',
							url: 'https://n8n.example.com/workflow/abc/executions/231',
							error: { message: 'Feishu 1254045: field name not found', stack: '' },
							lastNodeExecuted: 'Sync to Bitable',
							mode: 'trigger',
						},
						workflow: { id: 'abc', name: 'MySQL to Bitable sync' },
					},
				],
			},
		});
		expect(r.error).toBeUndefined();
		const [message] = await emu.admin.botMessages('alerts');
		const text = JSON.stringify(message);
		for (const part of [
			'MySQL to Bitable sync',
			'Sync to Bitable',
			'Feishu 1254045: field name not found',
			'https://n8n.example.com/workflow/abc/executions/231',
		]) {
			expect(text).toContain(part);
		}
	});
});
