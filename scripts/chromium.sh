#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium (the browser tests and the benchmark drive it).
# As root it is installed with apt-get; otherwise this says what to run. Never downloads a browser of its own.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's Chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the browser parts need /usr/bin/chromium)" >&2
  fi
fi
