"""Capai target / Goal-seek page, driven as a user would with Streamlit's AppTest."""

from __future__ import annotations

import dataclasses

import pytest
from apptest_helpers import rerun_with_scenario
from streamlit.testing.v1 import AppTest

from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, t
from simulation import goal_seek, project
from simulation.data import load_region
from ui import goalseek_sections

PAGE = "views/goalseek.py"


def _open(lang: str = "id") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    if lang != "id":
        at.session_state["lang"] = lang
        at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    return at


def _set_goal(at: AppTest, target: str, year: int, confidence: float | None = None) -> None:
    at.text_input(key="w.goal.target").set_value(target).run()
    at.selectbox(key="w.goal.year").set_value(year).run()
    if confidence is not None:
        at.radio(key="w.goal.confidence").set_value(confidence).run()
    assert not at.exception


def _metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0]


def _scenario(at: AppTest):
    return at.session_state["scenarios"]["pontianak"]


def _within_reach(scenario, year: int = 2028) -> float:
    """A target the candidate groups reach on the median (the city's 45 % in 2028 with the forecast of early
    2026): the scenario's median plus half of what every candidate group adds, read from the engine."""
    every = scenario.replace(groups=[dataclasses.replace(g, in_scope=True) for g in scenario.groups])
    cov = float(project(scenario).row(year)["coverage_pct"])
    return round(cov + 0.5 * (float(project(every).row(year)["coverage_pct"]) - cov), 1)


def test_numbers_are_the_engines_for_a_target_within_reach_in_2028():
    at = _open()
    scenario = _scenario(at)
    target = _within_reach(scenario)
    _set_goal(at, fmt_number(target, "id", 1), 2028, 0.5)
    res = goal_seek(scenario, target, 2028, confidence=0.5, region=load_region("pontianak"))
    assert res.feasible and not res.already_reached and res.extra_participants > 0

    assert _metric(at, t("goalseek.m_participants", "id")) == fmt_number(res.extra_participants, "id")
    assert _metric(at, t("goalseek.m_members", "id")) == fmt_number(res.extra_members, "id")
    assert _metric(at, t("goalseek.m_budget", "id", year=2028)) == fmt_idr_short(res.budget_idr, "id")
    assert _metric(at, t("goalseek.m_extra_budget", "id")) == fmt_idr_short(res.extra_budget_idr, "id")
    verdict = at.info[0].value
    assert fmt_number(res.extra_participants, "id") in verdict and "2028" in verdict
    assert fmt_pct(100 * res.probability, "id", 0) in verdict      # "reachable" never without its chance
    # the groups table lists the groups the engine filled, in its order, with Indonesian numbers
    table = at.dataframe[0].value
    assert list(table[t("goalseek.col_group", "id")]) == [
        load_region("pontianak").group(g).name("id") for g in res.steps["group_id"]]
    assert list(table[t("goalseek.col_participants", "id")]) == [fmt_number(x, "id") for x in res.steps["participants"]]
    # the curve is there, with the target marked
    assert at.get("vega_lite_chart")
    assert not at.error


def test_unreachable_target_says_so_without_a_traceback():
    at = _open()
    scenario = _scenario(at)
    _set_goal(at, "60", 2026)
    res = goal_seek(scenario, 60.0, 2026, confidence=0.5, region=load_region("pontianak"))
    assert not res.feasible
    assert not at.exception and not at.error
    warning = " ".join(w.value for w in at.warning)
    assert t("goalseek.verdict_unreachable", "id").split("{")[0] in warning
    assert fmt_number(res.shortfall_pct, "id", 1) in warning
    # the shortfall in persons: the missing points of that year's potential workers
    workers = project(res.scenario, load_region("pontianak")).row(2026)["potential_workers"]
    assert fmt_number(res.shortfall_pct / 100 * workers, "id") in warning
    assert "Traceback" not in warning


