"""The Scenario page's sections: the live summary and the tabs (contribution, budget, compliance, assumptions).

Each function draws one section from the working scenario, its projection and the region; the numbers it shows
come from the engine's tables or from presentation/summaries.py, so nothing here computes model quantities.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from presentation import labels, summaries
from presentation.i18n import LANGS, fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from simulation.contributions import BASES, RISK_CLASSES, ROUTES, base_for_year, monthly_contribution
from simulation.data import Region
from simulation.parameters import load_parameters
from simulation.scenario import COMPLIANCE_MODES, Scenario
from simulation.sourced import Sourced

from . import components, model, regions, state, work
from .components import certainty_label, number_text

DEFAULT_COMPLIANCE = {"none": 0.0, "count": 1000.0, "share": 0.05}   # starting amount when a mode is chosen
#: whether the groups tab's two detail expanders are open (made only while open: components.lazy_expander)
DETAIL_KEY, SOURCES_KEY = state.view_key("scenario.detail_open"), state.view_key("scenario.sources_open")


def _sourced_caption(value: Sourced, lang: str) -> str:
    return t("scenario.source_caption", lang, certainty=certainty_label(value.certainty, lang),
             source=md_escape(value.source_in(lang)))


def _param_caption(param_id: str, lang: str) -> str:
    p = load_parameters()[param_id].latest
    return t("scenario.source_caption", lang, certainty=certainty_label(p.certainty, lang), source=md_escape(p.source_in(lang)))


def years_text(years: list[int]) -> str:
    """2026, 2027, 2028 -> "2026–2028"; gaps listed."""
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


# ----------------------------------------------------------------------------------------------- live summary
def summary(p, scenario: Scenario, region: Region, lang: str) -> None:
    """Participants, coverage, cost, share of the budget: the first year, the first target's and the last."""
    years = [int(y) for y in p.table["year"]]
    y0, yh = summaries.scheme_year(p), years[-1]   # the scheme's first running year, never one before it
    yt = summaries.first_target_year(scenario, years)
    r0, rh = p.row(y0), p.row(yh)
    components.compact_metrics()
    with st.container(border=True):
        st.markdown(f"**{t('scenario.summary_title', lang)}**")
        first = [(t("scenario.m_participants", lang, year=y0), fmt_number(r0["pbi_participants"], lang),
                  t("scenario.m_participants_help", lang, exact=fmt_number(r0["pbi_participants"], lang, 1))),
                 (t("scenario.m_net", lang, year=y0), fmt_number(r0["pbi_added_net"], lang),
                  t("scenario.m_net_help", lang, already=fmt_number(summaries.already_enrolled(r0), lang),
                    compliance=fmt_number(r0["compliance_added"], lang)))]
        for yr in ([yt] if yt == yh else [yt, yh]):
            row = p.row(yr)
            first.append((t("scenario.m_coverage", lang, year=yr), fmt_pct(row["coverage_pct"], lang, 2),
                          t("scenario.m_coverage_help", lang, base=fmt_pct(row["baseline_coverage_pct"], lang, 2),
                            lo=fmt_pct(row["coverage_low_pct"], lang), hi=fmt_pct(row["coverage_high_pct"], lang)),
                          fmt_pp(summaries.coverage_gain_pp(row), lang, 2)))
        if len(first) < 4:
            first.append((t("scenario.m_claims", lang, year=y0), fmt_idr_short(r0["claims_idr"], lang),
                          t("scenario.m_claims_help", lang, jkm=fmt_number(r0["jkm_claims"], lang, 1),
                            jkk=fmt_number(r0["jkk_claims"], lang, 1),
                            ratio=fmt_number(r0["claims_to_contributions"], lang, 1))))
        components.metric_row(first, st.columns(4))
        _money_row(p, scenario, region, lang, r0, rh)


def _money_row(p, scenario: Scenario, region: Region, lang: str, r0, rh) -> None:
    y0 = int(r0["year"])
    apbd_value = next((v for v in region.apbd if v.year == y0), None)
    apbd_note = certainty_label(apbd_value.certainty if apbd_value else region.apbd_growth_pct.certainty, lang)
    pp = summaries.per_participant(p, scenario)
    metrics = [(t("scenario.m_cost", lang, year=int(row["year"])), fmt_idr_short(row["cost_idr"], lang),
                t("scenario.m_cost_help", lang, exact=fmt_idr(row["cost_idr"], lang),
                  total=fmt_idr(row["contributions_idr"], lang))) for row in (r0, rh)]
    metrics += [(t("scenario.m_apbd", lang, year=y0), fmt_pct(r0["cost_share_apbd_pct"], lang, 3),
                 t("scenario.m_apbd_help", lang, apbd=fmt_idr_short(r0["apbd_idr"], lang), note=apbd_note)),
                (t("scenario.m_per_person", lang, year=y0), fmt_idr(pp.contribution, lang),
                 t("scenario.m_per_person_help", lang, city=fmt_idr(pp.city_by_share, lang)))]
    components.metric_row(metrics, st.columns(4, vertical_alignment="bottom"))
    lost = summaries.cap_lost_participants(p, model.project(scenario.replace(budget_cap_idr=None), region)) \
        if bool(p.table["budget_capped"].any()) else None
    if lost is not None:
        st.warning(t("scenario.cap_binds", lang, years=years_text(summaries.capped_years(p)),
                     n=fmt_number(lost[1], lang), year=lost[0]), icon="⚠️")
    if apbd_value is None or apbd_value.certainty == "A":
        st.caption(t("scenario.apbd_assumption", lang, year=y0, apbd=fmt_idr_short(r0["apbd_idr"], lang)))


