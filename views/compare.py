"""Bandingkan / Compare: the working scenario and its variants side by side, against the baseline."""

import streamlit as st

from presentation import charts, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_pct, fmt_pp, md_escape, t
from ui import compare_table, model, state, widgets

lang = state.lang()
region = state.region()
rid = region.id
shown = labels.localized(state.scenario(), region, lang)

# the current scenario and its variants; a variant identical to an earlier one (e.g. "all groups" when all
# groups are already in) is left out, and names are made unique so the chart keeps them apart
candidates = list(enumerate(labels.presets(shown, region, lang)))
# when every group is already in scope some variants coincide with the current scenario; these two fill in,
# so that there are still three variants: enrol as wage earners (PU), or pay on the minimum wage (UMK)
candidates += [(4, shown.replace(name=t("compare.variant_pu", lang), route="pu")),
               (5, shown.replace(name=t("compare.variant_umk", lang), base="min_wage"))]
presets = summaries.distinct_variants(candidates)
options = list(presets)

# the user's choice survives page switches in the plain key "compare" (region id -> preset indices)
stored = [i for i in state.get(state.COMPARE).get(rid, options) if i in presets]
choice_key = state.widget_key("compare")
if choice_key in st.session_state and not set(st.session_state[choice_key]) <= set(options):
    del st.session_state[choice_key]
state.seed(choice_key, stored)


def _chosen() -> None:
    st.session_state[state.COMPARE.name][rid] = [i for i in options if i in st.session_state[choice_key]]


st.title(t("compare.page_title", lang, region=region.name))
st.caption(t("compare.intro", lang, name=md_escape(shown.name)))
st.multiselect(t("compare.choose", lang), options, key=choice_key, format_func=lambda i: presets[i].name,
               on_change=_chosen, help=t("compare.choose_help", lang))
chosen = [i for i in options if i in st.session_state[choice_key]]
if not chosen:
    st.info(t("compare.none_chosen", lang))
    st.stop()

projections = [model.project(presets[i], region) for i in chosen]
ref_i = 0 if 0 in chosen else chosen[0]
ref = projections[chosen.index(ref_i)]
base = projections[0]
tab0 = base.table
first_year, last_year = int(tab0["year"].iloc[0]), int(tab0["year"].iloc[-1])

# ------------------------------------------------------------------ the sentence: cheapest route to the main target
main_target = next((tg for tg in ref.scenario.targets if first_year <= tg.year <= last_year), None)
if main_target is not None:
    v = summaries.verdict(projections, main_target)
    words = {"target": md_escape(main_target.name), "pct": charts.target_pct(main_target.coverage_pct, lang),
             "year": main_target.year}
    if v.kind == "baseline":
        st.success(t("compare.sentence_baseline", lang, **words), icon="🎯")
    elif v.kind == "cheapest":
        st.success(t("compare.sentence_cheapest", lang, **words, name=md_escape(v.projection.scenario.name),
                     cost=fmt_idr_short(v.cost_idr, lang), first=first_year, last=last_year,
                     prob=fmt_pct(v.probability_pct, lang, 0)), icon="🎯")
    else:
        st.warning(t("compare.sentence_none", lang, **words, name=md_escape(v.projection.scenario.name),
                     cov=fmt_pct(v.coverage_pct, lang, 1), gap=fmt_pp(-v.gap_pp, lang).lstrip("+")), icon="🎯")

# ------------------------------------------------------------------ one chart
widgets.chart(charts.compare_chart(projections, lang), "bandingkan")
same = [p.scenario.name for p in summaries.same_coverage(projections, ref)]
if same:
    st.caption(t("compare.same_coverage", lang, names=", ".join(f"«{md_escape(n)}»" for n in same),
                         name=md_escape(ref.scenario.name)))


table = compare_table.comparison_table(projections, ref, 1 + chosen.index(ref_i), lang)
st.caption(":orange-badge[" + t("common.assumption", lang) + "] " + t("compare.assumptions", lang))


def _csv() -> bytes:
    return table.to_csv().encode("utf-8")


st.download_button(t("common.download_csv", lang), data=_csv, on_click="ignore", mime="text/csv",
                   file_name=f"bandingkan_{rid}.csv")
