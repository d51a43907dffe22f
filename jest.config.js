/**
 * Jest projects, chosen by file name (test/README.md):
 * - unit: pure tests (`*.test.ts`): no MariaDB, Redis, emulator or HTTP server; `npm run test:unit` runs them alone.
 * - integration: `*.integration.test.ts`, against MariaDB (checked once by the global setup), Redis, the emulators
 *   or n8n-core workflow runs; run them through scripts/with-mariadb.sh (`npm run test:integration`).
 * - emulators: `*.emulator.test.ts`, the emulators' own tests (no database).
 * The real-n8n suite has its own config (test/e2e/jest.e2e.config.js).
 */
const base = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
};

module.exports = {
	testTimeout: 120000,
	maxWorkers: 2,
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: [
				...base.testPathIgnorePatterns,
				'\\.integration\\.test\\.ts$',
				'\\.emulator\\.test\\.ts$',
			],
		},
		{
			...base,
			displayName: 'integration',
			testMatch: ['**/*.integration.test.ts'],
			globalSetup: '<rootDir>/test/harness/globalSetup.ts',
		},
		{ ...base, displayName: 'emulators', testMatch: ['**/*.emulator.test.ts'] },
	],
};