# ----------------------------------------------------------------------------------------------- groups tab extras
def group_details(p, scenario: Scenario, region: Region, lang: str) -> None:
    """Each group's participants, net addition and cost in the first year; then where each size comes from. Each in
    an expander whose content is made only while it is open."""
    y0 = summaries.scheme_year(p)
    if (detail := components.lazy_expander(st, t("scenario.detail_title", lang, year=y0), DETAIL_KEY)) is not None:
        with detail:
            _group_table(p, scenario, region, lang, y0)
    if (sources := components.lazy_expander(st, t("scenario.sources_title", lang), SOURCES_KEY)) is not None:
        with sources:
            _group_sources(scenario, region, lang)


def _group_table(p, scenario: Scenario, region: Region, lang: str, y0: int) -> None:
    by = p.by_group[p.by_group["year"] == y0]
    names = {g.id: labels.group_label(g, region, lang) for g in scenario.groups}
    numeric = ("detail_participants", "detail_net", "detail_cost")
    st.dataframe(pd.DataFrame({
        t("scenario.col_name", lang): [names.get(gid, gid) for gid in by["group_id"]],
        t("scenario.detail_participants", lang): [fmt_number(x, lang) for x in by["participants"]],
        t("scenario.detail_net", lang): [fmt_number(x, lang) for x in by["added_net"]],
        t("scenario.detail_cost", lang): [fmt_idr(x, lang) for x in by["cost_idr"]],
    }), hide_index=True, width="stretch",   # numbers as formatted text, right-aligned like numbers
        column_config={t(f"scenario.{k}", lang): st.column_config.TextColumn(alignment="right") for k in numeric})
    st.caption(t("scenario.detail_note", lang))


def _group_sources(scenario: Scenario, region: Region, lang: str) -> None:
    rows = []
    for g in scenario.groups:
        d = region.group(g.id)
        rows.append({t("scenario.col_name", lang): labels.group_label(g, region, lang),
                     t("scenario.col_certainty", lang): certainty_label(d.members.certainty if d else None, lang),
                     t("common.source", lang): d.members.source_in(lang) if d else t("scenario.user_input", lang)})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# ----------------------------------------------------------------------------------------------- contribution tab
def contribution_tab(p, scenario: Scenario, region: Region, lang: str) -> None:
    params = load_parameters()
    y0 = summaries.scheme_year(p)
    c1, c2 = st.columns([3, 2])
    with c1:
        key, cb = work.bind("route")
        st.radio(t("scenario.route", lang), list(ROUTES), key=key, horizontal=True,
                 format_func=lambda r: t(f"scenario.route_{r}", lang), help=t("scenario.route_help", lang), **cb)
        if scenario.route == "pu":
            key, cb = work.bind("risk_class")
            st.selectbox(t("scenario.risk_class", lang), list(RISK_CLASSES), key=key, **cb,
                         format_func=lambda k: t(f"scenario.risk_class_{k}", lang, rate=fmt_pct(
                             100 * params.latest(f"pu.jkk_rate.class{k}"), lang, 2)))
        floor = params.value("bpu.income_floor", dt.date(y0, 1, 1))
        key, cb = work.bind("base")
        st.radio(t("scenario.base", lang), list(BASES), key=key, horizontal=True, **cb,
                 format_func=lambda b: t(f"scenario.base_{b}", lang, floor=fmt_idr(floor, lang)))
        if scenario.base == "custom":
            number_text(t("scenario.base_custom_amount", lang), "base_custom_idr", show=lambda v: fmt_idr(v, lang),
                        read=float, help=t("scenario.base_custom_amount_help", lang))
            number_text(t("scenario.base_custom_year", lang), "base_custom_year", read=int,
                        show=lambda v: str(scenario.start_year if v is None else v),
                        help=t("scenario.base_custom_year_help", lang))
        if scenario.base == "min_wage":
            mw = next((v for v in region.min_wage if v.year == y0), None)
            st.caption(t("scenario.min_wage_caption", lang, year=y0,
                         value=fmt_idr(region.min_wage_in(y0, scenario.indexation_pct), lang),
                         note=_sourced_caption(mw, lang) if mw else t("scenario.min_wage_indexed", lang)))
        if scenario.base != "floor":   # the floor is a dated parameter: indexation does not apply to it
            number_text(t("scenario.indexation", lang), "indexation_pct", show=lambda v: fmt_number(v, lang, 1),
                        read=float, help=load_parameters()["wage.indexation_pct"].label(lang))
    with c2:
        _contribution_box(p, scenario, region, lang)


