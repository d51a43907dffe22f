#!/usr/bin/env bash
# Makes sure a Redis server answers, then prints `export REDIS_HOST=... REDIS_PORT=...` for it.
# Order: REDIS_HOST/REDIS_PORT when set and answering; else 127.0.0.1:6379; else a private redis-server from
# Debian's packages (installed when missing) with its own folder and port, started now and reused by later runs.
# Usage: eval "$(bash scripts/redis.sh)"   (progress goes to stderr)
set -euo pipefail
ping() { # PING over bash's /dev/tcp: no client needed
	local reply
	reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2 && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null) || return 1
	[ "${reply%$'\r'}" = "+PONG" ]
}
emit() { printf 'export REDIS_HOST=%q REDIS_PORT=%q\n' "$1" "$2"; }

if [ -n "${REDIS_HOST:-}" ]; then
	if ping "$REDIS_HOST" "${REDIS_PORT:-6379}"; then emit "$REDIS_HOST" "${REDIS_PORT:-6379}"; exit 0; fi
	echo "redis: REDIS_HOST=$REDIS_HOST:${REDIS_PORT:-6379} does not answer; trying the local one" >&2
fi
if [ -z "${REDIS_FORCE_PRIVATE:-}" ] && ping 127.0.0.1 6379; then emit 127.0.0.1 6379; exit 0; fi

dir=${REDIS_PRIVATE_DIR:-$HOME/.cache/n8n-nodes-feishu-wps-sync/redis}
port=${REDIS_PRIVATE_PORT:-6380}
if ping 127.0.0.1 "$port"; then emit 127.0.0.1 "$port"; exit 0; fi
if ! command -v redis-server >/dev/null; then
	echo "redis: no server answers; installing redis-server from Debian's packages" >&2
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server >&2
fi
mkdir -p "$dir"
echo "redis: starting a private server on 127.0.0.1:$port" >&2
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no --daemonize yes \
	--pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
for _ in $(seq 1 100); do
	if ping 127.0.0.1 "$port"; then emit 127.0.0.1 "$port"; exit 0; fi
	sleep 0.1
done
echo "redis: the private server did not start; see $dir/redis.log" >&2
tail -n 20 "$dir/redis.log" >&2 || true
exit 1
