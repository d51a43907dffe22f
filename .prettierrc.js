/** n8n's own Prettier settings, with a print width of 120. */
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 120,
	overrides: [{ files: ['*.json', '*.yml', '*.yaml', '*.md'], options: { useTabs: false, tabWidth: 2 } }],
};