def _contribution_box(p, scenario: Scenario, region: Region, lang: str) -> None:
    r0, rh = summaries.scheme_row(p), p.table.iloc[-1]
    y0, yh = int(r0["year"]), int(rh["year"])
    base = base_for_year(scenario.base, y0, region=region, custom_idr=scenario.base_custom_idr,
                         indexation_pct=scenario.indexation_pct, first_year=scenario.start_year,
                         custom_year=scenario.base_custom_year)
    c = monthly_contribution(scenario.route, base, dt.date(y0, 1, 1), scenario.risk_class)
    pp = summaries.per_participant(p, scenario)
    with st.container(border=True):
        st.metric(t("scenario.per_person_month", lang, year=y0), fmt_idr(pp.contribution, lang),
                  help=t("scenario.per_person_year", lang, value=fmt_idr(pp.contribution_year, lang), horizon=yh,
                         last=fmt_idr(rh["contribution_per_person_month_idr"], lang)))
        parts = [t("scenario.part_jkk", lang, value=fmt_idr(c.jkk, lang)),
                 t("scenario.part_jkm", lang, value=fmt_idr(c.jkm, lang))]
        if c.jht:
            parts.append(t("scenario.part_jht", lang, value=fmt_idr(c.jht, lang)))
        st.caption(t("scenario.breakdown", lang, year=y0, parts=" + ".join(parts), base=fmt_idr(c.base, lang)))
        st.caption("⚖️ " + t(f"scenario.legal_{scenario.route}", lang))


# ----------------------------------------------------------------------------------------------- budget tab
def budget_tab(p, scenario: Scenario, lang: str) -> None:
    y0 = summaries.scheme_year(p)
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('scenario.share_title', lang)}**")
        components.city_share_slider(lang)
        pp = summaries.per_participant(p, scenario)
        components.metric_row([
            (t("scenario.city_per_participant", lang), fmt_idr(pp.city, lang),
             t("scenario.per_participant_help", lang, year=y0)),
            (t("scenario.participant_pays", lang), fmt_idr(pp.participant, lang),
             t("scenario.per_participant_help", lang, year=y0))])
        certainty = load_parameters()["behaviour.takeup_elasticity"].latest.certainty
        st.caption(t("scenario.elasticity_full" if scenario.city_share >= 1 else "scenario.elasticity_caption",
                     lang, e=fmt_number(scenario.takeup_elasticity, lang, 2),
                     fall=fmt_pct(summaries.takeup_fall_pct(scenario), lang, 0),
                     assumption=certainty_label(certainty, lang)))
    with c2:
        st.markdown(f"**{t('scenario.cap_title', lang)}**")
        cap_key = state.seed(state.widget_key("cap_on"), scenario.budget_cap_idr is not None)

        def cap_toggled() -> None:
            s, cap = work.scenario(), None
            if st.session_state[cap_key]:   # start at what the scenario costs now: the cap does not bind yet
                cap = summaries.cap_start_idr(model.project(s.replace(budget_cap_idr=None), regions.region()))
            if not components.update(t("scenario.cap_title", state.lang()), {"budget_cap_idr": cap}):
                st.session_state[cap_key] = s.budget_cap_idr is not None
            for lg in LANGS:
                st.session_state.pop(state.widget_key("budget_cap_idr", lg), None)
        st.toggle(t("scenario.cap_on", lang), key=cap_key, on_change=cap_toggled)
        if scenario.budget_cap_idr is not None:
            number_text(t("scenario.cap_amount", lang), "budget_cap_idr", show=lambda v: fmt_idr(v, lang),
                        read=float, help=t("scenario.cap_amount_help", lang))
            st.caption(t("scenario.cap_short", lang, value=fmt_idr_short(scenario.budget_cap_idr, lang)))
        st.caption(t("scenario.cap_priority", lang))


