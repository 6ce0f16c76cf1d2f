"""Shared test set-up. Keep it small: each section says who owns it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `import simulation` works however pytest is started
    sys.path.insert(0, str(REPO))

# Every chart spec the tests draw or export is checked against the Vega-Lite schema (presentation/figures.py), in this
# process and in the app servers the browser tests start (they inherit the environment). Set before ui is imported.
os.environ["PBI_CHECK_CHARTS"] = "1"


# ============================================================================ engine tests (simulation/)
# One scenario builder shared by the engine test files. Session-scoped so that Hypothesis tests may use it.

def build_scenario(groups: list[dict] | None = None, **fields):
    """A validated scenario for Kota Pontianak from plain values (the way a saved file gives them).

    Each group dict needs only the fields the test cares about; ``id``/``name`` are filled in.
    Defaults: BPU JKK+JKM on the Rp1,000,000 floor, city pays all, 2026-2030, no cap, no targets.
    """
    from simulation.scenario import Scenario

    gs = []
    for i, g in enumerate(groups or []):
        g = dict(g)
        g.setdefault("id", f"g{i + 1}")
        g.setdefault("name", g["id"])
        gs.append(g)
    d = {"name": "test", "region": "pontianak", "start_year": 2026, "horizon_year": 2030, "groups": gs,
         "targets": []}
    d.update(fields)
    return Scenario.from_dict(d)


@pytest.fixture(scope="session")
def make_scenario():
    return build_scenario



# ============================================================================ storage tests (storage/)
# The two databases every storage test runs on: a SQLite file and a throwaway PostgreSQL server (started once per
# run, only when a test asks for it). Fixtures: backend, new_db, pg_cluster; see tests/storage_backends.py.
from storage_backends import backend, new_db, pg_cluster  # noqa: E402, F401
