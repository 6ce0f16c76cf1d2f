"""Bandingkan / Compare: the working scenario and its variants side by side, against the baseline."""

import pandas as pd
import streamlit as st

from presentation import charts, labels, summaries
from presentation.i18n import MISSING, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t
from ui import model, state, widgets

# light tints of the chart colours (Okabe-Ito blue / vermillion): higher / lower than the reference
HIGHER_BG = "background-color: #d4e6f4"
LOWER_BG = "background-color: #f8d9c4"
REFERENCE_BG = "background-color: #f0f0f0; font-weight: 600"
NBSP = "\u00a0"   # keeps "Rp 2,32 miliar" and "34,99 %" on one line in a narrow column

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
stored = [i for i in st.session_state["compare"].get(rid, options) if i in presets]
if "w.compare" in st.session_state and not set(st.session_state["w.compare"]) <= set(options):
    del st.session_state["w.compare"]
state.seed("w.compare", stored)


def _chosen() -> None:
    st.session_state["compare"][rid] = [i for i in options if i in st.session_state["w.compare"]]


st.title(t("compare.page_title", lang, region=region.name))
st.caption(t("compare.intro", lang, name=md_escape(shown.name)))
st.multiselect(t("compare.choose", lang), options, key="w.compare", format_func=lambda i: presets[i].name,
               on_change=_chosen, help=t("compare.choose_help", lang))
chosen = [i for i in options if i in st.session_state["w.compare"]]
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
    words = {"target": main_target.name, "pct": charts.target_pct(main_target.coverage_pct, lang),
             "year": main_target.year}
    if v.kind == "baseline":
        st.success(t("compare.sentence_baseline", lang, **words), icon="🎯")
    elif v.kind == "cheapest":
        st.success(t("compare.sentence_cheapest", lang, **words, name=v.projection.scenario.name,
                     cost=fmt_idr_short(v.cost_idr, lang), first=first_year, last=last_year,
                     prob=fmt_pct(v.probability_pct, lang, 0)), icon="🎯")
    else:
        st.warning(t("compare.sentence_none", lang, **words, name=v.projection.scenario.name,
                     cov=fmt_pct(v.coverage_pct, lang, 1), gap=fmt_pp(v.gap_pp, lang).lstrip("+")), icon="🎯")

# ------------------------------------------------------------------ one chart
widgets.chart(charts.compare_chart(projections, lang), "bandingkan")
same = [p.scenario.name for p in summaries.same_coverage(projections, ref)]
if same:
    st.caption(t("compare.same_coverage", lang, names=", ".join(f"«{n}»" for n in same), name=ref.scenario.name))


# ------------------------------------------------------------------ one table: rows = metrics, columns = baseline + scenarios
def show(kind: str, v) -> str:
    return _show(kind, v).replace(" ", NBSP)


def _show(kind: str, v) -> str:
    if v is None:
        return MISSING
    if kind == "range":
        return t("compare.range", lang, low=fmt_number(v[0], lang, 1), high=fmt_pct(v[1], lang, 1))
    return {"pct": lambda: fmt_pct(v, lang, 1), "prob": lambda: fmt_pct(v, lang, 0),
            "count": lambda: fmt_number(v, lang), "idr": lambda: fmt_idr_short(v, lang),
            "share": lambda: fmt_pct(v, lang, 3), "ratio": lambda: fmt_number(v, lang, 2)}[kind]()


def show_diff(kind: str, d) -> str:
    if d is None:
        return MISSING
    if kind in ("pct", "prob", "share"):
        return fmt_pp(d, lang, {"pct": 1, "prob": 0, "share": 3}[kind]).replace(" ", NBSP)
    text = show(kind, d)
    return text if text.startswith("-") or text == MISSING or not any(c in "123456789" for c in text) else "+" + text


def label_of(m: summaries.Metric) -> str:
    params = dict(m.params)
    if "coverage_pct" in params:
        params["pct"] = charts.target_pct(params.pop("coverage_pct"), lang).replace(" ", NBSP)
    return t(m.key, lang, **params)


metrics = summaries.compare_metrics(projections, ref)
row_labels, seen = [], set()
for m in metrics:   # the labels index the table: keep them unique (two targets may share a name)
    label, n = label_of(m), 2
    while label in seen:
        label, n = f"{label_of(m)} ({n})", n + 1
    row_labels.append(label)
    seen.add(label)
columns = [t("common.baseline", lang)] + [p.scenario.name for p in projections]
ref_col = 1 + chosen.index(ref_i)
table = pd.DataFrame([[show(m.kind, v) for v in m.values] for m in metrics], index=row_labels, columns=columns)
diff_idx = [j for j in range(len(columns)) if j not in (0, ref_col)]
diff_cols = [columns[j] for j in diff_idx]
# built as plain lists, then one frame each (setting cells one by one with .loc took ~0.2 s per rerun)
colour_rows, diff_rows, diff_colour_rows = [], [], []
for m in metrics:
    ds = summaries.differences(m, ref_col)
    crow = [REFERENCE_BG if j == ref_col else "" for j in range(len(columns))]
    for j in diff_idx:
        if ds[j] is not None and not summaries.is_tiny(m.kind, ds[j]):
            crow[j] = HIGHER_BG if ds[j] > 0 else LOWER_BG
    colour_rows.append(crow)
    diff_rows.append([show_diff(m.kind, ds[j]) for j in diff_idx])
    diff_colour_rows.append([crow[j] for j in diff_idx])
colours = pd.DataFrame(colour_rows, index=row_labels, columns=columns)
keep = [m.kind != "range" for m in metrics]
diffs = pd.DataFrame(diff_rows, index=row_labels, columns=diff_cols)[keep]
diff_colours = pd.DataFrame(diff_colour_rows, index=row_labels, columns=diff_cols)[keep]
table.index.name = t("compare.metric", lang)
diffs.index.name = t("compare.metric", lang)

st.subheader(t("compare.table_header", lang))
st.table(table.style.apply(lambda _: colours, axis=None))
st.caption(t("compare.colour_legend", lang, name=columns[ref_col]))
if diff_cols:
    st.markdown("**" + t("compare.diff_header", lang, name=columns[ref_col]) + "**")
    st.table(diffs.style.apply(lambda _: diff_colours, axis=None))
st.caption(":orange-badge[" + t("common.assumption", lang) + "] " + t("compare.assumptions", lang))


def _csv() -> bytes:
    return table.to_csv().encode("utf-8")


st.download_button(t("common.download_csv", lang), data=_csv, on_click="ignore", mime="text/csv",
                   file_name=f"bandingkan_{rid}.csv")
