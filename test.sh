#!/usr/bin/env bash
# Set up (first run only), lint (ruff) and run every test: engine, pages (AppTest), storage (on SQLite and on a
# throwaway PostgreSQL) and the real browser (Chromium).
# Extra arguments go to pytest, e.g. ./test.sh -k forecast
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements-dev.txt
scripts/chromium.sh
scripts/renderers.sh
scripts/postgresql.sh
echo 'ruff check .' && .venv/bin/ruff check --quiet . && echo 'ruff: clean'
exec .venv/bin/python -m pytest "$@"
