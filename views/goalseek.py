"""Capai target / Goal-seek: what it takes to reach a coverage target in a given year.

Pick one of the scenario's targets (or a custom one), a year and a confidence; the
engine fills the groups not yet in scope in priority order until the target is
reached, and says who, how many and what budget. "Apply" makes that the working
scenario.
"""

import pandas as pd
import streamlit as st

from presentation import charts, labels
from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, t
from simulation.errors import ValidationError
from simulation.io import parse_number
from ui import model, state, widgets

CUSTOM = "custom"
CONFIDENCES = (0.5, 0.8)
LAST_YEAR = 2035  # the year list reaches at least this far (or the scenario's horizon, if later)

lang = state.lang()
region = state.region()
scenario = state.scenario()
shown = labels.localized(scenario, region, lang)
goal = st.session_state["goal"]

year_min = region.last_history_year + 1
year_max = max(scenario.horizon_year, LAST_YEAR, year_min)
years = list(range(year_min, year_max + 1))
targets = [tg for tg in shown.targets if year_min <= tg.year <= year_max and 0 < tg.coverage_pct < 100]
by_id = {tg.id: tg for tg in targets}


def _fmt_target(x: float) -> str:
    """45 -> "45", 45.5 -> "45,5" (id) / "45.5" (en): the way the user would type it."""
    x = round(float(x), 2)
    return fmt_number(x, lang, 0 if x.is_integer() else 1 if round(x, 1) == x else 2)


def _pct(x: float) -> str:
    return _fmt_target(x) + (" %" if lang == "id" else "%")


def _matching_choice() -> str:
    return next((tg.id for tg in targets if tg.year == goal["year"] and abs(tg.coverage_pct - goal["target"]) < 1e-9),
                CUSTOM)


# ---- make the stored goal consistent with this region and scenario (region switch, edited targets)
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
    goal["choice"] = _matching_choice()
if goal["choice"] in by_id:  # a named target follows the scenario's current value of that target
    goal["target"], goal["year"] = by_id[goal["choice"]].coverage_pct, by_id[goal["choice"]].year


# ---- callbacks: widgets write into st.session_state["goal"], the model state that survives page switches
def _on_choice() -> None:
    choice = st.session_state["w.goal.choice"]
    goal["choice"] = choice
    if choice in by_id:
        goal["target"], goal["year"] = by_id[choice].coverage_pct, by_id[choice].year
        st.session_state["w.goal.target"] = _fmt_target(goal["target"])
        st.session_state["w.goal.year"] = goal["year"]


def _on_target() -> None:
    text = st.session_state["w.goal.target"]
    try:
        value = parse_number(text, lang)
    except ValueError:
        state.flash("error", t("goalseek.bad_target", lang, value=str(text)[:40]))
        st.session_state["w.goal.target"] = _fmt_target(goal["target"])
        return
    if not 0 < value < 100:
        state.flash("error", t("goalseek.target_range", lang, value=fmt_number(value, lang, 2)))
        st.session_state["w.goal.target"] = _fmt_target(goal["target"])
        return
    goal["target"] = value
    goal["choice"] = _matching_choice()
    st.session_state["w.goal.choice"] = goal["choice"]


def _on_year() -> None:
    goal["year"] = int(st.session_state["w.goal.year"])
    goal["choice"] = _matching_choice()
    st.session_state["w.goal.choice"] = goal["choice"]


def _on_confidence() -> None:
    value = st.session_state["w.goal.confidence"]
    if value in CONFIDENCES:
        goal["confidence"] = value
    else:  # a radio cannot be emptied, but keep the model valid whatever arrives
        st.session_state["w.goal.confidence"] = goal["confidence"]


def _choice_label(choice: str) -> str:
    if choice == CUSTOM:
        return t("goalseek.custom", lang)
    tg = by_id[choice]
    return t("goalseek.target_option", lang, name=tg.name, pct=_pct(tg.coverage_pct), year=tg.year)


# ---- page
st.title(t("goalseek.title", lang))
st.caption(t("goalseek.intro", lang, scenario=shown.name))

state.seed("w.goal.choice", goal["choice"])
state.seed("w.goal.target", _fmt_target(goal["target"]))
state.seed("w.goal.year", goal["year"])
state.seed("w.goal.confidence", goal["confidence"])

c1, c2, c3 = st.columns([2.2, 1, 1])
c1.selectbox(t("goalseek.choose_target", lang), [*by_id, CUSTOM], key="w.goal.choice", format_func=_choice_label,
             on_change=_on_choice, help=t("goalseek.choose_target_help", lang))
c2.text_input(t("goalseek.target_pct", lang), key="w.goal.target", on_change=_on_target,
              help=t("goalseek.target_pct_help", lang))
c3.selectbox(t("goalseek.target_year", lang), years, key="w.goal.year", on_change=_on_year,
             help=t("goalseek.year_help", lang, first=year_min, last=year_max))
st.radio(t("goalseek.confidence", lang), CONFIDENCES, key="w.goal.confidence", horizontal=True,
         format_func=lambda c: t("goalseek.conf_median" if c == 0.5 else "goalseek.conf_80", lang),
         on_change=_on_confidence, help=t("goalseek.confidence_help", lang))

target, year, conf = goal["target"], goal["year"], goal["confidence"]
try:
    res = model.goal_seek(scenario, region, target, year, conf)
except ValidationError as exc:
    st.error(state.error_text(exc))
    st.stop()

