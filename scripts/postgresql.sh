#!/usr/bin/env bash
# Make sure PostgreSQL's server programs are present: the storage tests run on SQLite and on a throwaway PostgreSQL
# cluster that tests/storage_backends.py makes with initdb and pg_ctl from /usr/lib/postgresql/<version>/bin (Debian's
# `postgresql` package; the package's own cluster service is not used). As root it is installed with apt-get;
# otherwise this says what to run.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing postgresql for the storage tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql) >/dev/null
  else
    echo "missing postgresql: run 'sudo apt-get install -y postgresql' (the storage tests need it)" >&2
  fi
fi
