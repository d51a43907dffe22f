const path = require('path');
const { task, src, dest } = require('gulp');

// Icons are referenced as `file:x.svg` next to the compiled node / credential, and n8n reads each node's
// codex (`X.node.json`: categories, docs link) from beside it too, so copy both into dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist'))),
);
