"""Overview page (views/overview.py): the region's standing in persons, as the region data give it."""

from __future__ import annotations

from apptest_helpers import open_view

from presentation.i18n import fmt_number
from simulation.data import load_region


def test_covered_and_uncovered_workers_are_the_last_observation_in_persons():
    region = load_region("pontianak")
    last = region.coverage_history[-1]
    workers = region.potential_workers_in(last.year)          # 246,678 potential workers in 2025
    covered = workers * last.value / 100                        # 40 % of them: 98,671
    at = open_view("views/overview.py")
    values = {m.label: m.value for m in at.metric}
    assert values[f"Terlindungi {last.year}"] == fmt_number(covered, "id")
    assert values[f"Belum terlindungi {last.year}"] == fmt_number(workers - covered, "id")
