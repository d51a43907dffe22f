/** Unit, emulator and node tests. The real-n8n suite has its own config (test/e2e). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
	testTimeout: 120000,
	maxWorkers: 2,
	globalSetup: '<rootDir>/test/harness/globalSetup.ts',
};
