/**
 * Runs last (test/e2e/sequencer.js): no credential secret handed to n8n during the suite shows up in what n8n
 * keeps or prints: the saved executions (read through REST, error causes included), the raw database file,
 * the server's stdout and every CLI command's output.
 */
import * as fs from 'fs';
import * as path from 'path';

import { logsDir, packageTypes } from './realN8n';
import { loadSuite, recordedSecrets, type Suite } from './suite';

let suite: Suite;
let secrets: string[];
beforeAll(async () => {
	suite = await loadSuite();
	secrets = recordedSecrets(suite);
});

function leaks(where: string, text: string): string[] {
	return secrets
		.filter((secret) => text.includes(secret))
		.map((secret) => `${where} contains a secret of ${secret.length} characters`);
}

/** Every saved execution with its full data, as the editor's executions list and detail view load them. */
async function savedExecutions(): Promise<string[]> {
	const texts: string[] = [];
	let lastId: string | undefined;
	while (true) {
		const filter = encodeURIComponent(JSON.stringify({}));
		const page = await suite.rest.request(
			'GET',
			`/rest/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`,
		);
		const results: Array<{ id: string }> = page.data.results ?? [];
		for (const { id } of results) texts.push((await suite.rest.request('GET', `/rest/executions/${id}`)).text);
		if (results.length < 100) return texts;
		lastId = results[results.length - 1].id;
	}
}

if (packageTypes().credentials.length === 0)
	it.skip('package.json lists no credentials yet: no secret to look for', () => undefined);
else
	it('finds secrets to look for (credentials were used in this run)', () => {
		expect(secrets.length).toBeGreaterThan(0);
	});

it('keeps every credential secret out of saved executions', async () => {
	const executions = await savedExecutions();
	process.stderr.write(`[secrets] ${executions.length} saved executions checked for ${secrets.length} secrets\n`);
	expect(executions.flatMap((text, index) => leaks(`execution #${index + 1}`, text))).toEqual([]);
});

it("keeps every credential secret out of n8n's database file", () => {
	const dotN8n = path.join(suite.instance.dir, '.n8n');
	const files = fs.readdirSync(dotN8n).filter((file) => file.startsWith('database.sqlite'));
	expect(files).toContain('database.sqlite');
	expect(files.flatMap((file) => leaks(file, fs.readFileSync(path.join(dotN8n, file)).toString('latin1')))).toEqual([]);
});

it("keeps every credential secret out of n8n's stdout (server and CLI commands)", () => {
	const logs = fs
		.readdirSync(logsDir(suite.instance.dir))
		.filter((file) => file.endsWith('.log') && file !== 'emulators.log');
	expect(logs).toContain('server.log');
	expect(
		logs.flatMap((file) => leaks(file, fs.readFileSync(path.join(logsDir(suite.instance.dir), file), 'utf8'))),
	).toEqual([]);
});
