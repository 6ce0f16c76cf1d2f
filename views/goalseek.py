"""Capai target / Goal-seek: what it takes to reach a coverage target in a given year.

Pick one of the scenario's targets (or a custom one), a year and a confidence; the
engine fills the groups not yet in scope in priority order until the target is
reached, and says who, how many and what budget. "Apply" makes that the working
scenario.
"""

import streamlit as st

from presentation import charts, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, md_escape, t
from simulation.errors import ValidationError
from ui import components, goalseek_sections, model, regions, state, widgets, work

LAST_YEAR = 2035  # the year list reaches at least this far (or the scenario's horizon, if later)

lang = state.lang()
region = regions.region()
scenario = work.scenario()
shown = labels.localized(scenario, region, lang)

year_min = region.last_history_year + 1
year_max = max(scenario.horizon_year, LAST_YEAR, year_min)
years = list(range(year_min, year_max + 1))
targets = [tg for tg in shown.targets if year_min <= tg.year <= year_max and 0 < tg.coverage_pct < 100]

st.title(t("goalseek.title", lang))
st.caption(t("goalseek.intro", lang, scenario=md_escape(shown.name)))
goal = goalseek_sections.goal_inputs(targets, years, lang)

target, year, conf = goal["target"], goal["year"], goal["confidence"]
try:
    res = model.goal_seek(scenario, region, target, year, conf)
except ValidationError as exc:
    st.error(state.error_text(exc))
    st.stop()

row = model.project(res.scenario, region).row(year)
cur_row = model.project(scenario.replace(budget_cap_idr=None, horizon_year=max(year, scenario.horizon_year)),
                        region).row(year)   # the scenario as it is, without its cap (as the engine compares)
apbd = region.apbd_in(year)
facts = summaries.goal_facts(res, row, cur_row, apbd)   # reached and current coverage at the chosen confidence
conf_words = t("goalseek.at_median" if conf == 0.5 else "goalseek.at_80", lang)
tgt = goalseek_sections.pct_text(target, lang)

# ---- verdict
if res.already_reached:
    key = "goalseek.verdict_trend" if res.baseline_pct >= target else "goalseek.verdict_reached"
    st.success(t(key, lang, target=tgt, year=year, conf=conf_words, base=fmt_pct(res.baseline_pct, lang),
                 pct=fmt_pct(facts.current_pct, lang)), icon="✅")
elif res.feasible:   # never "reachable" without the chance (at the median it is about 50 %)
    st.info(t("goalseek.verdict_feasible", lang, target=tgt, year=year, conf=conf_words,
              n=fmt_number(res.extra_participants, lang), members=fmt_number(res.extra_members, lang),
              groups=", ".join(md_escape(labels.group_label(scenario.group(gid), region, lang))
                                for gid in res.steps["group_id"]),
              cost=fmt_idr_short(res.extra_budget_idr, lang), prob=fmt_pct(100 * res.probability, lang, 0)), icon="🎯")
else:   # the groups are not enough: then the compliance lever, within the uncovered formal workers
    short = dict(target=tgt, year=year, conf=conf_words, pct=fmt_pct(facts.reached_pct, lang),
                 pp=fmt_number(res.shortfall_pct, lang, 1), workers=fmt_number(facts.shortfall_workers, lang),
                 prob=fmt_pct(100 * res.probability, lang, 0), compliance=fmt_number(res.compliance_needed, lang),
                 pool=fmt_number(res.compliance_pool, lang), prob_plan=fmt_pct(100 * res.probability_plan, lang, 0))
    st.warning(t("goalseek.verdict_compliance" if res.reachable else "goalseek.verdict_unreachable", lang, **short)
               + ("" if res.reachable else " " + t("goalseek.verdict_none", lang, **short)), icon="⚠️")

st.caption(t("goalseek.context", lang, year=year, conf=conf_words, base=fmt_pct(res.baseline_pct, lang),
             cur=fmt_pct(facts.current_pct, lang), target=tgt, needed=fmt_number(res.needed_added, lang),
             workers=fmt_number(facts.workers, lang)))
if not res.already_reached:
    st.caption(t("goalseek.people", lang, needed=fmt_number(res.needed_added, lang), have=fmt_number(res.have_net, lang),
                 net=fmt_number(res.extra_net, lang), gross=fmt_number(res.extra_participants, lang),
                 members=fmt_number(res.extra_members, lang)))
if res.placeholders:
    st.caption("🏷️ " + t("goalseek.placeholders", lang, groups=", ".join(
        md_escape(labels.group_label(scenario.group(gid), region, lang)) for gid in res.placeholders)))

# ---- metrics
apbd_assumed = any(v.certainty == "A" for v in region.apbd) or (
    year not in {v.year for v in region.apbd} and region.apbd_growth_pct.certainty == "A")
share_help = t("goalseek.m_share_help", lang, apbd=fmt_idr_short(apbd, lang), year=year)
if apbd_assumed:
    share_help += " " + t("goalseek.assumption_badge", lang)
reached_metric = (t("goalseek.m_reached", lang, year=year), fmt_pct(facts.reached_pct, lang),
                  t("goalseek.m_reached_help", lang, conf=conf_words))
share_metric = (t("goalseek.m_share", lang) + (" 🏷️" if apbd_assumed else ""),
                fmt_pct(facts.budget_share_pct, lang, 3), share_help)
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
components.compact_metrics()
for metrics in rows_of_metrics:
    components.metric_row(metrics, st.columns(3))
if apbd_assumed:
    st.caption("🏷️ " + t("goalseek.apbd_assumed", lang, apbd=fmt_idr_short(apbd, lang), year=year))

# ---- groups filled, in priority order
st.subheader(t("goalseek.groups_title", lang))
st.caption(t("goalseek.priority_note", lang))
if res.steps.empty:
    # nothing added: either the target is already met, or every group is already in the scenario
    st.write(t("goalseek.no_groups" if res.already_reached else "goalseek.no_groups_left", lang))
else:
    goalseek_sections.groups_table(res, scenario, region, year, lang)

# ---- apply
if not res.steps.empty:
    def _apply() -> None:
        work.set_scenario(res.plan or res.scenario)   # the groups, then the compliance lever if it is needed
        state.flash("success", t("goalseek.applied", lang, n=len(res.steps), target=tgt, year=year))

    a1, a2 = st.columns([1, 2])
    a1.button(t("goalseek.apply", lang), type="primary", on_click=_apply, key="goalseek.apply",
              help=t("goalseek.apply_help", lang))
    a2.caption(t("goalseek.apply_note", lang)
               + (" " + t("goalseek.apply_cap_note", lang) if scenario.budget_cap_idr is not None else "")
               + (" " + t("goalseek.apply_compliance_note", lang, n=fmt_number(res.plan.compliance_per_year, lang),
                          start=res.plan.compliance_start_year) if res.compliance_needed > 0 else ""))
st.page_link("views/scenario.py", label=t("goalseek.to_scenario", lang), icon="🧩")

# ---- cost versus coverage
st.subheader(t("goalseek.curve_title", lang))
curve = model.cost_curve(shown, region, year)
widgets.chart(charts.cost_curve_chart(curve, target, year, lang), "biaya-cakupan", data=curve)
st.caption(t("goalseek.curve_caption", lang) + (" " + t("goalseek.curve_caption_80", lang) if conf != 0.5 else ""))
