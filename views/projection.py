"""Proyeksi / Projection: the scenario year by year, against the targets, with costs and claims.

The heading and the quick lever are drawn on a full run only; what follows the scenario is the page's live part
(ui/live.py), which a step of the lever redraws alone, so it reads the session itself."""

import streamlit as st

from presentation import charts, labels, summaries
from presentation.i18n import fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from ui import components, live, model, regions, state, widgets, work

METHOD_KEY = state.view_key("projection.method")   # the method expander (made only while open)


def section(header_key: str, sentence: str, lang: str) -> None:
    """A section's heading and its first sentence as one element: one fewer for the browser to re-render on each
    edit (it re-renders every element sent)."""
    st.markdown(f"### {t(header_key, lang)}\n\n{sentence}")


def figures() -> None:
    """Everything that follows the working scenario: charts, targets, notes, tables, costs and claims."""
    lang = state.lang()
    region = regions.region()
    scenario = work.scenario()
    shown = labels.localized(scenario, region, lang)   # same numbers, names in the page's language
    p = model.project(shown, region)
    tab = p.table
    first_year, last_year = int(tab["year"].iloc[0]), int(tab["year"].iloc[-1])

    def pct(x, decimals: int = 1) -> str:
        return fmt_pct(x, lang, decimals)

    # ------------------------------------------------------------------ 1. fan chart and the targets
    widgets.chart(charts.fan_chart(p, lang), "cakupan", data=p.table)

    if p.targets.empty:
        st.subheader(t("projection.targets_header", lang))
        st.info(t("projection.no_targets", lang))
    else:
        components.targets_table(p, shown, lang)   # heading, table and how to read it

    # ------------------------------------------------------------------ 2. how sure: the short history, the method
    fc = p.forecast
    if fc.short_history:
        r_last = tab.iloc[-1]
        st.info(t("projection.history_note", lang, n=len(fc.history_years), first=fc.history_years[0],
                  last=fc.history_years[-1], changes=len(fc.history_years) - 1, year=last_year,
                  median=pct(r_last["baseline_coverage_pct"]), low=pct(r_last["baseline_coverage_low_pct"]),
                  high=pct(r_last["baseline_coverage_high_pct"])), icon="📏")
    if capped := summaries.capped_years(p):
        st.warning(t("projection.budget_capped", lang, years=", ".join(str(y) for y in capped),
                     cap=fmt_idr_short(scenario.budget_cap_idr, lang)), icon="💰")
    # made only while open, like the year-by-year tables below: Streamlit's browser side re-renders every element
    # sent, a closed expander's too, on each edit
    method = st.expander(t("projection.method_header", lang), key=METHOD_KEY, on_change="rerun")
    if method.open:
        with method:
            st.markdown(t("projection.method_text", lang, trend=fmt_pp(summaries.trend_per_year_pp(p), lang, 2),
                          sigma=fmt_number(fc.sigma, lang, 3), df=fmt_number(fc.df, lang, 0)))
            st.caption(t("projection.method_technical", lang, method=fc.method))
            for w in summaries.method_notes(p, lang):   # by code: short history and cap have sentences above
                st.caption("⚠️ " + w)

    # ------------------------------------------------------------------ 3. year by year (made only while open)
    # Two grids of text rebuilt on every edit were a fifth of the page's rerun after a slider step: the expander
    # runs its content only while open (a callable on_change), and stays open after a trip to another page
    # (Streamlit forgets a widget's state when its page is left: the flag below is not a widget's).
    yearly = st.expander(t("projection.yearly_open", lang), key="projection.yearly",
                         expanded=state.get(state.YEARLY_OPEN), on_change=lambda: state.put(
                             state.YEARLY_OPEN, bool(st.session_state.get("projection.yearly"))))
    if yearly.open:
        with yearly:
            components.yearly_tables(tab, lang)
    widgets.table_downloads(p, shown, scenario, lang)   # a menu: CSV, workbook and notebook, built on a click

    # ------------------------------------------------------------------ 4. cost by group
    if p.by_group.empty:
        st.subheader(t("projection.cost_header", lang))
        st.info(t("projection.no_groups", lang))
    else:
        scheme_row = summaries.scheme_row(p)   # the scheme's first running year (one row lookup, not two)
        section("projection.cost_header", lang=lang, sentence=t(
            "projection.cost_sentence", lang, first=first_year, last=last_year,
            total=fmt_idr_short(summaries.totals(p).cost_idr, lang), year=summaries.scheme_year(p),
            cost=fmt_idr_short(scheme_row["cost_idr"], lang),
            month=fmt_idr(scheme_row["contribution_per_person_month_idr"], lang)))
        widgets.chart(charts.cost_by_group_chart(p, lang), "biaya-kelompok", data=p.by_group)

    # ------------------------------------------------------------------ 5. claims against contributions
    sums = summaries.totals(p)
    if sums.claims_ratio is not None:
        key = "projection.claims_sentence_city" if scenario.city_share >= 1 else "projection.claims_sentence"
        section("projection.claims_header", lang=lang, sentence=t(
            key, lang, ratio=fmt_idr(sums.claims_ratio, lang, 2), first=first_year, last=last_year,
            claims=fmt_idr_short(sums.claims_idr, lang), contrib=fmt_idr_short(sums.contributions_idr, lang)))
        widgets.chart(charts.claims_chart(p, lang), "klaim")
    else:
        st.subheader(t("projection.claims_header", lang))
        st.info(t("projection.no_groups", lang))
    st.caption(":orange-badge[" + t("common.assumption", lang) + "] " + t(
        "projection.incidence_assumption", lang,
        jkm=fmt_pct(100 * scenario.jkm_incidence, lang, 2), jkm_claim=fmt_idr_short(scenario.jkm_claim_idr, lang),
        jkk=fmt_pct(100 * scenario.jkk_incidence, lang, 2), jkk_claim=fmt_idr_short(scenario.jkk_claim_idr, lang)))
    for rec in model.claims_record(scenario, region):   # the region's scheme record (region file) beside the model
        st.caption(t("projection.record_vs_model", lang, region=md_escape(region.name), year=rec.year,
                     claims=fmt_idr_short(rec.claims_idr, lang), contrib=fmt_idr_short(rec.contributions_idr, lang),
                     ratio=fmt_number(rec.ratio, lang, 1), source=rec.source_in(lang), certainty=rec.certainty,
                     source_date=rec.source_date.isoformat() if rec.source_date else "-",
                     model_ratio=fmt_number(rec.model_ratio, lang, 2),
                     person_years=fmt_number(rec.person_years, lang), multiplier=fmt_number(rec.multiplier, lang, 1),
                     jkm=fmt_pct(100 * rec.jkm_incidence, lang, 1), jkk=fmt_pct(100 * rec.jkk_incidence, lang, 1))
                   + " " + summaries.record_death_plausibility(rec.jkm_incidence, lang))


lang = state.lang()
region = regions.region()
shown = labels.localized(work.scenario(), region, lang)
years = model.project(shown, region).table["year"]
st.title(t("projection.page_title", lang, region=md_escape(region.name)))
st.caption(t("projection.intro", lang, name=md_escape(shown.name), first=int(years.iloc[0]),
             last=int(years.iloc[-1])))

# ------------------------------------------------------------------ a quick lever: the charts follow it here
with st.container(border=True):
    q1, q2 = st.columns([2, 1], vertical_alignment="center")
    with q1:
        components.city_share_slider(lang)
    q2.page_link("views/scenario.py", label=t("projection.quick_link", lang), icon="⚙️")
    st.caption(t("projection.quick_caption", lang))

live.page(figures)
