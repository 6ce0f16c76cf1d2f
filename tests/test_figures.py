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


def _compare_projections(region, n_extra: int = 0) -> list:
    from presentation import labels
    s = default_scenario()
    extra = [s.replace(name=f"Varian {i} dengan nama yang cukup panjang", city_share=0.5 + 0.05 * i)
             for i in range(n_extra)]
    return [project(x, region) for x in labels.presets(s, region, "id") + extra]


def test_the_compare_chart_keeps_its_spec_when_a_variant_is_taken_out_or_put_back():
    """The series' names travel in the table: toggling a variant (or one that repeats another line) is new data
    for the same spec, which the browser redraws in place instead of building the chart again."""
    ps = _compare_projections(load_region("pontianak"))
    every = charts.compare_chart(ps, "id")
    assert charts.compare_chart(ps[:2], "id").template is every.template
    assert charts.compare_chart(ps[:2] + ps[3:], "id").template is every.template
    assert set(every.frames["compare"]["name"]) > {p.scenario.name for p in ps}
    assert not any(p.scenario.name in str(every.template) for p in ps)


def test_a_copy_of_a_line_draws_its_dashes_as_the_shifted_pattern_would():
    """charts._copy_dash writes "dash d, gap k·d, shifted by j·d" as a dash array without an offset: the same
    pixels, for each copy of a line repeated three times."""
    frame = pd.DataFrame({"year": [2024, 2025, 2026, 2027], "pct": [38.4, 40.9, 41.2, 43.0]})
    for j in (1, 2, 3):
        d, k = charts.COPY_DASH, 3
        shifted = alt.Chart(frame).mark_line(strokeWidth=3, strokeDash=[d, k * d], strokeDashOffset=j * d)
        from_table = alt.Chart(frame.assign(dash=charts._copy_dash(j, k))).mark_line(strokeWidth=3).encode(
            strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None))
        specs = [c.encode(x="year:O", y="pct:Q").properties(width=300).to_dict() for c in (shifted, from_table)]
        assert vlc.vegalite_to_png(specs[0], scale=1) == vlc.vegalite_to_png(specs[1], scale=1), j


def test_the_compare_legend_stays_within_the_chart_with_many_series():
    """Eight and more series: the legend wraps into columns under the plot instead of running off to the right
    (the image is as wide as with three)."""
    import io

    from PIL import Image
    ps = _compare_projections(load_region("pontianak"), n_extra=5)
    pngs = [vlc.vegalite_to_png(charts.compare_chart(sel, "id").to_dict(), scale=1) for sel in (ps[:2], ps)]
    widths = [Image.open(io.BytesIO(png)).width for png in pngs]
    assert len(ps) + 1 >= 9 and widths[1] == widths[0]
