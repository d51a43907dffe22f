#!/usr/bin/env bash
# The end-to-end suite in a real n8n (`npm run test:e2e`): MariaDB, build, the pinned n8n (cached outside the
# checkout), Debian's chromium for the editor screenshots, then jest with test/e2e/jest.e2e.config.js.
# Extra arguments go to jest (e.g. `npm run test:e2e -- -t nodes.json`).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
. scripts/mariadb-env.sh
echo "== MariaDB at $MYSQL_HOST:$MYSQL_PORT"
. scripts/redis-env.sh      # queue mode (test/e2e/queue.test.ts): n8n's queue and the nodes' shared state
. scripts/postgres-env.sh   # queue mode: n8n's database
echo "== Redis at $REDIS_HOST:$REDIS_PORT, PostgreSQL at $PG_HOST:$PG_PORT"
if [ -z "${E2E_SKIP_BUILD:-}" ]; then echo "== build"; npm run --silent build; fi
echo "== real n8n"; bash scripts/real-n8n/install.sh >/dev/null
echo "== chromium"; bash scripts/real-n8n/chromium.sh >/dev/null
echo "== jest (real n8n)"
status=0
npx jest --ci -c test/e2e/jest.e2e.config.js "$@" || status=$?
echo "e2e: $(( $(date +%s) - t0 )) s, screenshots and n8n logs in test-artifacts/e2e/"
exit $status
