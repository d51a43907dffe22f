/**
 * The environment `npm run demo` and `npm run dev` share: a local n8n instance (.tmp/demo/n8n) with the package
 * installed from its tarball, the emulators' demo tenants, a MariaDB database `n8n_demo` (its business tables are
 * seeded by the scenarios, see demoScenarios.ts), demo credentials imported under the ids and names the templates reference, and every template imported
 * unchanged. Each run starts from scratch (idempotent); the installed package is reused when unchanged.
 */
import * as fs from 'fs';
import * as mysql from 'mysql2/promise';
import * as path from 'path';

import { adminConnectionOptions, type MySqlCredentialData } from '../../test/harness/mysql';
import { startEmulators, stopEmulators, type EmulatorInfo } from '../../test/e2e/emulators';
import { credentialCase } from '../../test/e2e/fixtures/credentials';
import {
	createInstance,
	importCredentials,
	packPackage,
	installPackage,
	logsDir,
	REPO_ROOT,
	resetInstanceData,
	runN8n,
	type CredentialFixture,
	type Instance,
} from '../../test/e2e/realN8n';
import type { Workflow } from '../../test/e2e/workflowCopies';

export const DEMO_DIR = path.join(REPO_ROOT, '.tmp', 'demo');
export const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-Passw0rd',
};
const DEMO_DATABASE = 'n8n_demo';
const DEMO_USER = { user: 'n8n_demo', password: 'n8n-demo-password' };

/**
 * n8n's own credentials the templates use, by the names they reference, with demo values. The two Header Auth
 * credentials differ on purpose: the front end's secret must not open Task generation.
 */
const BUILT_IN_CREDENTIALS: Record<string, Record<string, unknown>> = {
	'Task Intake Auth': { name: 'X-Task-Token', value: 'demo-intake-token' },
	'Task Internal Auth': { name: 'X-Task-Internal-Token', value: 'demo-internal-token' },
	'Generation Callback Secret': { hmacSecret: 'demo-callback-secret' },
};
const BUILT_IN_TYPES = new Set(['httpHeaderAuth', 'crypto']);

export interface DemoEnvironment {
	instance: Instance;
	emulators: EmulatorInfo;
	mysql: MySqlCredentialData;
	/** an admin connection with the demo database selected */
	db: mysql.Connection;
	/** credential type -> the credential imported for it (ids and names as the templates reference them) */
	credentials: Record<string, { id: string; name: string }>;
	templates: string[];
	/** parts not available yet (a missing emulator, credential fixture, ...), with the reason */
	unavailable: string[];
	stop(): Promise<void>;
}

function log(message: string): void {
	process.stderr.write(`[demo] ${message}\n`);
}

/** A fresh `n8n_demo` database and its own user (the scenarios create and seed their tables). */
async function prepareDatabase(): Promise<{ db: mysql.Connection; credentials: MySqlCredentialData }> {
	const options = adminConnectionOptions('run through npm run demo (scripts/demo.sh)');
	const db = await mysql.createConnection(options);
	await db.query(`DROP DATABASE IF EXISTS \`${DEMO_DATABASE}\``);
	await db.query(`CREATE DATABASE \`${DEMO_DATABASE}\` DEFAULT CHARSET utf8mb4`);
	for (const host of ['127.0.0.1', 'localhost', '%']) {
		await db.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [DEMO_USER.user, host, DEMO_USER.password]);
		await db.query(`GRANT ALL ON \`${DEMO_DATABASE}\`.* TO ?@?`, [DEMO_USER.user, host]);
	}
	await db.query(`USE \`${DEMO_DATABASE}\``);
	return {
		db,
		credentials: {
			host: String(options.host),
			port: Number(options.port),
			database: DEMO_DATABASE,
			user: DEMO_USER.user,
			password: DEMO_USER.password,
			ssl: 'disabled',
			timezone: '+08:00',
			connectTimeout: 10000,
		},
	};
}

function loadTemplates(): Array<{ file: string; workflow: Workflow }> {
	const dir = path.join(REPO_ROOT, 'workflows');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow }));
}

/** Every distinct credential reference in the templates ({type, id, name}), so each template resolves unchanged. */
function referencedCredentials(
	templates: Array<{ workflow: Workflow }>,
): Array<{ type: string; id: string; name: string }> {
	const found = new Map<string, { type: string; id: string; name: string }>();
	for (const { workflow } of templates)
		for (const node of workflow.nodes)
			for (const [type, reference] of Object.entries(node.credentials ?? {}))
				if (!found.has(reference.id)) found.set(reference.id, { type, ...reference });
	return [...found.values()];
}

export async function prepareDemoEnvironment(options: { port?: number } = {}): Promise<DemoEnvironment> {
	const stack: Array<() => Promise<void> | void> = [];
	const stop = async () => {
		for (const undo of stack.reverse()) await undo();
	};
	try {
		resetInstanceData(path.join(DEMO_DIR, 'n8n'));
		const instance = createInstance(path.join(DEMO_DIR, 'n8n'), { port: options.port });
		log('installing the package (npm pack) into the local n8n');
		installPackage(instance, packPackage(path.join(DEMO_DIR, 'pack')));

		log('starting the Feishu and WPS emulators (npm run emulators)');
		const emulators = await startEmulators(path.join(logsDir(instance.dir), 'emulators.log'));
		stack.push(() => stopEmulators(emulators));
		const unavailable = Object.entries(emulators.missing).map(([part, why]) => `${part} emulator: ${why}`);

		log(`seeding MariaDB database ${DEMO_DATABASE}`);
		const { db, credentials: mysqlData } = await prepareDatabase();
		stack.push(() => db.end());

		const templates = loadTemplates();
		const toImport: CredentialFixture[] = [];
		for (const { type, ...reference } of referencedCredentials(templates)) {
			const builtIn = BUILT_IN_TYPES.has(type) ? BUILT_IN_CREDENTIALS[reference.name] : undefined;
			if (BUILT_IN_TYPES.has(type) && !builtIn) {
				unavailable.push(`credential "${reference.name}" (${type}): no demo value in demoEnvironment.ts`);
				continue;
			}
			const ours = builtIn ? undefined : credentialCase(type, { mysql: mysqlData, emulators });
			if (ours && 'unavailable' in ours) {
				if (!unavailable.some((line) => line.startsWith(`credential ${type}:`)))
					unavailable.push(`credential ${type}: ${ours.unavailable}`);
				continue;
			}
			toImport.push({ ...reference, type, data: builtIn ?? ours!.valid });
		}
		log(`importing ${toImport.length} demo credentials and ${templates.length} templates`);
		await importCredentials(instance, toImport);
		if (templates.length) {
			const result = await runN8n(instance, [
				'import:workflow',
				'--separate',
				`--input=${path.join(REPO_ROOT, 'workflows')}`,
			]);
			if (result.code !== 0)
				throw new Error(`n8n import:workflow failed:\n${result.output.split('\n').slice(-20).join('\n')}`);
		}
		// Error workflows run only when published (n8n 2.x); they have no schedule or webhook, so publishing is safe.
		for (const { workflow } of templates)
			if (workflow.id && workflow.nodes.some((node) => node.type === 'n8n-nodes-base.errorTrigger'))
				await runN8n(instance, ['publish:workflow', `--id=${workflow.id}`]);
		const credentials: Record<string, { id: string; name: string }> = {};
		for (const { type, id, name } of toImport) credentials[type] ??= { id, name };
		return {
			instance,
			emulators,
			mysql: mysqlData,
			db,
			credentials,
			templates: templates.map(({ file }) => file),
			unavailable,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
