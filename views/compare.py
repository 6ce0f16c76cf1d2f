"""Bandingkan / Compare: the working scenario, its variants and saved scenarios side by side, against the library's
baseline entry (the reference column) and no new policy."""

import streamlit as st

from presentation import chart_style, charts, labels, summaries
from presentation.i18n import fmt_idr_short, fmt_pct, fmt_pp, md_escape, t
from simulation.errors import ValidationError
from ui import compare_sources, compare_table, components, live, model, regions, state, widgets, work


def comparison() -> None:
    """Everything below the heading: the choices, the sentence, the chart and the table. The page's live part
    (ui/live.py): a choice made reruns it alone, so it reads the session itself."""
    lang = state.lang()
    region = regions.region()
    rid = region.id
    shown = labels.localized(work.scenario(), region, lang)
    # the current scenario and its variants; a variant identical to an earlier one (e.g. "all groups" when all
    # groups are already in) is left out, and names are made unique so the chart keeps them apart
    candidates = list(enumerate(labels.presets(shown, region, lang)))
    # when every group is already in scope some variants coincide with the current scenario; these two fill in,
    # so that there are still three variants: enrol as wage earners (PU), or pay on the minimum wage (UMK)
    candidates += [(4, shown.replace(name=t("compare.variant_pu", lang), route="pu")),
                   (5, shown.replace(name=t("compare.variant_umk", lang), base="min_wage"))]
    presets = summaries.distinct_variants(candidates)

    # the region's saved scenarios (Pustaka) and its baseline entry, the reference column
    lib = state.library()
    entries, problem = compare_sources.entries(lib, rid)
    ref_entry = next((e for e in entries if e.is_baseline), None)
    others = {e.id: e for e in entries if not e.is_baseline}

    if problem is not None:
        st.warning(t("compare.library_problem", lang, problem=state.error_text(problem)))
    # by default: every variant while nothing is saved; else the working scenario beside the newest saved ones
    chosen = components.remembered_choice(
        "compare", state.COMPARE, rid, list(presets), [0] if entries else list(presets),
        t("compare.choose_variants", lang), lambda i: presets[i].name, help=t("compare.choose_help", lang))
    picked = components.remembered_choice(
        "compare_saved", state.COMPARE_SAVED, rid, list(others), list(others)[-compare_sources.MAX_SAVED:],
        t("compare.choose_saved", lang), lambda i: others[i].name, max_selections=compare_sources.MAX_SAVED,
        help=t("compare.choose_saved_help", lang, n=compare_sources.MAX_SAVED)) if others else []
    if problem is None and (not entries or ref_entry is None):
        st.info(t("compare.no_saved" if not entries else "compare.no_baseline", lang, region=md_escape(region.name)))
        st.page_link("views/library.py", label=t("compare.to_library", lang), icon="💾")

    def _refused(name: str, call, *args):
        """``call(*args)``, or None after saying which saved scenario could not be opened or computed, and why."""
        try:
            return call(*args)
        except ValidationError as exc:
            st.warning(t("compare.entry_problem", lang, name=md_escape(name), problem=state.error_text(exc)))
            return None

    reference = _refused(ref_entry.name, compare_sources.load, lib, ref_entry, region, lang) if ref_entry else None
    saved = [s for s in (_refused(others[i].name, compare_sources.load, lib, others[i], region, lang) for i in picked)
             if s is not None]
    columns, ref_i, own_region = compare_sources.arrange([presets[i] for i in chosen], saved, reference, region, lang)
    projected = [_refused(s.name, model.project, s, r) for s, r in columns]
    ref = projected[ref_i] if ref_i is not None else None
    projections = [p for p in projected if p is not None]
    if not projections:
        st.info(t("compare.none_chosen", lang))
        st.stop()
    years = list(projections[0].table["year"])
    first_year, last_year = int(years[0]), int(years[-1])
    for p in [p for p in projections if list(p.table["year"]) != years]:   # a saved scenario over other years
        st.warning(t("compare.other_years", lang, name=md_escape(p.scenario.name), first=int(p.table["year"].iloc[0]),
                     last=int(p.table["year"].iloc[-1]), cfirst=first_year, clast=last_year))
    projections = [p for p in projections if list(p.table["year"]) == years]
    if not any(p is ref for p in projections):   # no reference entry (or it is not shown): the working scenario
        ref = next((p for p in projections if p.scenario == shown), projections[0])
    if own_region:
        st.caption(t("compare.own_region_note", lang, names=", ".join(f"«{md_escape(n)}»" for n in own_region)))

    # ------------------------------------------------------------------ the sentence: cheapest route to the main target
    main_target = next((tg for tg in ref.scenario.targets if first_year <= tg.year <= last_year), None)
    if main_target is not None:
        # among the scenarios that carry this target (a saved one may have other targets: its chance is not computed)
        key = (main_target.id, main_target.year, main_target.coverage_pct)
        v = summaries.verdict([p for p in projections if key in {(tg.id, tg.year, tg.coverage_pct)
                                                                  for tg in p.scenario.targets}], main_target)
        words = {"target": md_escape(main_target.name), "pct": chart_style.target_pct(main_target.coverage_pct, lang),
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

    ref_col = 1 + next(j for j, p in enumerate(projections) if p is ref)
    table = compare_table.comparison_table(projections, ref, ref_col, lang)
    st.caption(":orange-badge[" + t("common.assumption", lang) + "] " + t("compare.assumptions", lang))

    def _csv() -> bytes:
        return table.to_csv().encode("utf-8")

    st.download_button(t("common.download_csv", lang), data=_csv, on_click="ignore", mime="text/csv",
                       file_name=f"bandingkan_{rid}.csv")


lang = state.lang()
region = regions.region()
st.title(t("compare.page_title", lang, region=md_escape(region.name)))
st.caption(t("compare.intro", lang, name=md_escape(labels.scenario_label(work.scenario(), lang))))
live.page(comparison)
