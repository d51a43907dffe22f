# Sourced by demo.sh and dev.sh (with `tag` set): build the package, find or start MariaDB (exports
# MYSQL_*), install the pinned real n8n (cached outside the checkout).
step() { echo "[$tag] $*" >&2; }
step "building the package"
npm run --silent build >&2 || { echo "$tag: the build failed (npm run build): nothing to install into n8n" >&2; exit 1; }
step "MariaDB"
. scripts/mariadb-env.sh
step "real n8n (first time: about 4 minutes; cached afterwards)"
bash scripts/real-n8n/install.sh >/dev/null
