#!/usr/bin/env bash
# `npm run bench`: every bench/*.ts in turn, each printing its figures and ratios against a baseline
# measured in the same run. BENCH_QUICK=1 for a short smoke run; BENCH=name runs one (e.g. BENCH=mysql), or several
# (BENCH="mysql load").
# The package is built first (the mysql and load benches run dist/, as n8n does); BENCH_SKIP_BUILD=1 skips that.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/mariadb-env.sh
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then echo "=== build"; npm run --silent build >/dev/null; fi
status=0
for file in bench/*.ts; do
	name=$(basename "$file" .ts)
	if [ -n "${BENCH:-}" ] && [[ " ${BENCH//,/ } " != *" $name "* ]]; then continue; fi
	echo "=== bench: $name"
	npx ts-node --transpile-only "$file" || { echo "bench $name failed"; status=1; }
done
exit $status
