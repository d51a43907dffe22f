/**
 * Runs one WPS Contacts workflow in its own process (spawned by the crash and lock tests):
 * `node -r ts-node/register/transpile-only childRun.ts <config.json>`. Prints one JSON line with
 * the node's outputs or its error, so the parent can SIGKILL it at any moment and start another.
 */
import { existsSync, readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import { applyWorkflow, syncWorkflow } from './setup';

interface ChildConfig {
	operation: 'sync' | 'applyPlan';
	credentials: Record<string, IDataObject>;
	pinData: Record<string, IDataObject[]>;
	parameters?: IDataObject;
	options?: IDataObject;
	/** Loaded and ready, the run starts only once this file exists (so a test can time several processes). */
	goFile?: string;
}

async function main(): Promise<void> {
	const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ChildConfig;
	if (config.goFile) {
		process.stdout.write('ready\n');
		while (!existsSync(config.goFile)) await new Promise((r) => setTimeout(r, 5));
	}
	const runner =
		config.operation === 'applyPlan'
			? applyWorkflow(config.options)
			: syncWorkflow({ operation: 'sync', ...config.parameters }, config.options);
	const result = await runner.run({ credentials: config.credentials, pinData: config.pinData });
	const out = {
		error: result.error ? result.error.message : null,
		summary: result.json('WPS', 0)[0] ?? null,
		audit: result.json('WPS', 1),
	};
	process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stdout.write(`${JSON.stringify({ error: String(error?.message ?? error) })}\n`);
		process.exit(1);
	},
);
