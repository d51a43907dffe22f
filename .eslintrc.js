/**
 * n8n's own lint rules for community packages on nodes, credentials and package.json; TypeScript's recommended
 * rules on every TypeScript file of the package and its tests (lib, nodes, credentials, test).
 */
module.exports = {
	root: true,
	env: { node: true, es2022: true },
	parser: '@typescript-eslint/parser',
	parserOptions: { ecmaVersion: 2022, sourceType: 'module', extraFileExtensions: ['.json'] },
	ignorePatterns: ['dist/**', 'node_modules/**', '**/*.js', 'bench/**', 'scripts/**'],
	overrides: [
		{
			files: ['*.ts'],
			plugins: ['@typescript-eslint'],
			extends: ['plugin:@typescript-eslint/recommended'],
			rules: {
				// An argument a signature needs but the body does not use is named `_x`.
				'@typescript-eslint/no-unused-vars': [
					'error',
					{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
				],
				// Heavy dependencies load on first use, not when n8n loads the nodes (docs/mysql-performance.md):
				// a plain `require` of these keeps their calls synchronous.
				'@typescript-eslint/no-var-requires': [
					'error',
					{ allow: ['^@larksuiteoapi/node-sdk$', '^ioredis$', '^mysql2/promise$', '^ws$'] },
				],
			},
		},
		{
			// Tests read raw JSON answers (emulators, n8n's REST API) whose shape is what they assert: `any` there is
			// the honest type of an unchecked body. The package's own code keeps the rule.
			files: ['test/**/*.ts'],
			rules: { '@typescript-eslint/no-explicit-any': 'off' },
		},
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: { 'n8n-nodes-base/community-package-json-name-still-default': 'off' },
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
				// The house style (and n8n's current nodes) use NodeConnectionTypes.Main, which this older rule predates.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			},
		},
	],
};
