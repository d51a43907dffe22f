#!/usr/bin/env bash
# `npm run dev`: the demo's environment (build, MariaDB, emulators, package installed, templates and demo
# credentials imported, "demo: ..." workflows wired to the emulators), then n8n's editor on
# http://127.0.0.1:5678 (N8N_DEV_PORT to change) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "[dev] $*" >&2; }
step "building the package"
npm run --silent build >&2 || { echo "dev: the build failed (npm run build)" >&2; exit 1; }
step "MariaDB"
. scripts/mariadb-env.sh
step "real n8n (first time: about 4 minutes; cached afterwards)"
bash scripts/real-n8n/install.sh >/dev/null
exec npx ts-node --transpile-only scripts/real-n8n/dev.ts
