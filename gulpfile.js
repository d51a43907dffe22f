const path = require('path');
const { task, src, dest } = require('gulp');

// Icons are referenced as `file:x.svg` next to the compiled node / credential, so copy them into dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	),
);
