# Sourced by scripts: exports REDIS_HOST/REDIS_PORT of a Redis that answers (see redis.sh).
_redis_lines=$(bash "$(dirname "${BASH_SOURCE[0]}")/redis.sh") || return 1 2>/dev/null || exit 1
eval "$_redis_lines"
unset _redis_lines
