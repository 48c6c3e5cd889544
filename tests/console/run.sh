#!/usr/bin/env bash
# The console's browser tests on a fresh machine: Debian's chromium (apt-get, when /usr/bin/chromium is missing),
# playwright-core from tests/console/package-lock.json (npm ci, when node_modules is missing), then run.mjs, which
# starts the local host (built: scripts/test.sh builds first) and ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium \
        || { echo "Cannot install chromium."; echo "0 passed, 1 failed"; exit 1; }
fi
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
exec node run.mjs "$@"
