#!/usr/bin/env bash
# The project's test command (`npm test`): typecheck, lint, format check, build, every jest suite against a real
# MariaDB and the emulators, then the real-n8n end-to-end suite. Prints one closing line
# "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/mariadb-env.sh
. scripts/redis-env.sh
echo "== MariaDB at $MYSQL_HOST:$MYSQL_PORT"
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npm run --silent lint
echo "== format (Prettier)"; npx prettier --check . >/dev/null || { npx prettier --list-different . ; echo "Run npm run format to fix the files above."; exit 1; }
echo "== build"; npm run --silent build
mkdir -p .tmp
passed=0; failed=0
count() { # adds a jest --json report's totals
	read -r p f < <(node -e 'const r=require(require("path").resolve(process.argv[1]));console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$1")
	passed=$((passed + p)); failed=$((failed + f))
}
status=0
echo "== jest (projects unit, integration, emulators: test/README.md)"
npx jest --ci --json --outputFile=.tmp/jest.json "$@" || status=1
count .tmp/jest.json
if [ -z "${SKIP_E2E:-}" ] && [ -f scripts/test-e2e.sh ]; then
	echo "== end to end (real n8n)"
	E2E_SKIP_BUILD=1 bash scripts/test-e2e.sh --json --outputFile="$PWD/.tmp/jest-e2e.json" || status=1
	[ -f .tmp/jest-e2e.json ] && count .tmp/jest-e2e.json
fi
echo "tests: $passed passed, $failed failed"
exit $status
