"""Ringkasan / Overview: where we are, where the trend goes, and what the scenario changes."""

import streamlit as st

from presentation import chart_style, charts, labels, summaries
from presentation.i18n import fmt_idr, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from ui import components, model, regions, state, widgets, work

lang = state.lang()
region = regions.region()
scenario = work.scenario()
p = work.projection()
shown = labels.localized(scenario, region, lang)

st.title(t("overview.title", lang, region=md_escape(region.name)))
last = region.coverage_history[-1]
now = summaries.coverage_now(region)
first = summaries.scheme_row(p)   # the scheme's first running year, never a year before it

# two rows of three: where the region stands, then what the scenario buys and costs (five in a row were cut
# off on a 1280-pixel projector)
components.compact_metrics()
c1, c2, c3 = st.columns(3)
c1.metric(t("overview.coverage_now", lang, year=last.year), fmt_pct(last.value, lang, 1),
          help=t("overview.source_help", lang, source=last.source_in(lang), certainty=last.certainty))
c2.metric(t("overview.covered", lang, year=last.year), fmt_number(now.covered, lang),
          help=t("overview.workers_help", lang, workers=fmt_number(now.workers, lang)))
c3.metric(t("overview.uncovered", lang, year=last.year), fmt_number(now.uncovered, lang),
          help=t("overview.workers_help", lang, workers=fmt_number(now.workers, lang)))
c4, c5, c6 = st.columns(3)
c4.metric(t("overview.pbi_participants", lang, year=int(first["year"])), fmt_number(first["pbi_participants"], lang),
          help=t("overview.pbi_help", lang, net=fmt_number(first["pbi_added_net"], lang)))
c5.metric(t("overview.cost", lang, year=int(first["year"])), fmt_idr_short(first["cost_idr"], lang),
          help=t("overview.cost_help", lang, per=fmt_idr(first["contribution_per_person_month_idr"], lang)))
y0 = int(first["year"])
apbd_assumed = any(v.certainty == "A" for v in region.apbd if v.year == y0) or (
    y0 not in {v.year for v in region.apbd} and region.apbd_growth_pct.certainty == "A")
c6.metric(t("overview.share", lang, year=y0) + (" 🏷️" if apbd_assumed else ""),
          fmt_pct(first["cost_share_apbd_pct"], lang, 3),
          help=t("overview.share_help", lang, apbd=fmt_idr_short(first["apbd_idr"], lang), year=y0))
if apbd_assumed:
    st.caption("🏷️ " + t("overview.apbd_assumed", lang, apbd=fmt_idr_short(first["apbd_idr"], lang), year=y0))
if region.defaulted:   # what nobody published for this region comes from data/region_defaults.yaml: say so here
    st.caption("🏷️ " + t("overview.defaults_used", lang, fields=state.needs_text(region.defaulted)))

# targets: projected coverage, gap and probability, one column each
targets = p.targets
if not targets.empty:
    cols = st.columns(3 if len(targets) <= 3 else len(targets))
    for col, (_, tr), tg in zip(cols, targets.iterrows(), shown.targets, strict=False):
        if tr["status"] == "projected":
            col.metric(t("overview.target_metric", lang, name=md_escape(tg.name), pct=chart_style.target_pct(tr["target_pct"], lang)),
                       fmt_pct(tr["coverage_pct"], lang),
                       delta=fmt_pp(tr["gap_pp"], lang), delta_color="normal",
                       help=t("overview.target_help", lang, prob=fmt_pct(100 * tr["probability"], lang, 0),
                              base=fmt_pct(100 * tr["probability_baseline"], lang, 0)))
        else:
            col.metric(md_escape(tg.name), chart_style.target_pct(tr["target_pct"], lang), help=t("overview.target_outside", lang))

# the sentence a mayor can read aloud: the report's, whose numbers the council deck prints too
report = model.report(scenario, region, lang)
if report.spoken_md:
    st.info(report.spoken_md, icon="🗣️")

widgets.chart(charts.fan_chart(report.shown, lang), "cakupan")
if p.forecast.short_history:
    st.caption("⚠️ " + t("overview.short_history", lang, n=len(region.coverage_history)))

st.subheader(t("overview.council_title", lang))
st.caption(t("overview.council_caption", lang))
widgets.council_downloads("overview")
