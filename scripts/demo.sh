#!/usr/bin/env bash
# `npm run demo`: from a fresh clone (after `npm ci`) builds the package, finds or starts MariaDB, installs the
# pinned real n8n (cached outside the checkout), then runs every template against the Feishu and WPS emulators
# in a local n8n and prints a short report (scripts/real-n8n/demo.ts). Idempotent: each run starts from scratch.
# Exits non-zero, naming the part, when something is not available yet or did not work.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "[demo] $*" >&2; }
step "building the package"
npm run --silent build >&2 || { echo "demo: the build failed (npm run build): nothing to install into n8n" >&2; exit 1; }
step "MariaDB"
. scripts/mariadb-env.sh
step "real n8n (first time: about 4 minutes; cached afterwards)"
bash scripts/real-n8n/install.sh >/dev/null
exec npx ts-node --transpile-only scripts/real-n8n/demo.ts
