#!/usr/bin/env bash
# Makes sure a MariaDB/MySQL server answers, then prints `export MYSQL_...=` lines for it.
# Order: the server named by MYSQL_HOST/MYSQL_PORT/MYSQL_USER/MYSQL_PASSWORD; else the one on
# 127.0.0.1:3306 (root, empty password); else a private MariaDB from Debian's packages with its own
# datadir, socket and port (no system service), started now and reused by later runs.
# Usage: eval "$(bash scripts/mariadb.sh)"   (progress goes to stderr)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ping() { node "$here/mysql-ping.js" "$1" "$2" "$3" "${4:-}"; }
emit() { printf 'export MYSQL_HOST=%q MYSQL_PORT=%q MYSQL_USER=%q MYSQL_PASSWORD=%q\n' "$1" "$2" "$3" "$4"; }

if [ -n "${MYSQL_HOST:-}" ]; then
	if ping "$MYSQL_HOST" "${MYSQL_PORT:-3306}" "${MYSQL_USER:-root}" "${MYSQL_PASSWORD:-}"; then
		emit "$MYSQL_HOST" "${MYSQL_PORT:-3306}" "${MYSQL_USER:-root}" "${MYSQL_PASSWORD:-}"; exit 0
	fi
	echo "mariadb: MYSQL_HOST=$MYSQL_HOST:${MYSQL_PORT:-3306} does not answer; trying the local one" >&2
fi
# MARIADB_FORCE_PRIVATE=1 skips the machine's server (to test the private path).
if [ -z "${MARIADB_FORCE_PRIVATE:-}" ] && ping 127.0.0.1 3306 root ""; then emit 127.0.0.1 3306 root ""; exit 0; fi

dir=${MARIADB_PRIVATE_DIR:-$HOME/.cache/n8n-nodes-feishu-wps-sync/mariadb}
port=${MARIADB_PRIVATE_PORT:-3307}
if ping 127.0.0.1 "$port" root ""; then emit 127.0.0.1 "$port" root ""; exit 0; fi

if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
	echo "mariadb: no server answers; installing MariaDB from Debian's packages" >&2
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server >&2
fi
mkdir -p "$dir"
if [ ! -d "$dir/data/mysql" ]; then
	echo "mariadb: initialising a private datadir in $dir" >&2
	mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 \
		|| { cat "$dir/install.log" >&2; exit 1; }
fi
echo "mariadb: starting a private server on 127.0.0.1:$port" >&2
/usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --port="$port" \
	--bind-address=127.0.0.1 --user=root --pid-file="$dir/mariadbd.pid" --log-error="$dir/mariadbd.err" \
	--max-connections=500 >/dev/null 2>&1 &
for _ in $(seq 1 150); do
	if ping 127.0.0.1 "$port" root ""; then emit 127.0.0.1 "$port" root ""; exit 0; fi
	sleep 0.2
done
echo "mariadb: the private server did not start; see $dir/mariadbd.err" >&2
tail -n 20 "$dir/mariadbd.err" >&2 || true
exit 1
