# Sourced by scripts: exports MYSQL_HOST/PORT/USER/PASSWORD of a server that answers (see mariadb.sh).
_mariadb_lines=$(bash "$(dirname "${BASH_SOURCE[0]}")/mariadb.sh") || return 1 2>/dev/null || exit 1
eval "$_mariadb_lines"
unset _mariadb_lines