p_res = model.project(res.scenario, region)
row = p_res.row(year)
reached_pct = min(100.0, res.baseline_pct + float(row["added_points_pp"]))   # at the chosen confidence
cur_row = model.project(scenario.replace(budget_cap_idr=None, horizon_year=max(year, scenario.horizon_year)),
                        region).row(year)   # the scenario as it is, without its cap (as the engine compares)
current_pct = min(100.0, res.baseline_pct + float(cur_row["added_points_pp"]))
workers = float(row["potential_workers"])
conf_words = t("goalseek.at_median" if conf == 0.5 else "goalseek.at_80", lang)
tgt = _pct(target)

# ---- verdict
if res.already_reached:
    key = "goalseek.verdict_trend" if res.baseline_pct >= target else "goalseek.verdict_reached"
    st.success(t(key, lang, target=tgt, year=year, conf=conf_words, base=fmt_pct(res.baseline_pct, lang),
                 pct=fmt_pct(current_pct, lang)), icon="✅")
elif res.feasible:
    st.info(t("goalseek.verdict_feasible", lang, target=tgt, year=year, conf=conf_words,
              n=fmt_number(res.extra_participants, lang), members=fmt_number(res.extra_members, lang),
              groups=", ".join(labels.group_label(scenario.group(gid), region, lang) for gid in res.steps["group_id"]),
              cost=fmt_idr_short(res.extra_budget_idr, lang)), icon="🎯")
else:
    st.warning(t("goalseek.verdict_unreachable", lang, target=tgt, year=year, conf=conf_words,
                 pct=fmt_pct(reached_pct, lang), pp=fmt_number(res.shortfall_pct, lang, 1),
                 workers=fmt_number(res.shortfall_pct / 100 * workers, lang)), icon="⚠️")

st.caption(t("goalseek.context", lang, year=year, conf=conf_words, base=fmt_pct(res.baseline_pct, lang),
             cur=fmt_pct(current_pct, lang), target=tgt, needed=fmt_number(res.needed_added, lang),
             workers=fmt_number(workers, lang)))

# ---- metrics
apbd = region.apbd_in(year)
apbd_assumed = any(v.certainty == "A" for v in region.apbd) or (
    year not in {v.year for v in region.apbd} and region.apbd_growth_pct.certainty == "A")
share_help = t("goalseek.m_share_help", lang, apbd=fmt_idr_short(apbd, lang), year=year)
if apbd_assumed:
    share_help += " " + t("goalseek.assumption_badge", lang)
reached_metric = (t("goalseek.m_reached", lang, year=year), fmt_pct(reached_pct, lang),
                  t("goalseek.m_reached_help", lang, conf=conf_words))
share_metric = (t("goalseek.m_share", lang) + (" 🏷️" if apbd_assumed else ""),
                fmt_pct(res.budget_idr / apbd * 100, lang, 3), share_help)
budget_metric = (t("goalseek.m_budget", lang, year=year), fmt_idr_short(res.budget_idr, lang),
                 t("goalseek.m_budget_help", lang))
if res.already_reached:  # nothing to add: what the scenario reaches and what it costs
    rows_of_metrics = [[reached_metric, budget_metric, share_metric]]
else:
    rows_of_metrics = [
        [(t("goalseek.m_participants", lang), fmt_number(res.extra_participants, lang),
          t("goalseek.m_participants_help", lang, year=year)),
         (t("goalseek.m_members", lang), fmt_number(res.extra_members, lang), t("goalseek.m_members_help", lang)),
         reached_metric],
        [budget_metric,
         (t("goalseek.m_extra_budget", lang), fmt_idr_short(res.extra_budget_idr, lang),
          t("goalseek.m_extra_budget_help", lang)),
         share_metric]]
widgets.compact_metrics()
for metrics in rows_of_metrics:
    for col, (label, value, help_text) in zip(st.columns(3), metrics, strict=True):
        col.metric(label, value, help=help_text)
if apbd_assumed:
    st.caption("🏷️ " + t("goalseek.apbd_assumed", lang, apbd=fmt_idr_short(apbd, lang), year=year))

# ---- groups filled, in priority order
st.subheader(t("goalseek.groups_title", lang))
st.caption(t("goalseek.priority_note", lang))
if res.steps.empty:
    # nothing added: either the target is already met, or every group is already in the scenario
    st.write(t("goalseek.no_groups" if res.already_reached else "goalseek.no_groups_left", lang))
else:
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

# ---- apply
if not res.steps.empty:
    def _apply() -> None:
        state.set_scenario(res.scenario)
        state.flash("success", t("goalseek.applied", lang, n=len(res.steps), target=tgt, year=year))

    a1, a2 = st.columns([1, 2])
    a1.button(t("goalseek.apply", lang), type="primary", on_click=_apply, key="goalseek.apply",
              help=t("goalseek.apply_help", lang))
    a2.caption(t("goalseek.apply_note", lang)
               + (" " + t("goalseek.apply_cap_note", lang) if scenario.budget_cap_idr is not None else ""))
st.page_link("views/scenario.py", label=t("goalseek.to_scenario", lang), icon="🧩")

# ---- cost versus coverage
st.subheader(t("goalseek.curve_title", lang))
curve = model.cost_curve(shown, region, year)
widgets.chart(charts.cost_curve_chart(curve, target, year, lang), "biaya-cakupan", data=curve)
st.caption(t("goalseek.curve_caption", lang) + (" " + t("goalseek.curve_caption_80", lang) if conf != 0.5 else ""))
