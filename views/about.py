"""Tentang / About: what is modelled and what is not, the method, the sources.

The figures quoted in the text (contribution rates, benefits, forecast settings, calibration) and the
sources tables are read from ``data/parameters.yaml``, the forecast module and the region in use (edited
or shipped), so the page stays true when the data change.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from presentation.i18n import fmt_idr, fmt_number, fmt_pct, t, vega_time_locale
from simulation import forecast, projection
from simulation.contributions import monthly_contribution, yearly_contribution
from simulation.data import CERTAINTIES, load_parameters
from ui import state

state.init()  # no-op under app.py; keeps the page alive if Streamlit runs it alone (MPA v1 mode)
lang = state.lang()
region = state.region()
params = load_parameters()
edited = region.id in st.session_state["regions"]
TODAY = dt.date.today()


def badge(c: str) -> str:
    return t(f"data.badge_{c.lower()}", lang) if c in CERTAINTIES else c


def date_text(d: dt.date | None) -> str:
    if d is None:
        return ""
    return f"{d.day} {vega_time_locale(lang)['shortMonths'][d.month - 1]} {d.year}"


def now(pid: str) -> float:
    return params.value(pid, TODAY)


def pct(share: float, decimals: int = 2) -> str:
    return fmt_pct(100 * share, lang, decimals)


def latest(pid: str, default: float) -> float:
    return params.latest(pid) if pid in params.items else default


PRIOR_SD = latest("forecast.prior_sd", forecast.DEFAULT_PRIOR_SD)
PRIOR_WEIGHT = latest("forecast.prior_weight", forecast.DEFAULT_PRIOR_WEIGHT)


@st.cache_data(show_spinner=False, max_entries=4)
def calibration(prior_sd: float, prior_weight: float) -> list[dict]:
    """Band coverage on synthetic series of known truth, for short histories (computed, not quoted)."""
    return [forecast.synthetic_calibration(n_series=400, n_points=n, horizon=3, seed=0, prior_sd=prior_sd,
                                           prior_weight=prior_weight) for n in (2, 3, 5, 8)]


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
st.markdown(t("about.method_body", lang, prior_sd=fmt_number(PRIOR_SD, lang, 2),
              prior_weight=fmt_number(PRIOR_WEIGHT, lang, 0),
              short=forecast.SHORT_HISTORY_POINTS))
st.caption("🅰️ " + t("about.method_assumption", lang))
with st.spinner(t("about.calibrating", lang)):
    cal = calibration(PRIOR_SD, PRIOR_WEIGHT)
st.markdown(f"**{t('about.calibration_title', lang)}**")
st.dataframe(pd.DataFrame({
    t("about.cal_points", lang): [fmt_number(c["n_points"], lang) for c in cal],
    t("about.cal_checks", lang): [fmt_number(c["n"], lang) for c in cal],
    t("about.cal_cov80", lang): [fmt_pct(100 * c["coverage80"], lang, 0) for c in cal],
    t("about.cal_cov95", lang): [fmt_pct(100 * c["coverage95"], lang, 0) for c in cal],
    t("about.cal_mae", lang): [fmt_number(c["mean_abs_error_pct"], lang, 1) for c in cal],
}), hide_index=True)
st.caption(t("about.calibration_note", lang))
fc = projection.baseline_forecast(region, max(region.last_history_year + 1, 2030))
st.markdown(t("about.method_region", lang, region=region.name, n=len(fc.history_years),
              first=fc.history_years[0], last=fc.history_years[-1], drift=fmt_number(fc.drift, lang, 3),
              sigma=fmt_number(fc.sigma, lang, 3)))
if fc.short_history:
    st.caption("⚠️ " + t("about.method_short", lang, n=len(fc.history_years)))

# ---------------------------------------------------------------------------------------- not modelled
st.header(t("about.not_title", lang))
st.markdown("\n".join(f"- {t(f'about.not_{i}', lang)}" for i in range(1, 9)))

# ---------------------------------------------------------------------------------------- sources
st.header(t("about.sources_title", lang))
st.markdown(t("about.sources_intro", lang, date=date_text(params.still_valid_on)))
st.caption(t("about.sources_language", lang))

# the most frequent source notes of the data files, in the reader's language (the rest are quoted as recorded)
SOURCE_NOTES = {"assumption": "about.src_assumption",
                "no published count: enter the city's own data": "about.src_no_count"}


def source_note(text: str) -> str:
    key = SOURCE_NOTES.get(text)
    return t(key, lang) if key else text



def param_value(unit: str, v: float) -> str:
    """A parameter's value with its unit, the user's way."""
    if unit == "share":
        return fmt_pct(100 * v, lang, 2)
    if unit == "percent/year":
        return t("about.val_per_year", lang, v=fmt_pct(v, lang, 1))
    if unit == "ratio":
        return fmt_number(v, lang, 1) + "×"
    number = fmt_idr(v, lang) if unit.startswith("IDR") else (
        fmt_pct(100 * v, lang, 2) if unit == "per year" else fmt_number(v, lang, 0 if v == int(v) else 2))
    key = UNITS.get(unit)
    return t(key, lang, v=number) if key else f"{number} {unit}"


UNITS = {"IDR/month": "about.val_idr_month", "IDR/claim": "about.val_idr_claim", "months": "about.val_months",
         "per year": "about.val_per_year", "logit/year": "about.val_logit_year", "pseudo-changes": "about.val_pseudo"}
prow = []
for pid, p in params.items.items():
    desc = p.label(lang)   # written once, in the parameter's entry of data/parameters.yaml
    for v in p.values:
        prow.append({"code": pid, "desc": desc, "value": param_value(p.unit, v.value),
                     "since": date_text(v.since), "source": source_note(v.source), "cert": badge(v.certainty)})
SRC, CERT = t("common.source", lang), t("common.certainty", lang)
st.subheader(t("about.params_title", lang))
DESC = t("common.description", lang)
st.table(pd.DataFrame({
    DESC: [r["desc"] for r in prow],
    t("common.value", lang): [r["value"] for r in prow],
    t("about.col_since", lang): [r["since"] for r in prow],
    CERT: [r["cert"] for r in prow],
    SRC: [r["source"] for r in prow],
    t("about.col_code", lang): [r["code"] for r in prow],
}).set_index(DESC))

# region data: every value the simulator takes from the region, as it is now (edited or shipped)
rrow: list[dict] = []


def add(item: str, year: str, value: str, v) -> None:
    rrow.append({"item": item, "year": year, "value": value, "source": source_note(v.source),
                 "date": date_text(v.source_date), "cert": v.certainty})


for v in region.coverage_history:
    add(t("data.table_history", lang), str(v.year), fmt_pct(v.value, lang, 2), v)
for v in region.potential_workers:
    add(t("data.table_workers", lang), str(v.year), fmt_number(v.value, lang), v)
add(t("data.param_worker_growth_pct", lang), "", fmt_pct(region.worker_growth_pct.value, lang, 1),
    region.worker_growth_pct)
add(t("data.param_formal_share_pct", lang), "", pct(region.formal_share.value, 0), region.formal_share)
add(t("data.param_formal_coverage_pct", lang), "", pct(region.formal_coverage.value, 0), region.formal_coverage)
for v in region.min_wage:
    add(t("data.table_min_wage", lang), str(v.year), fmt_idr(v.value, lang), v)
for v in region.apbd:
    add(t("data.table_apbd", lang), str(v.year), fmt_idr(v.value, lang), v)
add(t("data.param_apbd_growth_pct", lang), "", fmt_pct(region.apbd_growth_pct.value, lang, 1), region.apbd_growth_pct)
for g in region.groups:
    name = g.name(lang)
    add(t("about.item_members", lang, group=name), "", fmt_number(g.members.value, lang), g.members)
    add(t("about.item_covered", lang, group=name), "", pct(g.already_covered.value, 0), g.already_covered)
    add(t("about.item_take_up", lang, group=name), "", pct(g.take_up.value, 0), g.take_up)
    add(t("about.item_dropout", lang, group=name), "", pct(g.dropout.value, 0), g.dropout)
for tg in region.targets:
    add(tg.name(lang), str(tg.year), fmt_pct(tg.coverage_pct, lang, 2), tg)

st.subheader(t("about.region_title", lang, region=region.name))
n_assumed = sum(r["cert"] == "A" for r in rrow)
st.markdown(t("about.region_intro_edited" if edited else "about.region_intro", lang, n=len(rrow),
              assumed=n_assumed))
ITEM = t("about.col_item", lang)
st.table(pd.DataFrame({
    ITEM: [r["item"] for r in rrow],
    t("common.year", lang): [r["year"] for r in rrow],
    t("common.value", lang): [r["value"] for r in rrow],
    CERT: [badge(r["cert"]) for r in rrow],
    SRC: [r["source"] for r in rrow],
    t("data.col_date", lang): [r["date"] for r in rrow],
}).set_index(ITEM))
st.caption("🅰️ " + t("about.assumption_note", lang))
st.caption(t("about.legal_note", lang))
