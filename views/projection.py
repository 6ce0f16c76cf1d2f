"""Proyeksi / Projection: the scenario year by year, against the targets, with costs and claims."""

import pandas as pd
import streamlit as st

from presentation import charts, labels
from presentation.i18n import MISSING, fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from simulation.data import load_parameters
from ui import model, state, widgets

# Kota Pontianak, 2025 actuals of the PBI scheme (faktakalbar 2026-02-11; DOMAIN.md). The ratio itself
# is the parameter pontianak.claims_to_contributions_2025 in data/parameters.yaml.
PONTIANAK_2025_CLAIMS_IDR = 3.06e9
PONTIANAK_2025_CONTRIBUTIONS_IDR = 356e6

lang = state.lang()
region = state.region()
scenario = state.scenario()
shown = labels.localized(scenario, region, lang)   # same numbers, names in the page's language
p = model.project(shown, region)
tab = p.table
first_year, last_year = int(tab["year"].iloc[0]), int(tab["year"].iloc[-1])


def pct(x, decimals: int = 1) -> str:
    return fmt_pct(x, lang, decimals)


def prob(x) -> str:
    return MISSING if pd.isna(x) else fmt_pct(100 * x, lang, 0)


def with_range(median, low, high) -> str:
    return t("projection.median_range", lang, median=pct(median), low=fmt_number(low, lang, 1),
             high=fmt_number(high, lang, 1))


right = {"alignment": "right"}

st.title(t("projection.page_title", lang, region=region.name))
st.caption(t("projection.intro", lang, name=md_escape(shown.name), first=first_year, last=last_year))

# ------------------------------------------------------------------ 0. a quick lever: the charts follow it here
with st.container(border=True):
    q1, q2 = st.columns([2, 1], vertical_alignment="center")
    with q1:
        widgets.city_share_slider(lang)
    q2.page_link("views/scenario.py", label=t("projection.quick_link", lang), icon="⚙️")
    st.caption(t("projection.quick_caption", lang))

# ------------------------------------------------------------------ 1. fan chart and the targets
widgets.chart(charts.fan_chart(p, lang), "cakupan", data=p.table)

st.subheader(t("projection.targets_header", lang))
if p.targets.empty:
    st.info(t("projection.no_targets", lang))
else:
    trows = []
    for (_, tr), tg in zip(p.targets.iterrows(), shown.targets, strict=True):
        projected = tr["status"] == "projected"
        trows.append({
            "target": tg.name, "year": str(int(tr["year"])), "target_pct": pct(tr["target_pct"], 2),
            "baseline": pct(tr["baseline_pct"]), "scenario": pct(tr["coverage_pct"]),
            "gap": fmt_pp(-tr["gap_pp"], lang) if not pd.isna(tr["gap_pp"]) else MISSING,
            "p_base": prob(tr["probability_baseline"]), "p_scen": prob(tr["probability"]),
            "note": "" if projected else t(f"projection.status_{tr['status']}", lang),
        })
    tdf = pd.DataFrame(trows)
    if (tdf["note"] == "").all():
        tdf = tdf.drop(columns="note")
    headers = {"target": t("common.target", lang), "year": t("common.year", lang),
               "target_pct": t("projection.col_target_pct", lang),
               "baseline": t("projection.col_baseline_median", lang),
               "scenario": t("projection.col_scenario_median", lang), "gap": t("projection.col_gap", lang),
               "p_base": t("projection.col_prob_baseline", lang), "p_scen": t("projection.col_prob_scenario", lang),
               "note": t("common.note", lang)}
    tdf = tdf.rename(columns=headers)
    numeric = [headers[k] for k in ("target_pct", "baseline", "scenario", "gap", "p_base", "p_scen")]
    # Markdown: headers wrap and figures are right-aligned (a pandas Styler in st.table cost a fifth of this
    # page's rerun; a grid scrolled its last columns out of sight)
    widgets.markdown_table(tdf, right=numeric)
    st.caption(t("projection.targets_caption", lang))