def test_inputs_survive_a_round_trip_through_the_overview():
    at = _open()
    _set_goal(at, "47,5", 2029, 0.8)
    assert at.session_state["goal"]["target"] == pytest.approx(47.5)
    at.switch_page("views/overview.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.text_input(key="w.goal.target").value == "47,5"
    assert at.selectbox(key="w.goal.year").value == 2029
    assert at.radio(key="w.goal.confidence").value == 0.8
    assert at.selectbox(key="w.goal.choice").value == "custom"
    assert "2029" in (at.info[0].value if at.info else at.warning[0].value)


def test_choosing_a_named_target_fills_in_its_figure_and_year():
    at = _open()
    at.selectbox(key="w.goal.choice").set_value("rpjmn_2029").run()
    assert not at.exception
    assert at.session_state["goal"]["target"] == pytest.approx(43.92)
    assert at.selectbox(key="w.goal.year").value == 2029
    assert at.text_input(key="w.goal.target").value == "43,92"


def test_apply_makes_the_working_scenario_reach_the_target():
    at = _open()
    before = _scenario(at)
    _set_goal(at, "45", 2028)
    assert project(before).row(2028)["coverage_pct"] < 45
    at.button(key="goalseek.apply").click().run()
    assert not at.exception
    after = _scenario(at)
    assert after != before
    assert project(after).row(2028)["coverage_pct"] >= 45 - 1e-6
    assert any("2028" in s.value for s in at.success)   # the flash and the "already reached" verdict
    # the inputs are still there after the widgets were reset by the new scenario
    assert at.text_input(key="w.goal.target").value == "45"
    assert at.selectbox(key="w.goal.year").value == 2028


def test_bad_target_shows_an_error_and_keeps_everything():
    at = _open()
    _set_goal(at, "45", 2028)
    scenario = _scenario(at)
    at.text_input(key="w.goal.target").set_value("empat puluh").run()
    assert not at.exception
    assert any("empat puluh" in e.value for e in at.error)
    assert at.session_state["goal"]["target"] == 45.0
    assert at.text_input(key="w.goal.target").value == "45"
    at.text_input(key="w.goal.target").set_value("150").run()    # a count where a percent is expected
    assert any(t("errors.count_not_percent", "id", value="150") == e.value for e in at.error)
    assert at.session_state["goal"]["target"] == 45.0
    at.text_input(key="w.goal.target").set_value("0,45").run()   # the one percent rule: asked, not read as 0,45 %
    assert any(t("errors.ambiguous_percent", "id", value="0,45", percent="45") == e.value for e in at.error)
    assert at.session_state["goal"]["target"] == 45.0
    at.text_input(key="w.goal.target").set_value("-5").run()
    assert any(t("goalseek.target_range", "id", value="-5") == e.value for e in at.error)
    assert _scenario(at) == scenario


def test_45_percent_in_2026_says_people_levers_chance_and_placeholders():
    """The council's question: not reachable with the groups alone, the workers left for compliance (about 2,150
    with the forecast of December 2026), the chance said as a chance (50 % with the plan), the people net and
    gross, and which sizes are placeholders."""
    at = _open()
    _set_goal(at, "45", 2026, 0.5)
    res = goal_seek(_scenario(at), 45.0, 2026, confidence=0.5, region=load_region("pontianak"))
    assert res.reachable and not res.feasible
    warning = " ".join(w.value for w in at.warning)
    assert t("goalseek.verdict_compliance", "id").split("{")[0] in warning
    assert fmt_number(res.compliance_needed, "id") in warning
    assert "peluang dengan rencana itu 50%" in warning or "peluang dengan rencana itu 50 %" in warning
    captions = " ".join(c.value for c in at.caption)
    assert fmt_number(res.needed_added, "id") in captions                              # net over the trend
    assert fmt_number(res.extra_participants, "id") in captions                        # gross
    assert "Pedagang kaki lima" in captions.split(t("goalseek.placeholders", "id").split("{")[0])[1]
    # applying it sets the groups and the compliance lever: the plan reaches 45 % in 2026
    at.button(key="goalseek.apply").click().run()
    after = _scenario(at)
    assert after.compliance_mode == "count" and after.compliance_per_year == pytest.approx(res.compliance_needed, abs=1)
    assert project(after).row(2026)["coverage_pct"] >= 45 - 1e-6


def test_language_switch_changes_labels_and_number_format():
    at = _open("en")
    target = _within_reach(_scenario(at))
    _set_goal(at, fmt_number(target, "en", 1), 2028)
    assert at.title[0].value == t("goalseek.title", "en")
    labels = [m.label for m in at.metric]
    assert t("goalseek.m_participants", "en") in labels and t("goalseek.m_participants", "id") not in labels
    res = goal_seek(_scenario(at), target, 2028, confidence=0.5, region=load_region("pontianak"))
    assert _metric(at, t("goalseek.m_participants", "en")) == fmt_number(res.extra_participants, "en")
    assert "," in fmt_number(res.extra_participants, "en")
    assert _metric(at, t("goalseek.m_share", "en") + " 🏷️").endswith("%")
    assert goalseek_sections.pct_text(target, "en") in at.info[0].value      # "42.5%", as the verdict writes it


def test_an_edit_redraws_the_same_curve_with_the_engines_new_points():
    """After a scenario edit the cost-coverage curve keeps its spec (only its tables are new, so the browser
    updates the drawn chart in place) and its points are the engine's new curve, the target line at its value."""
    from simulation.goalseek import cost_coverage_curve

    at = _open()
    _set_goal(at, "45", 2028, 0.5)
    edited = _scenario(at).replace(city_share=0.6)
    [(spec_before, frames_before)], [(spec_after, frames_after)] = rerun_with_scenario(at, edited)
    assert spec_after == spec_before
    points = next(f for f in frames_after if "step" in f.columns)
    assert not points.equals(next(f for f in frames_before if "step" in f.columns))
    engine = cost_coverage_curve(edited, 2028, region=load_region("pontianak"))
    assert list(points["coverage_pct"]) == pytest.approx(list(engine["coverage_pct"]))
    assert list(points["cost_bn"] * 1e9) == pytest.approx(list(engine["cost_idr"]))
    target = next(f for f in frames_after if "text" in f.columns and "y" in f.columns)
    assert target["y"].iloc[0] == 45
