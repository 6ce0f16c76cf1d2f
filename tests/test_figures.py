"""presentation/figures.py: a figure is Altair's own spec, built once per structure and reused with new numbers;
an invalid chart fails loudly wherever specs are checked (in every test run)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc
from altair.utils.schemapi import SchemaValidationError

from presentation import charts, figures
from simulation import default_scenario, project
from simulation.data import load_region

FRAME = pd.DataFrame({"year": [2024, 2025, 2026], "pct": [38.4, 40.9, 41.2], "low": [37.0, 39.0, 39.5]})
BUILDS: list[str] = []


def _valid(name: str) -> alt.TopLevelMixin:
    BUILDS.append(name)
    return alt.Chart(alt.NamedData(name)).mark_line().encode(x="year:O", y="pct:Q").properties(width=300)


def _invalid(name: str) -> alt.TopLevelMixin:
    # strokeWidth must be a number (or an expression), not a word: Vega-Lite's schema refuses it
    return alt.Chart(alt.NamedData(name)).mark_line(strokeWidth="thick").encode(x="year:O", y="pct:Q")


def test_the_tests_check_every_spec():
    """tests/conftest.py turns the schema check on, for every chart the tests draw (pages, exports, browser)."""
    assert figures.CHECK_SPECS is True


def test_an_invalid_figure_fails_when_specs_are_checked():
    with pytest.raises(SchemaValidationError):
        figures.figure(_invalid, ("t",), {"t": FRAME})


def test_an_invalid_altair_chart_fails():
    with pytest.raises(SchemaValidationError):
        figures.lean(alt.Chart(FRAME).mark_line(strokeWidth="thick").encode(x="year:O", y="pct:Q")).to_dict()


class _Built:
    """A stand-in for a built chart: records how ``figure`` asks for its spec."""

    asked: list[bool] = []

    def __init__(self, name: str):
        self.name = name

    def to_dict(self, validate: bool) -> dict:
        _Built.asked.append(validate)
        return {"data": {"name": self.name}, "mark": "line"}


@pytest.mark.parametrize("check", [True, False])
def test_the_whole_spec_is_validated_only_when_specs_are_checked(monkeypatch, check):
    """The app as started for users skips the whole-spec check (its cost is in docs/PERFORMANCE.md)."""
    monkeypatch.setattr(figures, "CHECK_SPECS", check)
    _Built.asked.clear()
    fig = figures.figure(_Built, (f"checked-{check}",), {f"checked-{check}": FRAME})
    assert _Built.asked == [check] and fig.template == {"data": {"name": f"checked-{check}"}, "mark": "line"}


def test_one_spec_per_structure_reused_across_numbers():
    """The builder runs once per structure: the same numbers-free spec comes back with the new tables."""
    BUILDS.clear()
    a = figures.figure(_valid, ("a",), {"a": FRAME})
    again = figures.figure(_valid, ("a",), {"a": FRAME.assign(pct=FRAME["pct"] + 1)})
    other = figures.figure(_valid, ("b",), {"b": FRAME})
    assert BUILDS == ["a", "b"]
    assert again.template is a.template and other.template is not a.template
    assert [r["pct"] for r in again.to_dict()["datasets"]["a"]] == pytest.approx([39.4, 41.9, 42.2])
    assert [r["pct"] for r in a.to_dict()["datasets"]["a"]] == pytest.approx([38.4, 40.9, 41.2])
    assert again.for_streamlit()["datasets"]["a"] is again.frames["a"]   # Streamlit sends the frame as Arrow
    with pytest.raises(ValueError, match="no table"):
        figures.figure(_valid, ("c",), {"other": FRAME})


def test_a_figures_spec_is_what_altair_builds():
    """The whole spec of a figure equals Altair's own ``to_dict`` of the same chart, tables inline."""
    fig = figures.figure(_valid, ("same",), {"same": FRAME})
    assert fig.to_dict() == {**_valid("same").to_dict(), "datasets": {"same": alt.to_values(FRAME)["values"]}}


def test_a_figure_draws_what_the_same_altair_chart_with_its_data_draws():
    fig = figures.figure(_valid, ("drawn",), {"drawn": FRAME})
    plain = alt.Chart(FRAME).mark_line().encode(x="year:O", y="pct:Q").properties(width=300)
    assert vlc.vegalite_to_png(fig.to_dict(), scale=1) == vlc.vegalite_to_png(plain.to_dict(), scale=1)


def test_the_fan_chart_keeps_its_spec_when_the_scenario_changes_only_numbers():
    """Two scenarios that differ in a number: the same spec object, other tables (the browser redraws in place)."""
    region = load_region("pontianak")
    s = default_scenario()
    a = charts.fan_chart(project(s.replace(city_share=0.9), region), "id")
    b = charts.fan_chart(project(s.replace(city_share=0.7), region), "id")
    assert a.template is b.template
    assert not a.frames["coverage"].equals(b.frames["coverage"])


def test_memo_keeps_a_built_chart_for_the_same_inputs():
    calls = []

    @figures.memo(maxsize=2)
    def build(df, lang):
        calls.append(lang)
        return object()

    first = build(FRAME, "id")
    assert build(FRAME.copy(), "id") is first and calls == ["id"]   # the same content: not built again
    assert build(FRAME.assign(pct=0.0), "id") is not first
    build(FRAME, "en")
    build(FRAME, "id")   # dropped as the least recently used of three: built again
    assert calls == ["id", "id", "en", "id"]


def test_lean_gives_a_copy_of_an_altair_chart_and_a_figure_as_it_is():
    chart = alt.Chart(FRAME).mark_line().encode(x="year:O", y="pct:Q")
    shown = figures.lean(chart)
    shown.title = "changed"
    assert chart.to_dict().get("title") is None
    fig = figures.figure(_valid, ("lean",), {"lean": FRAME})
    assert figures.lean(fig) is fig
