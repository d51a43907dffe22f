#!/usr/bin/env bash
# `npm run demo:queue`: builds the package, installs the pinned real n8n (cached), finds or starts Redis and
# PostgreSQL (scripts/redis.sh, scripts/postgres.sh), then runs n8n in queue mode (main + two workers) against the
# Feishu emulator and prints which worker ran what (scripts/real-n8n/demoQueue.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
tag=demo:queue
. scripts/real-n8n/prepare.sh
exec npx ts-node --transpile-only scripts/real-n8n/demoQueue.ts
