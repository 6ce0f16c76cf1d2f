#!/usr/bin/env bash
# Set up (first run only) and run every test: engine, pages (AppTest) and the real browser (Chromium).
# Extra arguments go to pytest, e.g. ./test.sh -k forecast
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's Chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests need /usr/bin/chromium)" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
