#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers (n8n's database in queue mode), then prints `export PG_HOST=... PG_PORT=...
# PG_USER=...` for it. Order: PG_HOST/PG_PORT/PG_USER when set and answering; else 127.0.0.1:5432 as postgres;
# else a private cluster from Debian's packages (installed when missing) with its own folder and port, trust auth on
# 127.0.0.1 only, started now and reused by later runs.
# Usage: eval "$(bash scripts/postgres.sh)"   (progress goes to stderr)
set -euo pipefail
ping() { psql -h "$1" -p "$2" -U "$3" -d postgres -tAc 'select 1' >/dev/null 2>&1; }
emit() { printf 'export PG_HOST=%q PG_PORT=%q PG_USER=%q\n' "$1" "$2" "$3"; }

if ! command -v psql >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	if [ -n "${PG_HOST:-}" ] && command -v psql >/dev/null; then :; else
		echo "postgres: installing PostgreSQL from Debian's packages" >&2
		apt-get update >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
	fi
fi
if [ -n "${PG_HOST:-}" ]; then
	if ping "$PG_HOST" "${PG_PORT:-5432}" "${PG_USER:-postgres}"; then emit "$PG_HOST" "${PG_PORT:-5432}" "${PG_USER:-postgres}"; exit 0; fi
	echo "postgres: PG_HOST=$PG_HOST:${PG_PORT:-5432} does not answer; trying the local one" >&2
fi
if [ -z "${PG_FORCE_PRIVATE:-}" ] && ping 127.0.0.1 5432 postgres; then emit 127.0.0.1 5432 postgres; exit 0; fi

dir=${PG_PRIVATE_DIR:-$HOME/.cache/n8n-nodes-feishu-wps-sync/postgres}
port=${PG_PRIVATE_PORT:-5433}
user=$(id -un)
if ping 127.0.0.1 "$port" "$user"; then emit 127.0.0.1 "$port" "$user"; exit 0; fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# initdb and postgres refuse to run as root: a root caller runs them as the `postgres` system user
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && user=postgres
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
	echo "postgres: initialising a private cluster in $dir" >&2
	run "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
fi
echo "postgres: starting a private server on 127.0.0.1:$port" >&2
run "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >&2
for _ in $(seq 1 100); do
	if ping 127.0.0.1 "$port" "$user"; then emit 127.0.0.1 "$port" "$user"; exit 0; fi
	sleep 0.2
done
echo "postgres: the private server did not start; see $dir/postgres.log" >&2
exit 1
