#!/usr/bin/env bash
# Set up (first run only) and run the benchmark: every performance budget measured on this machine, the figures
# written to docs/PERFORMANCE.md. Extra arguments go to bench.run, e.g. ./bench.sh --quick or --only engine,app
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements-dev.txt
scripts/chromium.sh
scripts/postgresql.sh   # the load part runs two app servers on a throwaway PostgreSQL
exec .venv/bin/python -m bench.run "$@"
