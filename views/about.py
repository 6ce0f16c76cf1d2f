"""Tentang / About: what is modelled and what is not, the method, the sources.

The figures quoted in the text (contribution rates, benefits, forecast settings, calibration) and the
sources tables are read from ``data/parameters.yaml``, the forecast module and the region in use (edited
or shipped), so the page stays true when the data change.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from presentation.i18n import fmt_idr, fmt_number, fmt_pct, md_escape, t
from simulation import forecast
from simulation.contributions import monthly_contribution, yearly_contribution
from simulation.parameters import load_parameters
from ui import about_sections, glossary, model, regions, state

state.init()  # no-op under app.py; keeps the page alive if Streamlit runs it alone (MPA v1 mode)
lang = state.lang()
region = regions.region()
params = load_parameters()
edited = regions.edited_region() is not None
TODAY = dt.date.today()


def now(pid: str) -> float:
    return params.value(pid, TODAY)


def pct(share: float, decimals: int = 2) -> str:
    return fmt_pct(100 * share, lang, decimals)


PRIOR_SD = params.latest("forecast.prior_sd")   # data/parameters.yaml is the one source of the prior
PRIOR_WEIGHT = params.latest("forecast.prior_weight")

st.title(t("about.title", lang))
st.markdown(t("about.intro", lang))

# ---------------------------------------------------------------------------------------- what is computed
st.header(t("about.what_title", lang))
floor = now("bpu.income_floor")
jkk_bpu, jkm_bpu, jht_bpu = now("bpu.jkk_rate"), now("bpu.jkm_flat"), now("bpu.jht_rate")
package = monthly_contribution("bpu", floor, TODAY).total   # the engine's figures, not a formula of this page
st.markdown(t("about.what_coverage", lang))
st.markdown(t("about.what_routes", lang,
              jkk=pct(jkk_bpu), floor=fmt_idr(floor, lang), jkm=fmt_idr(jkm_bpu, lang),
              package=fmt_idr(package, lang), year=fmt_idr(yearly_contribution("bpu", floor, TODAY.year), lang),
              jht=pct(jht_bpu), package_jht=fmt_idr(monthly_contribution("bpu_jht", floor, TODAY).total, lang),
              pu_jkk=pct(now("pu.jkk_rate.class1")),
              pu_jkm=pct(now("pu.jkm_rate")),
              pu_total=fmt_idr(monthly_contribution("pu", floor, TODAY, risk_class=1).total, lang)))
st.markdown(t("about.what_benefits", lang, jkm=fmt_idr(now("benefit.jkm_total"), lang),
              multiple=fmt_number(now("benefit.jkk_death_wage_multiple"), lang),
              fixed=fmt_idr(now("benefit.jkk_death_fixed"), lang)))
st.markdown(t("about.what_people", lang, elasticity=fmt_number(now("behaviour.takeup_elasticity"), lang, 1)))
st.markdown(t("about.what_budget", lang))
st.markdown(t("about.what_claims", lang, jkm_inc=pct(now("incidence.jkm_death")),
              jkk_inc=pct(now("incidence.jkk_accident_bpu")), jkk_claim=fmt_idr(now("claim.jkk_average"), lang),
              jkm_claim=fmt_idr(now("benefit.jkm_total"), lang)))   # the value scenarios use (not claim.jkm_average)

# ---------------------------------------------------------------------------------------- forecast method
st.header(t("about.method_title", lang))
st.markdown(t("about.method_body", lang, prior_sd=fmt_number(PRIOR_SD, lang, 3),
              prior_weight=fmt_number(PRIOR_WEIGHT, lang, 0),
              drift_mean=fmt_number(params.latest("forecast.drift_mean"), lang, 3),
              drift_sd=fmt_number(params.latest("forecast.drift_sd"), lang, 3),
              short=forecast.SHORT_HISTORY_POINTS))
st.caption("🅰️ " + t("about.method_assumption", lang))
with st.spinner(t("about.calibrating", lang)):
    cal = model.forecast_calibration(PRIOR_SD, PRIOR_WEIGHT)
st.markdown(f"**{t('about.calibration_title', lang)}**")
st.dataframe(pd.DataFrame({
    t("about.cal_points", lang): [fmt_number(c["n_points"], lang) for c in cal],
    t("about.cal_checks", lang): [fmt_number(c["n"], lang) for c in cal],
    t("about.cal_cov80", lang): [fmt_pct(100 * c["coverage80"], lang, 0) for c in cal],
    t("about.cal_cov95", lang): [fmt_pct(100 * c["coverage95"], lang, 0) for c in cal],
    t("about.cal_mae", lang): [fmt_number(c["mean_abs_error_pct"], lang, 1) for c in cal],
}), hide_index=True)
st.caption(t("about.calibration_note", lang))
fc = model.baseline_forecast(region, max(region.last_history_year + 1, 2030))
st.markdown(t("about.method_region", lang, region=md_escape(region.name), n=len(fc.history_years),
              first=fc.history_years[0], last=fc.history_years[-1], drift=fmt_number(fc.drift, lang, 3),
              sigma=fmt_number(fc.sigma, lang, 3)))
if fc.short_history:
    st.caption("⚠️ " + t("about.method_short", lang, n=len(fc.history_years)))

# ---------------------------------------------------------------------------------------- not modelled
st.header(t("about.not_title", lang))
st.markdown("\n".join(f"- {t(f'about.not_{i}', lang)}" for i in range(1, 9)))

# ---------------------------------------------------------------------------------------- sources
st.header(t("about.sources_title", lang))
st.markdown(t("about.sources_intro", lang, date=about_sections.date_text(params.still_valid_on, lang)))
st.caption(t("about.sources_language", lang))
st.subheader(t("about.params_title", lang))
about_sections.parameters_table(params, lang)
st.subheader(t("about.region_title", lang, region=md_escape(region.name)))
about_sections.region_table(region, lang, edited=edited)
st.caption("🅰️ " + t("about.assumption_note", lang))
st.caption(t("about.legal_note", lang))

# ---------------------------------------------------------------------------------------- glossary
glossary.section(lang)   # also in the sidebar of every page (ui/glossary.py)
