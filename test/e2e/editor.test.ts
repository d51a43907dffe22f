/**
 * The editor renders our package: a workflow holding every node of ours (imported with n8n import:workflow) is
 * opened in Debian's chromium through playwright-core; every node must show its SVG icon, and one node's panel
 * must open with its parameters (a screenshot of every node's panel is kept). The Sync node's column mapper loads a
 * table's columns from the Feishu emulator, is saved and run. Screenshots go to test-artifacts/e2e/screenshots/
 * (also used by the README).
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { FeishuAdmin } from '../emulators/feishu/admin/client';
import { execute, importWorkflow, nodeItems, PACKAGE_NAME, packageTypes, REPO_ROOT } from './realN8n';
import { bitableLink } from './scenarios/context';
import { ARTIFACTS_DIR, loadSuite, RUN_DIR, type Suite } from './suite';
import { loadTemplate, templateExists } from './workflowCopies';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const SCREENSHOTS = path.join(ARTIFACTS_DIR, 'screenshots');
const WORKFLOW_ID = 'e2eEveryOurNode1';
/** A shipped template shown in the editor (its screenshot can illustrate the README). */
const SHOWCASE_TEMPLATE = 'mysql-to-bitable-sync.json';
const ours = packageTypes().nodes;

let suite: Suite;
let browser: Browser;
let page: Page;

/** One workflow with every node of ours at its newest version, three to a row. */
function everyNodeWorkflow(nodeTypes: Array<{ name: string; version: number | number[] }>) {
	return {
		id: WORKFLOW_ID,
		name: 'E2E: every node of the package',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: ours.map((node, index) => {
			const versions = nodeTypes.filter((type) => type.name === node.type).flatMap((type) => [type.version].flat());
			return {
				id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
				name: node.displayName,
				type: node.type,
				typeVersion: Math.max(...versions),
				position: [(index % 3) * 320, Math.floor(index / 3) * 240],
				parameters: {},
			};
		}),
	};
}

beforeAll(async () => {
	suite = await loadSuite();
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	if (ours.length === 0) return;
	const nodeTypes = (await suite.rest.request('GET', '/types/nodes.json')).data;
	const file = path.join(RUN_DIR, 'every-node.workflow.json');
	fs.writeFileSync(file, JSON.stringify(everyNodeWorkflow(nodeTypes), null, 2));
	await importWorkflow(suite.instance, file);

	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	// The auth cookie is bound to the browser id the editor sends: give the editor the REST session's id and cookie.
	await context.addInitScript(
		(id) => (globalThis as any).localStorage.setItem('n8n-browserId', id),
		suite.rest.browserId,
	);
	const [name, ...value] = suite.rest.cookieHeader.split('=');
	await context.addCookies([{ name, value: value.join('='), url: suite.instance.baseUrl }]);
	page = await context.newPage();
});

afterAll(async () => {
	await browser?.close();
});

interface RenderedNode {
	type: string | null;
	icon: string | null;
	iconLoaded: boolean;
}

