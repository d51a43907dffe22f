#!/usr/bin/env bash
# `npm run bench`: every bench/*.ts in turn, each printing its figures and ratios against a baseline
# measured in the same run. BENCH_QUICK=1 for a short smoke run; BENCH=name runs one (e.g. BENCH=mysql).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/mariadb-env.sh
status=0
for file in bench/*.ts; do
	name=$(basename "$file" .ts)
	if [ -n "${BENCH:-}" ] && [ "$BENCH" != "$name" ]; then continue; fi
	echo "=== bench: $name"
	npx ts-node --transpile-only "$file" || { echo "bench $name failed"; status=1; }
done
exit $status
