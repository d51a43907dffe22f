#!/usr/bin/env bash
# `npm run demo`: from a fresh clone (after `npm ci`) builds the package, finds or starts MariaDB, installs the
# pinned real n8n (cached outside the checkout), then runs every template against the Feishu and WPS emulators
# in a local n8n and prints a short report (scripts/real-n8n/demo.ts). Idempotent: each run starts from scratch.
# Exits non-zero, naming the part, when something is not available yet or did not work.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=demo
. scripts/real-n8n/prepare.sh
exec npx ts-node --transpile-only scripts/real-n8n/demo.ts
