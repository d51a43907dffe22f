#!/usr/bin/env bash
# Runs a command with MYSQL_* pointing at a MariaDB and REDIS_* at a Redis that answer (started if needed).
set -euo pipefail
. "$(dirname "$0")/mariadb-env.sh"
. "$(dirname "$0")/redis-env.sh"   # the coordination store's tests use a real Redis
exec "$@"
