/**
 * Prepares the one n8n server every e2e test file uses: a fresh instance folder (the installed package is kept
 * between runs when the tarball did not change), the emulators, a MariaDB test database, our credentials imported
 * with `n8n import:credentials`, then `n8n start` with the owner set up. Expects `npm run build` and
 * scripts/real-n8n/install.sh to have run (scripts/test-e2e.sh does both).
 */
import * as path from 'path';

import { createTestDatabase, type TestDatabase } from '../harness/mysql';
import { startEmulators, stopEmulators, type EmulatorInfo } from './emulators';
import { caseSecrets, credentialCase, credentialId, credentialName } from './fixtures/credentials';
import {
	createInstance,
	type CredentialFixture,
	importCredentials,
	installPackage,
	logsDir,
	packageTypes,
	packPackage,
	resetInstanceData,
	RestClient,
	startServer,
	type Server,
} from './realN8n';
import { recordSecrets, removeStaleRuns, RUN_DIR, saveSuite } from './suite';

declare global {
	// Shared with globalTeardown (same process).
	// eslint-disable-next-line no-var
	var __e2e: { server?: Server; emulators?: EmulatorInfo; database?: TestDatabase } | undefined;
}

const INSTANCE_DIR = path.join(RUN_DIR, 'n8n');

function step<T>(label: string, action: () => Promise<T> | T): Promise<T> {
	const started = Date.now();
	return Promise.resolve(action()).then((value) => {
		process.stderr.write(`[e2e setup] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
		return value;
	});
}

export default async function globalSetup(): Promise<void> {
	globalThis.__e2e = {};
	try {
		await setUp();
	} catch (error) {
		await stopEverything(); // jest runs no teardown after a failed setup
		throw error;
	}
}

async function setUp(): Promise<void> {
	const shared = globalThis.__e2e!;
	removeStaleRuns();
	resetInstanceData(INSTANCE_DIR);
	const instance = createInstance(INSTANCE_DIR);
	const secretsFile = path.join(INSTANCE_DIR, 'secrets.jsonl');
	const types = packageTypes();

	const tarball = await step('npm pack', () => packPackage(path.join(RUN_DIR, 'pack')));
	await step('install the package into n8n', () => installPackage(instance, tarball));

	const emulators = await step('emulators', () => startEmulators(path.join(logsDir(instance.dir), 'emulators.log')));
	shared.emulators = emulators;
	const database = await step('MariaDB test database', () => createTestDatabase('e2e'));
	shared.database = database;
	const mysql = database.credentials;

	const credentials: Record<string, { id: string; name: string }> = {};
	const credentialsUnavailable: Record<string, string> = {};
	const toImport: CredentialFixture[] = [];
	for (const { name: type, properties } of types.credentials) {
		const fixture = credentialCase(type, { mysql, emulators });
		if ('unavailable' in fixture) {
			credentialsUnavailable[type] = fixture.unavailable;
			continue;
		}
		recordSecrets({ secretsFile }, ...caseSecrets(properties, fixture));
		credentials[type] = { id: credentialId(type), name: credentialName(type) };
		toImport.push({ ...credentials[type], type, data: fixture.valid });
	}
	// The first n8n command also creates the database (migrations).
	await step(`import ${toImport.length} credentials`, () => importCredentials(instance, toImport));

	const server = await step('n8n start', () => startServer(instance));
	shared.server = server;
	await step('owner setup', () => new RestClient(server.baseUrl).loginAsOwner());

	saveSuite({
		instance,
		serverLog: server.logFile,
		tarball,
		mysql,
		emulators,
		credentials,
		credentialsUnavailable,
		secretsFile,
	});
}

export async function stopEverything(): Promise<void> {
	const state = globalThis.__e2e;
	if (!state) return;
	await state.server?.stop();
	if (state.emulators) stopEmulators(state.emulators);
	await state.database?.drop();
	globalThis.__e2e = undefined;
}
