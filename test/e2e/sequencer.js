/** Runs the e2e files in name order, with the secrets check last: it reads what every other file left behind. */
const Sequencer = require('@jest/test-sequencer').default;

class E2eSequencer extends Sequencer {
	sort(tests) {
		const last = (test) => (/secrets\.test\.ts$/.test(test.path) ? 1 : 0);
		return [...tests].sort((a, b) => last(a) - last(b) || a.path.localeCompare(b.path));
	}
}

module.exports = E2eSequencer;
