#!/usr/bin/env bash
# Makes sure Debian's chromium is installed (the editor screenshots drive it through playwright-core).
# Prints its path on stdout. Only calls apt when it is missing.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "[real-n8n] installing chromium with apt" >&2
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    chromium fonts-noto-cjk >&2
fi
echo "$CHROMIUM"
