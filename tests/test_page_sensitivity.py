"""Sensitivitas / Sensitivity page, driven with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import drawn_charts, rerun_with_scenario
from streamlit.testing.v1 import AppTest

from presentation.i18n import fmt_number, fmt_pct, t
from simulation import sensitivity
from simulation.data import load_region

PAGE = "views/sensitivity.py"


def _open(lang: str = "id", scenario=None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    if lang != "id":
        at.session_state["lang"] = lang
    if scenario is not None:
        at.session_state["scenarios"]["pontianak"] = scenario
    at.switch_page(PAGE)
    at.run()
    assert not at.exception and not at.error
    return at


def _charts(at: AppTest) -> list[tuple[dict, list]]:
    """(spec, [data frames]) of each chart on the page."""
    return [(json.loads(spec), frames) for spec, frames in drawn_charts(at)]


def _sentence(at: AppTest) -> str:
    return at.info[0].value


def test_chart_data_holds_every_assumption_and_the_sentence_names_the_largest():
    at = _open()
    scenario = at.session_state["scenarios"]["pontianak"]
    sens = sensitivity(scenario, load_region("pontianak"))
    charts = _charts(at)
    assert len(charts) == 3   # coverage, coverage without the trend (zoomed), cost
    spec, frames = charts[0]
    data = next(f for f in frames if "assumption" in f.columns)
    assert set(data["assumption"]) == set(sens["assumption"])
    assert set(data["name"]) == {t(f"sens.{k}", "id") for k in sens["assumption"]}
    assert spec["title"]["text"] == t("chart.tornado_title_coverage", "id", year=int(sens["year"][0]))
    # each label says what low and high mean, written the Indonesian way
    take_up = data[data["assumption"] == "take_up"].iloc[0]
    assert take_up["range_text"] == t("sensitivity.axis_range", "id", low="×0,7", high="×1,1")
    cost_data = next(f for f in charts[2][1] if "assumption" in f.columns)
    assert set(cost_data["assumption"]) == set(sens["assumption"])

    # the sentence: with only three years of history the trend's own range dominates: say so, then the largest policy one
    top = sens.iloc[0]
    policy = sens[sens["assumption"] != "trend"].iloc[0]
    sentence = _sentence(at)
    assert top["assumption"] == "trend"
    assert fmt_number(top["coverage_swing_pp"], "id", 1) in sentence
    assert "3" in sentence and t("sens." + policy["assumption"], "id") in sentence
    assert fmt_number(policy["coverage_swing_pp"], "id", 1) in sentence


def test_sentence_follows_the_engine_when_a_policy_assumption_changes():
    region = load_region("pontianak")
    base = AppTest.from_file("../app.py", default_timeout=60)
    base.run()
    scenario = base.session_state["scenarios"]["pontianak"].with_group(
        "street_vendors", in_scope=True, members=20_000, dropout=0.4)
    sens = sensitivity(scenario, region)
    policy = sens[sens["assumption"] != "trend"].iloc[0]
    assert policy["assumption"] == "dropout"
    at = _open(scenario=scenario)
    sentence = _sentence(at)
    assert t("sens.dropout", "id") in sentence
    assert fmt_pct(min(policy["coverage_low_pct"], policy["coverage_high_pct"]), "id", 1) in sentence
    table = at.table[0].value
    first = table.iloc[0]
    assert first[t("sensitivity.col_assumption", "id")] == t(f"sens.{sens['assumption'][0]}", "id")
    assert first[t("sensitivity.col_cov_low", "id")] == fmt_pct(sens["coverage_low_pct"][0], "id", 2)


def test_language_switch_changes_labels():
    at_id = _open()
    at_en = _open("en")
    assert at_id.title[0].value == t("sensitivity.title", "id")
    assert at_en.title[0].value == t("sensitivity.title", "en")
    assert [tab.label for tab in at_en.tabs][0] != [tab.label for tab in at_id.tabs][0]
    assert _sentence(at_en) != _sentence(at_id) and "points" in _sentence(at_en)
    data = next(f for f in _charts(at_en)[0][1] if "assumption" in f.columns)
    assert set(data["name"]) == {t(f"sens.{k}", "en") for k in data["assumption"]}
    assert (data["range_text"].str.contains("low")).all()
    header = list(at_en.table[0].value.columns)
    assert t("sensitivity.col_meaning", "en") in header


def test_an_edit_redraws_the_same_charts_with_the_engines_new_numbers():
    """After a scenario edit each tornado keeps its spec (only its tables are new, so the browser updates the
    drawn chart in place) while its bars, its result line and its axis follow the engine's new figures."""
    region = load_region("pontianak")
    base = AppTest.from_file("../app.py", default_timeout=60)
    base.run()
    start = base.session_state["scenarios"]["pontianak"].replace(city_share=0.6)
    edited = start.replace(city_share=0.55)
    at = _open(scenario=start)
    sens = sensitivity(edited, region)
    old = sensitivity(start, region)
    for swing in ("coverage_swing_pp", "cost_swing_idr"):   # the bars' order is part of the spec: the same here
        assert list(sens.sort_values(swing, kind="stable")["assumption"]) == \
            list(old.sort_values(swing, kind="stable")["assumption"])
    before, after = rerun_with_scenario(at, edited)
    assert [spec for spec, _ in after] == [spec for spec, _ in before]
    for (_, frames_before), (_, frames_after) in zip(before, after, strict=True):
        assert any(not a.equals(b) for a, b in zip(frames_before, frames_after, strict=True))
    frames = after[2][1]   # cost, in Rp billion
    data = next(f for f in frames if "assumption" in f.columns)
    take_up = data[data["assumption"] == "take_up"].iloc[0]
    engine = sens[sens["assumption"] == "take_up"].iloc[0]
    assert take_up["cost_low_idr"] * 1e9 == pytest.approx(engine["cost_low_idr"])
    assert take_up["cost_high_idr"] * 1e9 == pytest.approx(engine["cost_high_idr"])
    result = next(f for f in frames if list(f.columns) == ["v"])
    assert result["v"].iloc[0] * 1e9 == pytest.approx(engine["base_cost_idr"])
    extent = next(f for f in frames if list(f.columns) == ["x"])
    assert extent["x"].min() < data[["cost_low_idr", "cost_high_idr"]].min().min()
    assert extent["x"].max() > data[["cost_low_idr", "cost_high_idr"]].max().max()
