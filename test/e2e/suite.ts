/**
 * What globalSetup prepared for every e2e test file: the n8n instance and its running server, the emulators' demo
 * tenants, the MariaDB test database, and the credentials imported into n8n. Test files call `loadSuite()`.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { MySqlCredentialData } from '../harness/mysql';
import type { EmulatorInfo } from './emulators';
import { REPO_ROOT, RestClient, type Instance } from './realN8n';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
const SUITE_FILE = path.join(ARTIFACTS_DIR, 'suite.json');

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
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	fs.writeFileSync(SUITE_FILE, JSON.stringify(state, null, 2));
}

export interface Suite extends SuiteState {
	rest: RestClient;
}

/** The suite prepared by globalSetup, with a REST session logged in as the owner. */
export async function loadSuite(): Promise<Suite> {
	if (!fs.existsSync(SUITE_FILE)) throw new Error('no e2e suite state: run through test/e2e/jest.e2e.config.js');
	const state = JSON.parse(fs.readFileSync(SUITE_FILE, 'utf8')) as SuiteState;
	const rest = new RestClient(state.instance.baseUrl);
	await rest.loginAsOwner();
	return { ...state, rest };
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
