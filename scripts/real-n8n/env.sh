# Environment for one real n8n instance. Source it:  . scripts/real-n8n/env.sh <instance-dir>
# Every instance has its own N8N_USER_FOLDER (sqlite db, config, installed community nodes under .n8n/nodes).
# N8N_PORT is kept when already set (npm run dev uses 5678), otherwise a free one is picked; the task-runner broker
# port is always picked free, since every n8n process (execute or start) binds its own broker.
# Needs the install of install.sh (same paths.sh).
if [ -z "${1:-}" ]; then echo "usage: . env.sh <instance-dir>" >&2; return 2 2>/dev/null || exit 2; fi
# shellcheck source=paths.sh
. "$(dirname "${BASH_SOURCE[0]}")/paths.sh"

real_n8n_free_port() {
  "$REAL_N8N_NODE_HOME/bin/node" -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

mkdir -p "$1"
export REAL_N8N_CACHE_ROOT REAL_N8N_HOME   # the e2e helpers keep their npm cache there
export REAL_N8N_INSTANCE; REAL_N8N_INSTANCE=$(cd "$1" && pwd)
export PATH="$REAL_N8N_NODE_HOME/bin:$REAL_N8N_APP/node_modules/.bin:$PATH"
export N8N_USER_FOLDER="$REAL_N8N_INSTANCE"                 # n8n keeps everything under $N8N_USER_FOLDER/.n8n
export N8N_ENCRYPTION_KEY="e2e-only-not-a-secret-0123456789abcdef"  # fixed, so imported credentials stay readable
export DB_TYPE=sqlite
export N8N_LOG_LEVEL=info              # 'execute --rawOutput' prints its JSON through the info logger
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
export N8N_DYNAMIC_BANNERS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
export N8N_DISABLED_MODULES=mcp-registry   # else a startup task fetches api.n8n.io and logs ENOTFOUND
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
export N8N_RUNNERS_TASK_TIMEOUT=300        # the current default, pinned (silences a deprecation notice)
export N8N_RUNNERS_BROKER_PORT; N8N_RUNNERS_BROKER_PORT=$(real_n8n_free_port)
export N8N_PORT=${N8N_PORT:-$(real_n8n_free_port)}
export N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http N8N_SECURE_COOKIE=false
export N8N_WEBHOOK_URL="http://127.0.0.1:$N8N_PORT/" N8N_EDITOR_BASE_URL="http://127.0.0.1:$N8N_PORT/"
export EXECUTIONS_DATA_SAVE_ON_SUCCESS=all EXECUTIONS_DATA_SAVE_ON_ERROR=all  # the secrets check reads them
export NODE_FUNCTION_ALLOW_BUILTIN=crypto,url   # the task templates' Code nodes (signatures, URL hosts): README, Task webhooks