# ------------------------------------------------------------------ 2. how sure: the short history, the method
fc = p.forecast
if fc.short_history:
    r_last = tab.iloc[-1]
    st.info(t("projection.history_note", lang, n=len(fc.history_years), first=fc.history_years[0],
              last=fc.history_years[-1], changes=len(fc.history_years) - 1, year=last_year,
              median=pct(r_last["baseline_coverage_pct"]), low=pct(r_last["baseline_coverage_low_pct"]),
              high=pct(r_last["baseline_coverage_high_pct"])), icon="📏")
if bool(tab["budget_capped"].any()):
    st.warning(t("projection.budget_capped", lang, years=", ".join(str(int(y)) for y in tab.loc[tab["budget_capped"], "year"]),
                 cap=fmt_idr_short(scenario.budget_cap_idr, lang)), icon="💰")
with st.expander(t("projection.method_header", lang)):
    per_year = (float(tab["baseline_coverage_pct"].iloc[-1]) - 100 * fc.history_shares[-1]) / (
        last_year - fc.history_years[-1])
    st.markdown(t("projection.method_text", lang, trend=fmt_pp(per_year, lang, 2),
                  sigma=fmt_number(fc.sigma, lang, 3), df=fmt_number(fc.df, lang, 0)))
    st.caption(t("projection.method_technical", lang, method=fc.method))
    others = [w for w in p.warnings if not w.startswith("short history") and not w.startswith("budget cap")]
    for w in others:
        st.caption("⚠️ " + w)

# ------------------------------------------------------------------ 3. year by year (made only while open)
st.subheader(t("projection.yearly_header", lang))
# Two grids of text rebuilt on every edit were a fifth of the page's rerun after a slider step: the expander
# runs its content only while open (a callable on_change), and stays open after a trip to another page
# (Streamlit forgets a widget's state when its page is left: the flag below is not a widget's).


def _yearly_toggled() -> None:
    st.session_state["projection.yearly_open"] = bool(st.session_state.get("projection.yearly"))


yearly = st.expander(t("projection.yearly_open", lang), key="projection.yearly", on_change=_yearly_toggled,
                     expanded=bool(st.session_state.get("projection.yearly_open", False)))
if yearly.open:
    with yearly:
        rows = []
        for _, r in tab.iterrows():
            rows.append({
                "year": str(int(r["year"])),
                "workers": fmt_number(r["potential_workers"], lang),
                "baseline": with_range(r["baseline_coverage_pct"], r["baseline_coverage_low_pct"],
                                       r["baseline_coverage_high_pct"]),
                "scenario": with_range(r["coverage_pct"], r["coverage_low_pct"], r["coverage_high_pct"]),
                "participants": fmt_number(r["pbi_participants"], lang),
                "net": fmt_number(r["pbi_added_net"], lang),
                "cost": fmt_idr(r["cost_idr"], lang),
                "share": fmt_pct(r["cost_share_apbd_pct"], lang, 3),
                "per_point": fmt_idr_short(r["cost_per_point_idr"], lang),
                "claims": fmt_idr(r["claims_idr"], lang),
                "ratio": fmt_number(r["claims_to_contributions"], lang, 2),
            })
        ydf = pd.DataFrame(rows)
        config = {
            "year": st.column_config.TextColumn(t("common.year", lang), width="small"),
            "workers": st.column_config.TextColumn(t("common.potential_workers", lang), **right),
            "baseline": st.column_config.TextColumn(t("projection.col_baseline_range", lang), **right,
                                                    help=t("projection.col_range_help", lang)),
            "scenario": st.column_config.TextColumn(t("projection.col_scenario_range", lang), **right,
                                                    help=t("projection.col_range_help", lang)),
            "participants": st.column_config.TextColumn(t("projection.col_participants", lang), **right,
                                                        help=t("projection.col_participants_help", lang)),
            "net": st.column_config.TextColumn(t("projection.col_net", lang), **right,
                                               help=t("projection.col_net_help", lang)),
            "cost": st.column_config.TextColumn(t("projection.col_cost", lang), **right),
            "share": st.column_config.TextColumn(t("common.share_of_apbd", lang), **right),
            "per_point": st.column_config.TextColumn(t("projection.col_per_point", lang), **right,
                                                     help=t("projection.col_per_point_help", lang)),
            "claims": st.column_config.TextColumn(t("projection.col_claims", lang), **right,
                                                  help=t("projection.col_claims_help", lang)),
            "ratio": st.column_config.TextColumn(t("projection.col_ratio", lang), **right,
                                                 help=t("projection.col_ratio_help", lang)),
        }
        st.markdown("**" + t("projection.yearly_coverage", lang) + "**")
        st.dataframe(ydf[["year", "workers", "baseline", "scenario", "participants", "net"]], hide_index=True,
                     width="stretch", column_config=config)
        st.markdown("**" + t("projection.yearly_money", lang) + "**")
        st.dataframe(ydf[["year", "cost", "share", "per_point", "claims", "ratio"]], hide_index=True,
                     width="stretch", column_config=config)


