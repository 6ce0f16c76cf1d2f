"""Overview page (views/overview.py): the region's standing in persons, as the region data give it."""

from __future__ import annotations

from apptest_helpers import open_view

from presentation.i18n import fmt_number, t
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


def test_a_region_on_marked_defaults_says_which_inputs_are_assumptions():
    """Ketapang publishes no groups, formal share or growth rates: the Overview names each default it runs on."""
    from apptest_helpers import REPO
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.run()
    at.session_state["region_id"] = "kab_ketapang"
    at.run()
    assert not at.exception and not at.error
    note = next(c.value for c in at.caption if "Nilai bawaan" in c.value)
    for field in load_region("kab_ketapang").defaulted:   # groups, formal share, growth of workers and APBD ...
        assert t(f"region.field.{field}", "id") in note, field
    # Pontianak publishes all of them: no such note
    at.session_state["region_id"] = "pontianak"
    at.run()
    assert not [c for c in at.caption if "Nilai bawaan" in c.value]
