"""presentation/figures.py: the cheaper ways of building and converting charts draw what Altair would draw, and an
invalid chart still fails loudly wherever specs are checked (in every test run)."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc
from altair.utils.schemapi import SchemaValidationError

from presentation import charts, figures  # noqa: F401  (presentation.charts installs fastcharts)

FRAME = pd.DataFrame({"year": [2024, 2025, 2026], "pct": [38.4, 40.9, 41.2], "low": [37.0, 39.0, 39.5]})


def _valid(name: str) -> alt.TopLevelMixin:
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


def test_an_invalid_lean_chart_fails_when_specs_are_checked():
    chart = alt.Chart(FRAME).mark_line(strokeWidth="thick").encode(x="year:O", y="pct:Q")
    with pytest.raises(SchemaValidationError):
        figures.lean(chart).to_dict()


def test_without_the_check_a_spec_is_built_as_it_is(monkeypatch):
    """The app as started for users skips the check (its cost is in docs/PERFORMANCE.md): the spec is what
    Altair gives without validation."""
    monkeypatch.setattr(figures, "CHECK_SPECS", False)
    fig = figures.figure(_invalid, ("unchecked",), {"unchecked": FRAME})
    assert fig.template["mark"]["strokeWidth"] == "thick"


def test_a_figure_is_built_once_per_structure_and_carries_its_tables():
    a = figures.figure(_valid, ("a",), {"a": FRAME})
    again = figures.figure(_valid, ("a",), {"a": FRAME.assign(pct=FRAME["pct"] + 1)})
    other = figures.figure(_valid, ("b",), {"b": FRAME})
    assert again.template is a.template and other.template is not a.template
    assert [r["pct"] for r in again.to_dict()["datasets"]["a"]] == pytest.approx([39.4, 41.9, 42.2])
    with pytest.raises(ValueError, match="no table"):
        figures.figure(_valid, ("c",), {"other": FRAME})


def test_a_lean_layered_chart_draws_what_altair_draws():
    """A layered chart whose layers share one table gives it once, to the chart: the same picture."""
    base = alt.Chart(FRAME)
    chart = alt.layer(base.mark_area(fillOpacity=0.3).encode(x="year:O", y="low:Q", y2="pct:Q"),
                      base.mark_line().encode(x="year:O", y="pct:Q")).properties(width=300, height=200)
    lean = figures.lean(chart).to_dict()
    assert "data" in lean or "datasets" in lean
    assert vlc.vegalite_to_png(lean, scale=1) == vlc.vegalite_to_png(chart.to_dict(), scale=1)


# ---------------------------------------------------------------------------- stored templates (first page)
def _refresh_script():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "refresh_chart_templates.py"
    spec = importlib.util.spec_from_file_location("refresh_chart_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stored_doc() -> dict:
    return json.loads(figures.STORE_FILE.read_text(encoding="utf-8"))


def test_stored_templates_were_made_by_this_code():
    assert _stored_doc()["version"] == figures.code_version(), \
        "a chart, title, translation or Altair changed: run .venv/bin/python scripts/refresh_chart_templates.py"


def test_stored_templates_are_the_first_pages_charts_built_afresh():
    """Each stored template is exactly the spec the app would build (and check) now, for every shipped region
    and both languages; and the app uses them."""
    fresh = _refresh_script().first_page_templates()
    stored = _stored_doc()["templates"]
    assert len(stored) == 4 and set(fresh) == set(stored)
    for key, template in stored.items():
        assert template == fresh[key], key
    assert figures.stored_templates() == stored


def test_stored_templates_of_other_code_are_not_used(tmp_path, monkeypatch):
    doc = _stored_doc()
    doc["version"] = "0" * 16
    other = tmp_path / "chart_templates.json"
    other.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(figures, "STORE_FILE", other)
    figures.stored_templates.cache_clear()
    try:
        assert figures.stored_templates() == {}
        other.write_text("not json", encoding="utf-8")
        figures.stored_templates.cache_clear()
        assert figures.stored_templates() == {}
    finally:
        figures.stored_templates.cache_clear()
