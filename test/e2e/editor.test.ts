/**
 * The editor renders our package: a workflow holding every node of ours (imported with n8n import:workflow) is
 * opened in Debian's chromium through playwright-core; every node must show its SVG icon, and one node's panel
 * must open with its parameters. Screenshots go to test-artifacts/e2e/screenshots/ (also used by the README).
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { importWorkflow, PACKAGE_NAME, packageTypes, REPO_ROOT } from './realN8n';
import { ARTIFACTS_DIR, loadSuite, RUN_DIR, type Suite } from './suite';
import { loadTemplate, templateExists } from './workflowCopies';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run'];
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
	await context.addInitScript((id) => (globalThis as any).localStorage.setItem('n8n-browserId', id), suite.rest.browserId);
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
		() => [...(globalThis as any).document.querySelectorAll('[data-test-id="canvas-node"] .n8n-node-icon img')]
			.every((img: { complete: boolean }) => img.complete),
		undefined,
		{ timeout: 30_000 },
	);
	await page.screenshot({ path: path.join(SCREENSHOTS, screenshot) });
	return await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
		nodes.map((node) => {
			const img = node.querySelector('.n8n-node-icon img') as unknown as { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null } | null;
			return {
				type: node.getAttribute('data-node-type'),
				icon: img?.getAttribute('src') ?? null,
				iconLoaded: !!img && img.complete && img.naturalWidth > 0,
			};
		}),
	);
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

	it('opens a node panel with its parameters', async () => {
		const first = ours[0];
		await page.locator(`[data-test-id="canvas-node"][data-node-type="${first.type}"]`).dblclick();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor({ state: 'visible', timeout: 30_000 });
		await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]').first()
			.waitFor({ timeout: 30_000 });
		await page.screenshot({ path: path.join(SCREENSHOTS, 'node-panel.png') });
		await expect(panel.textContent()).resolves.toContain(first.displayName);
	});

	(templateExists(SHOWCASE_TEMPLATE) ? it : it.skip)(`renders the shipped ${SHOWCASE_TEMPLATE} with our icons`, async () => {
		const template = loadTemplate(SHOWCASE_TEMPLATE);
		await importWorkflow(suite.instance, path.join(REPO_ROOT, 'workflows', SHOWCASE_TEMPLATE));
		const rendered = await openCanvas(template.id!, `template-${SHOWCASE_TEMPLATE.replace(/\.json$/, '')}.png`);
		const ourTypes = [...new Set(template.nodes.map((node) => node.type).filter((type) => type.startsWith(`${PACKAGE_NAME}.`)))];
		expect(ourTypes.length).toBeGreaterThan(0);
		for (const type of ourTypes) expectRendered(rendered, type);

		// The hero: the Sync node's panel as a first-time user sees it in the template.
		const sync = `${PACKAGE_NAME}.feishuBitable`;
		await page.locator(`[data-test-id="canvas-node"][data-node-type="${sync}"]`).first().dblclick();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor({ state: 'visible', timeout: 30_000 });
		await page.locator('[data-test-id="ndv"] [data-test-id="parameter-item"]').first().waitFor({ timeout: 30_000 });
		await page.screenshot({ path: path.join(SCREENSHOTS, 'sync-panel.png') });
		await expect(panel.textContent()).resolves.toContain('Key');
	});
}