def _csv() -> bytes:
    from presentation import exports
    return exports.table_csv(tab, lang)


def _xlsx() -> bytes:
    from presentation import exports
    return exports.projection_workbook(p, lang)


d1 = d2 = st.container(horizontal=True, gap="small")   # buttons side by side at their own width
d1.download_button(t("common.download_csv", lang), data=_csv, on_click="ignore", mime="text/csv",
                   file_name=f"proyeksi_{region.id}_{labels.identity(shown)}.csv",
                   help=t("projection.csv_help", lang))
d2.download_button(t("widgets.workbook", lang), data=_xlsx, on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   file_name=f"proyeksi_{region.id}_{labels.identity(shown)}.xlsx")

# ------------------------------------------------------------------ 4. cost by group
st.subheader(t("projection.cost_header", lang))
if p.by_group.empty:
    st.info(t("projection.no_groups", lang))
else:
    total = float(tab["cost_idr"].sum())
    st.markdown(t("projection.cost_sentence", lang, first=first_year, last=last_year,
                  total=fmt_idr_short(total, lang), year=first_year,
                  cost=fmt_idr_short(tab["cost_idr"].iloc[0], lang),
                  month=fmt_idr(tab["contribution_per_person_month_idr"].iloc[0], lang)))
    widgets.chart(charts.cost_by_group_chart(p, lang), "biaya-kelompok", data=p.by_group)

# ------------------------------------------------------------------ 5. claims against contributions
st.subheader(t("projection.claims_header", lang))
contrib = float(tab["contributions_idr"].sum())
if contrib > 0:
    ratio = float(tab["claims_idr"].sum()) / contrib
    key = "projection.claims_sentence_city" if scenario.city_share >= 1 else "projection.claims_sentence"
    st.markdown(t(key, lang, ratio=fmt_idr(ratio, lang, 2), first=first_year, last=last_year,
                  claims=fmt_idr_short(tab["claims_idr"].sum(), lang), contrib=fmt_idr_short(contrib, lang)))
    widgets.chart(charts.claims_chart(p, lang), "klaim")
else:
    st.info(t("projection.no_groups", lang))
st.caption(":orange-badge[" + t("common.assumption", lang) + "] " + t(
    "projection.incidence_assumption", lang,
    jkm=fmt_pct(100 * scenario.jkm_incidence, lang, 2), jkm_claim=fmt_idr_short(scenario.jkm_claim_idr, lang),
    jkk=fmt_pct(100 * scenario.jkk_incidence, lang, 2), jkk_claim=fmt_idr_short(scenario.jkk_claim_idr, lang)))
ref = load_parameters()["pontianak.claims_to_contributions_2025"].latest
st.caption(t("projection.pontianak_actual", lang, claims=fmt_idr_short(PONTIANAK_2025_CLAIMS_IDR, lang),
             contrib=fmt_idr_short(PONTIANAK_2025_CONTRIBUTIONS_IDR, lang), ratio=fmt_number(ref.value, lang, 1),
             source=ref.source.replace(" (derived)", "")))
