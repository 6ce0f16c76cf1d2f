#!/usr/bin/env bash
# Set up (first run only) and start the app on http://127.0.0.1:8501 with the embedded default data.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
