"""The Goal-seek page's sections: the question (target, year, confidence) and the groups it adds.

The question lives in the session key ``goal`` (declared in ui/state.py), which survives page switches; the
widgets write into it through callbacks.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from presentation import labels
from presentation.i18n import fmt_idr_short, fmt_number, t
from simulation.data import Region
from simulation.errors import ValidationError
from simulation.io import parse_number
from simulation.scenario import Scenario
from simulation.units import percent_value

from . import state

CUSTOM = "custom"
CONFIDENCES = (0.5, 0.8)


def fmt_target(x: float, lang: str) -> str:
    """45 -> "45", 45.5 -> "45,5" (id) / "45.5" (en): the way the user would type it."""
    x = round(float(x), 2)
    return fmt_number(x, lang, 0 if x.is_integer() else 1 if round(x, 1) == x else 2)


def pct_text(x: float, lang: str) -> str:
    return fmt_target(x, lang) + (" %" if lang == "id" else "%")


def _normalized_goal(by_id: dict, year_min: int, year_max: int) -> dict:
    """The stored goal made consistent with this region and scenario (region switch, edited targets)."""
    goal = st.session_state[state.GOAL.name]
    try:
        goal["target"] = float(goal.get("target", 45.0))
        goal["year"] = int(goal.get("year", year_min))
    except (TypeError, ValueError):
        goal.update(target=45.0, year=year_min)
    if not 0 < goal["target"] < 100:
        goal["target"] = 45.0
    goal["year"] = min(max(goal["year"], year_min), year_max)
    if goal.get("confidence") not in CONFIDENCES:
        goal["confidence"] = min(CONFIDENCES, key=lambda c: abs(c - float(goal.get("confidence") or 0.5)))
    if goal.get("choice") not in [*by_id, CUSTOM]:
        goal["choice"] = _matching_choice(goal, by_id)
    if goal["choice"] in by_id:  # a named target follows the scenario's current value of that target
        goal["target"], goal["year"] = by_id[goal["choice"]].coverage_pct, by_id[goal["choice"]].year
    return goal


def _matching_choice(goal: dict, by_id: dict) -> str:
    return next((i for i, tg in by_id.items()
                 if tg.year == goal["year"] and abs(tg.coverage_pct - goal["target"]) < 1e-9), CUSTOM)


def goal_inputs(targets: list, years: list[int], lang: str) -> dict:
    """Target (one of ``targets`` or typed), year and confidence; returns the goal (target, year, confidence)."""
    by_id = {tg.id: tg for tg in targets}
    goal = _normalized_goal(by_id, years[0], years[-1])
    k_choice, k_target, k_year, k_conf = (state.widget_key("goal", k) for k in ("choice", "target", "year",
                                                                                  "confidence"))

    def on_choice() -> None:
        choice = goal["choice"] = st.session_state[k_choice]
        if choice in by_id:
            goal["target"], goal["year"] = by_id[choice].coverage_pct, by_id[choice].year
            st.session_state[k_target] = fmt_target(goal["target"], lang)
            st.session_state[k_year] = goal["year"]

    def on_target() -> None:
        text = st.session_state[k_target]
        try:
            value = parse_number(text, lang)
        except ValueError:
            state.flash("error", t("goalseek.bad_target", lang, value=str(text)[:40]))
            st.session_state[k_target] = fmt_target(goal["target"], lang)
            return
        try:  # the one percent rule of every door (simulation/units.py): 0,45 is asked about, a count refused
            value = percent_value(value, "target", written_with_percent_sign="%" in str(text))
        except ValidationError as exc:
            key = f"errors.{exc.code}" if exc.code in ("ambiguous_percent", "count_not_percent") \
                else "goalseek.target_range"
            state.flash("error", t(key, lang, value=fmt_number(value, lang, 4).rstrip("0").rstrip(",."),
                                   percent=fmt_target(value * 100, lang)))
            st.session_state[k_target] = fmt_target(goal["target"], lang)
            return
        goal["target"] = value
        st.session_state[k_choice] = goal["choice"] = _matching_choice(goal, by_id)

    def on_year() -> None:
        goal["year"] = int(st.session_state[k_year])
        st.session_state[k_choice] = goal["choice"] = _matching_choice(goal, by_id)

    def on_confidence() -> None:
        value = st.session_state[k_conf]
        if value in CONFIDENCES:
            goal["confidence"] = value
        else:  # a radio cannot be emptied, but keep the model valid whatever arrives
            st.session_state[k_conf] = goal["confidence"]

    def choice_label(choice: str) -> str:
        if choice == CUSTOM:
            return t("goalseek.custom", lang)
        tg = by_id[choice]
        return t("goalseek.target_option", lang, name=tg.name, pct=pct_text(tg.coverage_pct, lang), year=tg.year)

    state.seed(k_choice, goal["choice"])
    state.seed(k_target, fmt_target(goal["target"], lang))
    state.seed(k_year, goal["year"])
    state.seed(k_conf, goal["confidence"])
    c1, c2, c3 = st.columns([2.2, 1, 1])
    c1.selectbox(t("goalseek.choose_target", lang), [*by_id, CUSTOM], key=k_choice, format_func=choice_label,
                 on_change=on_choice, help=t("goalseek.choose_target_help", lang))
    c2.text_input(t("goalseek.target_pct", lang), key=k_target, on_change=on_target,
                  help=t("goalseek.target_pct_help", lang))
    c3.selectbox(t("goalseek.target_year", lang), years, key=k_year, on_change=on_year,
                 help=t("goalseek.year_help", lang, first=years[0], last=years[-1]))
    st.radio(t("goalseek.confidence", lang), CONFIDENCES, key=k_conf, horizontal=True,
             format_func=lambda c: t("goalseek.conf_median" if c == 0.5 else "goalseek.conf_80", lang),
             on_change=on_confidence, help=t("goalseek.confidence_help", lang))
    return goal


def groups_table(res, scenario: Scenario, region: Region, year: int, lang: str) -> None:
    """The groups the goal-seek adds, in priority order: members taken, participants, cost, where sizes come from."""
    defaults = {g.id: g for g in region.groups}
    rows = []
    for _, s in res.steps.iterrows():
        g = scenario.group(s["group_id"])
        d = defaults.get(g.id)
        if d is None or int(d.members.value) != g.members:
            size = "goalseek.size_user"
        else:
            size = "goalseek.size_assumed" if d.members.is_assumption else "goalseek.size_data"
        rows.append({
            t("goalseek.col_priority", lang): str(g.priority),
            t("goalseek.col_group", lang): labels.group_label(g, region, lang),
            t("goalseek.col_members", lang): t("goalseek.members_of", lang, n=fmt_number(s["members"], lang),
                                               total=fmt_number(g.members, lang)),
            t("goalseek.col_participants", lang): fmt_number(s["participants"], lang),
            t("goalseek.col_net", lang): fmt_number(s["added_net"], lang),
            t("goalseek.col_cost", lang, year=year): fmt_idr_short(s["cost_idr"], lang),
            t("goalseek.col_source", lang): t(size, lang),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if any(r[t("goalseek.col_source", lang)] == t("goalseek.size_assumed", lang) for r in rows):
        st.caption("🏷️ " + t("goalseek.size_assumed_note", lang))
