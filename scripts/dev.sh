#!/usr/bin/env bash
# `npm run dev`: the demo's environment (build, MariaDB, emulators, package installed, templates and demo
# credentials imported, "demo: ..." workflows wired to the emulators), then n8n's editor on
# http://127.0.0.1:5678 (N8N_DEV_PORT to change) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=dev
. scripts/real-n8n/prepare.sh
exec npx ts-node --transpile-only scripts/real-n8n/dev.ts