# ----------------------------------------------------------------------------------------------- compliance tab
def compliance_tab(p, scenario: Scenario, region: Region, lang: str) -> None:
    c1, c2 = st.columns([3, 2])
    with c1:
        _compliance_inputs(scenario, lang)
    with c2:
        r0, rh = p.table.iloc[0], p.table.iloc[-1]
        y0, yh = int(r0["year"]), int(rh["year"])
        with st.container(border=True):
            st.metric(t("scenario.compliance_added", lang, year=yh), fmt_number(rh["compliance_added"], lang),
                      help=t("scenario.compliance_added_help", lang, y0=y0,
                             n0=fmt_number(r0["compliance_added"], lang),
                             pp=fmt_pp(summaries.compliance_share_pp(rh), lang, 2)))
            st.caption(t("scenario.compliance_pool", lang, year=y0,
                         n=fmt_number(summaries.compliance_pool(region, scenario, y0), lang),
                         formal=fmt_pct(100 * region.formal_share.value, lang, 0),
                         formal_note=certainty_label(region.formal_share.certainty, lang),
                         covered=fmt_pct(100 * region.formal_coverage.value, lang, 0),
                         covered_note=certainty_label(region.formal_coverage.certainty, lang)))
    st.info(t("scenario.compliance_note", lang), icon="🏭")


def _compliance_inputs(scenario: Scenario, lang: str) -> None:
    mode_key = state.seed(state.widget_key("compliance_mode"), scenario.compliance_mode)
    count_key = state.widget_key("compliance_count")

    def mode_changed() -> None:
        mode = st.session_state[mode_key]
        if components.update(t("scenario.compliance_mode", state.lang()),
                             {"compliance_mode": mode, "compliance_per_year": DEFAULT_COMPLIANCE[mode]}):
            for k in [k for k in st.session_state if isinstance(k, str)
                      and k.startswith((state.widget_key("compliance_per_year"), count_key))]:
                del st.session_state[k]
        else:
            st.session_state[mode_key] = work.scenario().compliance_mode
    st.radio(t("scenario.compliance_mode", lang), list(COMPLIANCE_MODES), key=mode_key,
             format_func=lambda k: t(f"scenario.compliance_mode_{k}", lang), on_change=mode_changed)
    if scenario.compliance_mode == "count":
        state.seed(count_key, int(round(scenario.compliance_per_year)))

        def count_changed() -> None:
            if not components.update(t("scenario.compliance_count", state.lang()),
                                     {"compliance_per_year": float(st.session_state[count_key])}):
                st.session_state[count_key] = int(round(work.scenario().compliance_per_year))
        st.number_input(t("scenario.compliance_count", lang), min_value=0, max_value=10_000_000, step=100,
                        key=count_key, on_change=count_changed)
    elif scenario.compliance_mode == "share":
        number_text(t("scenario.compliance_share", lang), "compliance_per_year",
                    show=lambda v: fmt_number(v * 100, lang, 1), read=lambda x: x / 100, scale=100.0,
                    help=t("scenario.compliance_share_help", lang))
    if scenario.compliance_mode != "none":
        key, cb = work.bind("compliance_start_year")
        st.number_input(t("scenario.compliance_start", lang), min_value=2020, max_value=2060, step=1, key=key, **cb)


# ----------------------------------------------------------------------------------------------- assumptions tab
def assumptions_tab(region: Region, lang: str) -> None:
    params = load_parameters()
    st.caption(t("scenario.assumptions_intro", lang))
    a1, a2 = st.columns(2)
    with a1:
        number_text(t("scenario.worker_growth", lang), "worker_growth_pct",
                    show=lambda v: fmt_number(region.worker_growth_pct.value if v is None else v, lang, 1), read=float)
        st.caption(_sourced_caption(region.worker_growth_pct, lang))
        number_text(t("scenario.jkm_incidence", lang), "jkm_incidence",
                    show=lambda v: fmt_number(v * 1000, lang, 2), read=lambda x: x / 1000, scale=1000.0)
        st.caption(_param_caption("incidence.jkm_death", lang))
        number_text(t("scenario.jkk_incidence", lang), "jkk_incidence",
                    show=lambda v: fmt_number(v * 1000, lang, 2), read=lambda x: x / 1000, scale=1000.0,
                    help=t("scenario.jkk_incidence_help", lang, pu=fmt_number(
                        1000 * params.latest("incidence.jkk_accident_pu"), lang, 1)))
        st.caption(_param_caption("incidence.jkk_accident_bpu", lang))
    with a2:
        number_text(t("scenario.takeup_elasticity", lang), "takeup_elasticity",
                    show=lambda v: fmt_number(v, lang, 2), read=float,
                    help=params["behaviour.takeup_elasticity"].label(lang))   # the label in data/parameters.yaml
        st.caption(_param_caption("behaviour.takeup_elasticity", lang))
        number_text(t("scenario.jkk_claim", lang), "jkk_claim_idr", show=lambda v: fmt_idr(v, lang), read=float)
        st.caption(_param_caption("claim.jkk_average", lang))
        number_text(t("scenario.jkm_claim", lang), "jkm_claim_idr", show=lambda v: fmt_idr(v, lang), read=float)
        st.caption(_param_caption("benefit.jkm_total", lang))
