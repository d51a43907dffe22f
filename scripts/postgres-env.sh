# Sourced by scripts: exports PG_HOST/PG_PORT/PG_USER of a PostgreSQL that answers (see postgres.sh).
_pg_lines=$(bash "$(dirname "${BASH_SOURCE[0]}")/postgres.sh") || return 1 2>/dev/null || exit 1
eval "$_pg_lines"
unset _pg_lines
