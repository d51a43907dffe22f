/** Every shipped template imports into a real n8n with `n8n import:workflow`, exactly as it is in workflows/. */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT, runN8n, type CliResult } from './realN8n';
import { loadSuite, type Suite } from './suite';

const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');
const files = fs.existsSync(WORKFLOWS_DIR)
	? fs
			.readdirSync(WORKFLOWS_DIR)
			.filter((file) => file.endsWith('.json'))
			.sort()
	: [];

let suite: Suite;
let imported: CliResult;
beforeAll(async () => {
	suite = await loadSuite();
	// One CLI process for the whole folder (each n8n command takes seconds to start); each file is checked below.
	if (files.length)
		imported = await runN8n(suite.instance, ['import:workflow', '--separate', `--input=${WORKFLOWS_DIR}`]);
});

if (files.length === 0) {
	it.skip('no templates in workflows/ yet: nothing to import', () => undefined);
}

for (const file of files)
	describe(`workflows/${file}`, () => {
		it('imports unchanged with n8n import:workflow --separate and keeps its nodes and connections', async () => {
			const shipped = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
			expect(typeof shipped.id).toBe('string'); // without an id every import would add a copy

			expect({ exitCode: imported.code, output: imported.code === 0 ? '' : imported.output.slice(-2000) }).toEqual({
				exitCode: 0,
				output: '',
			});

			const { data: stored } = await suite.rest.request('GET', `/rest/workflows/${shipped.id}`);
			expect(stored.name).toBe(shipped.name);
			const summary = (nodes: Array<{ name: string; type: string; typeVersion: number }>) =>
				nodes
					.map(({ name, type, typeVersion }) => ({ name, type, typeVersion }))
					.sort((a, b) => a.name.localeCompare(b.name));
			expect(summary(stored.nodes)).toEqual(summary(shipped.nodes));
			expect(stored.connections).toEqual(shipped.connections);
		});
	});

/** Scenario sources: every e2e file that runs templates (not this import check, not the editor screenshots). */
function scenarioSources(): string {
	const dir = path.join(REPO_ROOT, 'test', 'e2e');
	const files = [
		...fs.readdirSync(dir).map((file) => path.join(dir, file)),
		...fs.readdirSync(path.join(dir, 'scenarios')).map((file) => path.join(dir, 'scenarios', file)),
	].filter((file) => file.endsWith('.ts') && !/(workflows|editor)\.test\.ts$/.test(file));
	return files.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
}

for (const file of files)
	it(`workflows/${file} is run end to end by an e2e scenario (test/e2e/scenarios or a *.test.ts names it)`, () => {
		expect(scenarioSources()).toContain(file);
	});
