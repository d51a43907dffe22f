/**
 * What globalSetup prepared for every e2e test file: the n8n instance and its running server, the emulators' demo
 * tenants, the MariaDB test database, and the credentials imported into n8n. Test files call `loadSuite()`.
 */
import * as fs from 'fs';
import * as mysql from 'mysql2/promise';
import * as path from 'path';

import { adminConnectionOptions, type MySqlCredentialData } from '../harness/mysql';
import type { EmulatorInfo } from './emulators';
import { REPO_ROOT, RestClient, type Instance } from './realN8n';
import type { ScenarioContext } from './scenarios/context';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
/** Each e2e run has its own folder (several runs may share a checkout), named after jest's process id;
 * globalSetup exports it so test files find it whether they run in jest's process or in a worker. */
export const RUN_DIR = (process.env.E2E_RUN_DIR ??= path.join(ARTIFACTS_DIR, 'runs', String(process.pid)));
const SUITE_FILE = path.join(RUN_DIR, 'suite.json');

export interface SuiteState {
	instance: Instance;
	serverLog: string;
	tarball: string;
	mysql: MySqlCredentialData;
	emulators: EmulatorInfo;
	/** credential type -> the id and name it was imported under (valid data) */
	credentials: Record<string, { id: string; name: string }>;
	/** credential types in package.json that have no fixture or whose backend is missing, with the reason */
	credentialsUnavailable: Record<string, string>;
	secretsFile: string;
}

export function saveSuite(state: SuiteState): void {
	fs.mkdirSync(RUN_DIR, { recursive: true });
	fs.writeFileSync(SUITE_FILE, JSON.stringify(state, null, 2));
}

export interface Suite extends SuiteState {
	rest: RestClient;
}

/** The suite prepared by globalSetup, with a REST session logged in as the owner. */
export async function loadSuite(): Promise<Suite> {
	if (!fs.existsSync(SUITE_FILE))
		throw new Error("no e2e suite state: run through test/e2e/jest.e2e.config.js (one worker, in jest's process)");
	const state = JSON.parse(fs.readFileSync(SUITE_FILE, 'utf8')) as SuiteState;
	const rest = new RestClient(state.instance.baseUrl);
	await rest.loginAsOwner();
	return { ...state, rest };
}

/** Fails a file's set-up, with the reasons, when a credential type it needs was not imported into n8n. */
export function requireCredentials(
	state: Pick<SuiteState, 'credentials' | 'credentialsUnavailable'>,
	types: string[],
): void {
	const unavailable = types.filter((type) => !state.credentials[type]);
	if (unavailable.length)
		throw new Error(
			`credentials not available: ${unavailable
				.map((type) => `${type} (${state.credentialsUnavailable[type] ?? 'not in package.json'})`)
				.join(', ')}`,
		);
}

/** An admin connection with the suite's test database (the one the MySQL credential names) selected. */
export function connectDatabase(state: Pick<SuiteState, 'mysql'>): Promise<mysql.Connection> {
	return mysql.createConnection({ ...adminConnectionOptions(), database: state.mysql.database });
}

/** A scenario's context (test/e2e/scenarios) on the suite's server, Feishu demo tenant and credentials. */
export function scenarioContext(suite: Suite, db: mysql.Connection, prefix: string): ScenarioContext {
	return {
		rest: suite.rest,
		n8nBaseUrl: suite.instance.baseUrl,
		db,
		feishu: suite.emulators.feishu!,
		credentials: suite.credentials,
		prefix,
	};
}

/** Every secret a test hands to n8n is recorded, so the secrets check can look for it everywhere. */
export function recordSecrets(state: Pick<SuiteState, 'secretsFile'>, ...secrets: Array<string | undefined>): void {
	const lines = secrets.filter((secret): secret is string => !!secret && secret.length >= 6);
	if (lines.length) fs.appendFileSync(state.secretsFile, lines.map((s) => JSON.stringify(s) + '\n').join(''));
}

export function recordedSecrets(state: Pick<SuiteState, 'secretsFile'>): string[] {
	if (!fs.existsSync(state.secretsFile)) return [];
	const lines = fs.readFileSync(state.secretsFile, 'utf8').split('\n').filter(Boolean);
	return [...new Set(lines.map((line) => JSON.parse(line) as string))];
}

/** Removes the folders of earlier runs whose process is gone. */
export function removeStaleRuns(): void {
	const runs = path.join(ARTIFACTS_DIR, 'runs');
	for (const pid of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
		if (path.join(runs, pid) === RUN_DIR) continue;
		try {
			process.kill(Number(pid), 0);
		} catch {
			fs.rmSync(path.join(runs, pid), { recursive: true, force: true });
		}
	}
}
