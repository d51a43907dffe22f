#!/usr/bin/env bash
# Runs a command with MYSQL_* pointing at a MariaDB that answers (started if needed).
set -euo pipefail
. "$(dirname "$0")/mariadb-env.sh"
exec "$@"
