"""Sensitivitas / Sensitivity: which assumptions move the result most (tornado charts and a table)."""

import pandas as pd
import streamlit as st

from presentation import chart_style, charts, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_number, fmt_pct, md_escape, t
from ui import model, regions, state, widgets, work

lang = state.lang()
region = regions.region()
scenario = work.scenario()
shown = labels.localized(scenario, region, lang)
sens = model.sensitivity(scenario, region)

year = int(sens["year"].iloc[0])
base_cov = float(sens["base_coverage_pct"].iloc[0])
base_cost = float(sens["base_cost_idr"].iloc[0])
base_claims = float(sens["base_claims_idr"].iloc[0])


def name(key: str) -> str:
    return t(f"sens.{key}", lang)


def meaning(r: pd.Series) -> str:
    """What low and high mean for this assumption, in words."""
    return t(f"sensitivity.range_{r['assumption']}", lang, low=chart_style.localize_label(r["low_label"], lang),
             high=chart_style.localize_label(r["high_label"], lang))


def short_range(r: pd.Series) -> str:
    return t("sensitivity.short_range", lang, low=chart_style.localize_label(r["low_label"], lang),
             high=chart_style.localize_label(r["high_label"], lang))


st.title(t("sensitivity.title", lang))
st.caption(t("sensitivity.intro", lang, scenario=md_escape(shown.name), year=year))

# ---- the plain sentence: what moves coverage most, and how the trend compares with the policy assumptions
policy = sens[sens["assumption"] != "trend"].reset_index(drop=True)
trend = sens[sens["assumption"] == "trend"]
tp = policy.iloc[0] if not policy.empty else None
tp_params = {} if tp is None else dict(
    name=name(tp["assumption"]), low=chart_style.localize_label(tp["low_label"], lang),
    high=chart_style.localize_label(tp["high_label"], lang),
    lo=fmt_pct(min(tp["coverage_low_pct"], tp["coverage_high_pct"]), lang, 1),
    hi=fmt_pct(max(tp["coverage_low_pct"], tp["coverage_high_pct"]), lang, 1),
    swing=fmt_number(tp["coverage_swing_pp"], lang, 1))
parts = []
if not trend.empty and sens.iloc[0]["assumption"] == "trend":
    tr = trend.iloc[0]
    parts.append(t("sensitivity.trend_top", lang, year=year, lo=fmt_pct(tr["coverage_low_pct"], lang, 1),
                   hi=fmt_pct(tr["coverage_high_pct"], lang, 1), swing=fmt_number(tr["coverage_swing_pp"], lang, 1),
                   n=len(region.coverage_history), first=region.coverage_history[0].year,
                   last=region.last_history_year))
    if (ratio := summaries.trend_to_policy_ratio(tr, tp)) is not None:
        parts += [t("sensitivity.policy_top", lang, **tp_params),
                  t("sensitivity.trend_ratio", lang, ratio=fmt_number(ratio, lang, 0 if ratio >= 10 else 1))]
    else:
        parts.append(t("sensitivity.trend_ratio_none", lang))
    parts.append(t("sensitivity.trend_advice", lang))
elif tp is not None:
    parts.append(t("sensitivity.largest", lang, year=year, **tp_params))
    if not trend.empty:
        parts.append(t("sensitivity.trend_smaller", lang,
                       swing=fmt_number(trend.iloc[0]["coverage_swing_pp"], lang, 1)))
st.info(" ".join(parts), icon="🌪️")

by_cost = policy.sort_values("cost_swing_idr", ascending=False, kind="stable")
if not by_cost.empty and by_cost.iloc[0]["cost_swing_idr"] > 0:
    c = by_cost.iloc[0]
    st.write(t("sensitivity.cost_top", lang, year=year, name=name(c["assumption"]),
               low=chart_style.localize_label(c["low_label"], lang),
               high=chart_style.localize_label(c["high_label"], lang),
               lo=fmt_idr_short(min(c["cost_low_idr"], c["cost_high_idr"]), lang),
               hi=fmt_idr_short(max(c["cost_low_idr"], c["cost_high_idr"]), lang),
               base=fmt_idr_short(base_cost, lang)))

st.caption(t("sensitivity.base_line", lang, year=year, cov=fmt_pct(base_cov, lang, 1),
             cost=fmt_idr_short(base_cost, lang), claims=fmt_idr_short(base_claims, lang)))

# ---- tornado charts
labels = [t("sensitivity.tab_coverage", lang, year=year)]
if not trend.empty and not policy.empty:  # a zoomed view: the trend row dwarfs the others
    labels.append(t("sensitivity.tab_policy", lang))
labels.append(t("sensitivity.tab_cost", lang, year=year))
tabs = st.tabs(labels)
with tabs[0]:
    widgets.chart(charts.tornado_chart(sens, lang, metric="coverage"), "sensitivitas-cakupan", data=sens)
if len(tabs) == 3:
    with tabs[1]:
        widgets.chart(charts.tornado_chart(policy, lang, metric="coverage"), "sensitivitas-kebijakan", data=policy)
        st.caption(t("sensitivity.policy_caption", lang))
with tabs[-1]:
    widgets.chart(charts.tornado_chart(sens, lang, metric="cost"), "sensitivitas-biaya", data=sens)
    st.caption(t("sensitivity.cost_caption", lang))

# ---- the tables: coverage (with what low and high mean), then cost and claims
st.subheader(t("sensitivity.table_title", lang, year=year))
cov_rows, money_rows = [], []
for _, r in sens.iterrows():
    cov_rows.append({
        t("sensitivity.col_assumption", lang): name(r["assumption"]),
        t("sensitivity.col_meaning", lang): meaning(r),
        t("sensitivity.col_cov_low", lang): fmt_pct(r["coverage_low_pct"], lang, 2),
        t("sensitivity.col_cov_high", lang): fmt_pct(r["coverage_high_pct"], lang, 2),
        t("sensitivity.col_swing", lang): fmt_number(r["coverage_swing_pp"], lang, 2),
    })
    money_rows.append({
        t("sensitivity.col_assumption", lang): name(r["assumption"]),
        t("sensitivity.col_range", lang): short_range(r),
        t("sensitivity.col_cost_low", lang): fmt_idr_short(r["cost_low_idr"], lang),
        t("sensitivity.col_cost_high", lang): fmt_idr_short(r["cost_high_idr"], lang),
        t("sensitivity.col_claims_low", lang): fmt_idr_short(r["claims_low_idr"], lang),
        t("sensitivity.col_claims_high", lang): fmt_idr_short(r["claims_high_idr"], lang),
    })
st.table(pd.DataFrame(cov_rows), hide_index=True, border="horizontal")
st.markdown("**" + t("sensitivity.money_title", lang, year=year) + "**")
st.table(pd.DataFrame(money_rows), hide_index=True, border="horizontal")
st.caption("🏷️ " + t("sensitivity.assumption_note", lang))
