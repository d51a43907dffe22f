/**
 * `npm run dev` (after scripts/dev.sh built the package, found MariaDB and installed n8n): the demo's environment,
 * then n8n's editor on http://127.0.0.1:5678 with the package loaded, until Ctrl-C.
 */
import { RestClient, startServer } from '../../test/e2e/realN8n';
import { DEMO_OWNER, prepareDemoEnvironment } from './demoEnvironment';
import { setUpDemoScenarios } from './demoScenarios';

const PORT = Number(process.env.N8N_DEV_PORT ?? 5678);

async function main(): Promise<void> {
	const env = await prepareDemoEnvironment({ port: PORT });
	const server = await startServer(env.instance);
	const rest = new RestClient(server.baseUrl);
	await rest.loginAsOwner(DEMO_OWNER);
	const scenarios = await setUpDemoScenarios(env, rest, server.baseUrl);
	const stop = async () => {
		await scenarios.close();
		await server.stop();
		await env.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	const lines = [
		'',
		`n8n editor: ${server.baseUrl}   (sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password})`,
		`  package installed from its npm pack tarball; ${env.templates.length} templates imported as shipped`,
		'  "demo: ..." workflows: copies wired to the local emulators and the n8n_demo database (run them from their webhooks or the editor)',
		`  Feishu emulator: ${env.emulators.feishu?.baseUrl ?? 'not available'}   WPS emulator: ${env.emulators.wps?.baseUrl ?? 'not available'}`,
		`  MariaDB: ${env.mysql.host}:${env.mysql.port} database ${env.mysql.database} (user ${env.mysql.user})`,
		...env.unavailable.map((reason) => `  not available yet: ${reason}`),
		...[scenarios.orderSync, scenarios.taskFlow, scenarios.wps]
			.filter((part) => !part.ok)
			.map((part) => `  not available yet: ${(part as { reason: string }).reason}`),
		`  n8n's log: ${server.logFile}`,
		'Ctrl-C stops n8n and the emulators.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
	process.stderr.write(`dev failed: ${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