/** Opens a workflow in the editor, waits for its node icons, saves a screenshot; returns what the canvas shows. */
async function openCanvas(workflowId: string, screenshot: string): Promise<RenderedNode[]> {
	await page.goto(`${suite.instance.baseUrl}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	// Icons load asynchronously: wait until every node's image has loaded (or failed) before judging.
	await page.waitForFunction(
		() =>
			[...(globalThis as any).document.querySelectorAll('[data-test-id="canvas-node"] .n8n-node-icon img')].every(
				(img: { complete: boolean }) => img.complete,
			),
		undefined,
		{ timeout: 30_000 },
	);
	await page.screenshot({ path: path.join(SCREENSHOTS, screenshot) });
	return await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
		nodes.map((node) => {
			const img = node.querySelector('.n8n-node-icon img') as unknown as {
				complete: boolean;
				naturalWidth: number;
				getAttribute(name: string): string | null;
			} | null;
			return {
				type: node.getAttribute('data-node-type'),
				icon: img?.getAttribute('src') ?? null,
				iconLoaded: !!img && img.complete && img.naturalWidth > 0,
			};
		}),
	);
}

const PARAMETER = '[data-test-id="ndv"] [data-test-id="parameter-item"]';

/** Opens the panel of the (first) node of this type on the canvas, once `ready` shows in it; returns the panel. */
async function openPanel(type: string, ready = PARAMETER) {
	await page.locator(`[data-test-id="canvas-node"][data-node-type="${type}"]`).first().dblclick();
	const panel = page.locator('[data-test-id="ndv"]');
	await panel.waitFor({ state: 'visible', timeout: 30_000 });
	await page.locator(ready).first().waitFor({ timeout: 30_000 });
	return panel;
}

async function closePanel(panel: Locator): Promise<void> {
	await page.keyboard.press('Escape');
	await panel.waitFor({ state: 'hidden', timeout: 30_000 });
}

/** The node type is on the canvas with our package's icon, loaded (an unknown node shows a placeholder). */
function expectRendered(rendered: RenderedNode[], type: string): void {
	const shown = rendered.find((candidate) => candidate.type === type);
	expect({ type, shown: !!shown }).toEqual({ type, shown: true });
	expect(shown!.icon ?? '').toContain(`/icons/${PACKAGE_NAME}/`);
	expect({ type, iconLoaded: shown!.iconLoaded }).toEqual({ type, iconLoaded: true });
}

if (ours.length === 0) it.skip('package.json lists no nodes yet: nothing to render', () => undefined);
else {
	it('renders every node of ours with its SVG icon on the canvas', async () => {
		const rendered = await openCanvas(WORKFLOW_ID, 'editor-every-node.png');
		for (const node of ours) expectRendered(rendered, node.type);
	});

	it("opens every node's panel with its parameters (one screenshot each)", async () => {
		for (const node of ours) {
			const panel = await openPanel(node.type);
			await page.screenshot({ path: path.join(SCREENSHOTS, `panel-${node.type.split('.').pop()}.png`) });
			expect({ node: node.type, text: (await panel.textContent())?.includes(node.displayName) }).toEqual({
				node: node.type,
				text: true,
			});
			if (/\.(feishuBitable|feishuBitableTrigger|recordStatus)$/.test(node.type)) {
				// the credential near the top of the panel (a "credentials" parameter places it), not below every parameter
				const text = (await panel.textContent()) ?? '';
				expect({
					node: node.type,
					credentialBeforeBase: text.indexOf('Credential') >= 0 && text.indexOf('Credential') < text.indexOf('Base'),
				}).toEqual({ node: node.type, credentialBeforeBase: true });
			}
			await closePanel(panel);
		}
	});

	it('opens a node panel with its parameters', async () => {
		const first = ours[0];
		const panel = await openPanel(
			first.type,
			'[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]',
		);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'node-panel.png') });
		await expect(panel.textContent()).resolves.toContain(first.displayName);
	});

	(templateExists(SHOWCASE_TEMPLATE) ? it : it.skip)(
		`renders the shipped ${SHOWCASE_TEMPLATE} with our icons`,
		async () => {
			const template = loadTemplate(SHOWCASE_TEMPLATE);
			await importWorkflow(suite.instance, path.join(REPO_ROOT, 'workflows', SHOWCASE_TEMPLATE));
			const rendered = await openCanvas(template.id!, `template-${SHOWCASE_TEMPLATE.replace(/\.json$/, '')}.png`);
			const ourTypes = [
				...new Set(template.nodes.map((node) => node.type).filter((type) => type.startsWith(`${PACKAGE_NAME}.`))),
			];
			expect(ourTypes.length).toBeGreaterThan(0);
			for (const type of ourTypes) expectRendered(rendered, type);

			// The hero: the Sync node's panel as a first-time user sees it in the template.
			const panel = await openPanel(`${PACKAGE_NAME}.feishuBitable`);
			await page.screenshot({ path: path.join(SCREENSHOTS, 'sync-panel.png') });
			// version 2: the column mapper (its key columns appear once the pasted link lets it load the table's fields)
			const text = (await panel.textContent()) ?? '';
			expect(text).toContain('Mapping Column Mode');
			expect(text.indexOf('Credential')).toBeLessThan(text.indexOf('Base'));
		},
	);
}

/**
 * The Sync node (v2) in the editor: the column mapper loads the table's columns from the Feishu emulator (types shown,
 * the formula column read-only), the workflow is saved with them, and the saved workflow runs (n8n execute).
 */
const MAPPER_WORKFLOW = 'e2eColumnMapper01';
(ours.length ? it : it.skip)(
	"the Sync node's column mapper loads the table's columns, is saved, and runs",
	async () => {
		const feishu = suite.emulators.feishu;
		if (!feishu) throw new Error(`the Feishu emulator is not available: ${suite.emulators.missing.feishu}`);
		const admin = new FeishuAdmin(feishu.baseUrl);
		const tableId = 'tblE2eColumnMapper';
		await admin.createTable({
			appToken: feishu.appToken,
			tableId,
			name: 'Column mapper e2e',
			primaryField: 'order_no',
			fields: [
				{ field_name: 'order_no', type: 1 },
				{ field_name: 'amount', type: 2 },
				{ field_name: 'status', type: 3, property: { options: [{ name: 'new' }, { name: 'paid' }] } },
				{ field_name: 'total', type: 20 },
			],
		});
		const credential = suite.credentials.feishuAppApi;
		await importWorkflow(suite.instance, {
			id: MAPPER_WORKFLOW,
			name: 'E2E: Sync with the column mapper',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: '00000000-0000-4000-8000-0000000a0001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: '00000000-0000-4000-8000-0000000a0002',
					name: 'Orders',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [240, 0],
					parameters: {
						jsCode:
							"return [{ json: { no: 'M-1', amount: 12.5, paid: true } }, { json: { no: 'M-2', amount: 3, paid: false } }];",
					},
				},
				{
					id: '00000000-0000-4000-8000-0000000a0003',
					name: 'Sync to Bitable',
					type: `${PACKAGE_NAME}.feishuBitable`,
					typeVersion: 2,
					position: [480, 0],
					credentials: { feishuAppApi: { id: credential.id, name: credential.name } },
					parameters: {
						resource: 'sync',
						mode: 'upsert',
						base: { __rl: true, mode: 'url', value: bitableLink(feishu.appToken, tableId) },
						table: { __rl: true, mode: 'id', value: tableId },
						columns: {
							mappingMode: 'defineBelow',
							matchingColumns: ['order_no'],
							value: {
								order_no: '={{ $json.no }}',
								amount: '={{ $json.amount }}',
								status: '={{ $json.paid ? "paid" : "new" }}',
							},
							schema: [],
						},
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
				Orders: { main: [[{ node: 'Sync to Bitable', type: 'main', index: 0 }]] },
			},
		});

		await openCanvas(MAPPER_WORKFLOW, 'editor-column-mapper-canvas.png');
		const panel = await openPanel(`${PACKAGE_NAME}.feishuBitable`);
		// The mapper asks our getColumns for the table's fields: their names with their types appear in the panel.
		await page.getByText('amount (number)').first().waitFor({ timeout: 60_000 });
		await page.screenshot({ path: path.join(SCREENSHOTS, 'column-mapper.png') });
		const text = (await panel.textContent()) ?? '';
		expect(text).toContain('order_no (text)');
		expect(text).toContain('Key Fields (Columns to Match On)');
		// the credential right below Resource, above Base and the rest (not at the bottom of the panel)
		expect(text.indexOf('Credential')).toBeGreaterThan(text.indexOf('Resource'));
		expect(text.indexOf('Credential')).toBeLessThan(text.indexOf('Base'));
		await closePanel(panel);

		// Save (Ctrl+S): the fetched columns are stored in the node's parameters.
		await page.keyboard.press('Control+s');
		const deadline = Date.now() + 30_000;
		let schema: Array<{ id: string; type?: string; readOnly?: boolean }> = [];
		while (Date.now() < deadline) {
			const { data } = await suite.rest.request('GET', `/rest/workflows/${MAPPER_WORKFLOW}`);
			const node = (data.nodes as Array<{ name: string; parameters: any }>).find((n) => n.name === 'Sync to Bitable')!;
			schema = node.parameters.columns?.schema ?? [];
			if (schema.length) break;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		expect(schema.map((c) => [c.id, c.type, !!c.readOnly])).toEqual([
			['order_no', 'string', false],
			['amount', 'number', false],
			['status', 'options', false],
			['total', 'string', true],
		]);

		const result = await execute(suite.instance, MAPPER_WORKFLOW);
		expect({ exitCode: result.exitCode, status: result.run.status }).toEqual({ exitCode: 0, status: 'success' });
		expect(nodeItems(result.run, 'Sync to Bitable')).toEqual([
			expect.objectContaining({ created: 2, updated: 0, failed: 0 }),
		]);
		const dump = await admin.dumpTable(feishu.appToken, tableId);
		expect(
			dump.records.map((r) => r.plain).sort((a, b) => String(a.order_no).localeCompare(String(b.order_no))),
		).toEqual([
			expect.objectContaining({ order_no: 'M-1', amount: 12.5, status: 'paid' }),
			expect.objectContaining({ order_no: 'M-2', amount: 3, status: 'new' }),
		]);
	},
);
