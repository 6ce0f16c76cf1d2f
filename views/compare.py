"""Bandingkan / Compare: the working scenario and its variants side by side, against the baseline."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from presentation import charts, labels
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
presets: dict[int, object] = {}
for i, s in candidates:
    if i >= 4 and len(presets) >= 4:
        break
    if any(s.replace(name="x") == o.replace(name="x") for o in presets.values()):
        continue
    name = s.name
    n = 2
    while any(o.name == name for o in presets.values()):
        name, n = f"{s.name} ({n})", n + 1
    presets[i] = s if name == s.name else s.replace(name=name)
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
    def reached(p, tg=main_target) -> bool:
        return float(p.row(tg.year)["coverage_pct"]) >= tg.coverage_pct - 1e-9

    tname, tpct = main_target.name, charts.target_pct(main_target.coverage_pct, lang)
    if float(base.row(main_target.year)["baseline_coverage_pct"]) >= main_target.coverage_pct:
        st.success(t("compare.sentence_baseline", lang, target=tname, pct=tpct, year=main_target.year), icon="🎯")
    else:
        winners = [p for p in projections if reached(p)]
        if winners:
            best = min(winners, key=lambda p: float(p.table["cost_idr"].sum()))
            tr = best.targets[best.targets["target_id"] == main_target.id].iloc[0]
            st.success(t("compare.sentence_cheapest", lang, target=tname, pct=tpct, year=main_target.year,
                         name=best.scenario.name, cost=fmt_idr_short(best.table["cost_idr"].sum(), lang),
                         first=first_year, last=last_year, prob=fmt_pct(100 * tr["probability"], lang, 0)),
                       icon="🎯")
        else:
            close = max(projections, key=lambda p: float(p.row(main_target.year)["coverage_pct"]))
            cov = float(close.row(main_target.year)["coverage_pct"])
            st.warning(t("compare.sentence_none", lang, target=tname, pct=tpct, year=main_target.year,
                         name=close.scenario.name, cov=fmt_pct(cov, lang, 1),
                         gap=fmt_pp(main_target.coverage_pct - cov, lang).lstrip("+")), icon="🎯")

# ------------------------------------------------------------------ one chart
widgets.chart(charts.compare_chart(projections, lang), "bandingkan")
same = [p.scenario.name for p in projections if p is not ref
        and (p.table["coverage_pct"] - ref.table["coverage_pct"]).abs().max() < 1e-9]
if same:
    st.caption(t("compare.same_coverage", lang, names=", ".join(f"«{n}»" for n in same), name=ref.scenario.name))


# ------------------------------------------------------------------ one table: rows = metrics, columns = baseline + scenarios
@dataclass
class Metric:
    label: str
    kind: str            # pct | prob | count | idr | ratio | text
    values: list         # numbers (or text for kind "text"), baseline first; None = not applicable


def _sum(p, col: str) -> float:
    return float(p.table[col].sum())


def _ratio(p) -> float | None:
    c = _sum(p, "contributions_idr")
    return _sum(p, "claims_idr") / c if c > 0 else None


def _prob(p, target_id: str, col: str) -> float | None:
    tr = p.targets[p.targets["target_id"] == target_id]
    return None if tr.empty or pd.isna(tr.iloc[0][col]) else 100 * float(tr.iloc[0][col])


fy, ly = str(first_year), str(last_year)
metrics = [
    Metric(t("compare.m_coverage", lang, year=ly), "pct",
           [float(base.final["baseline_coverage_pct"])] + [float(p.final["coverage_pct"]) for p in projections]),
    Metric(t("compare.m_range", lang, year=ly), "text",
           [t("compare.range", lang, low=fmt_number(base.final["baseline_coverage_low_pct"], lang, 1),
              high=fmt_pct(base.final["baseline_coverage_high_pct"], lang, 1))]
           + [t("compare.range", lang, low=fmt_number(p.final["coverage_low_pct"], lang, 1),
                high=fmt_pct(p.final["coverage_high_pct"], lang, 1)) for p in projections]),
]
for y in sorted({tg.year for tg in ref.scenario.targets if first_year <= tg.year < last_year}):
    metrics.append(Metric(t("compare.m_coverage", lang, year=y), "pct",
                          [float(base.row(y)["baseline_coverage_pct"])]
                          + [float(p.row(y)["coverage_pct"]) for p in projections]))
for tg in ref.scenario.targets:
    if first_year <= tg.year <= last_year:
        metrics.append(Metric(t("compare.m_prob", lang, target=tg.name,
                                                pct=charts.target_pct(tg.coverage_pct, lang).replace(" ", NBSP)), "prob",
                              [_prob(base, tg.id, "probability_baseline")]
                              + [_prob(p, tg.id, "probability") for p in projections]))
metrics += [
    Metric(t("compare.m_participants", lang, year=ly), "count",
           [None] + [float(p.final["pbi_participants"]) for p in projections]),
    Metric(t("compare.m_net", lang, year=ly), "count", [None] + [float(p.final["pbi_added_net"]) for p in projections]),
    Metric(t("compare.m_cost_first", lang, year=fy), "idr", [None] + [float(p.table["cost_idr"].iloc[0]) for p in projections]),
    Metric(t("compare.m_cost_total", lang, first=fy, last=ly), "idr", [None] + [_sum(p, "cost_idr") for p in projections]),
    Metric(t("compare.m_share", lang, year=fy), "share",
           [None] + [float(p.table["cost_share_apbd_pct"].iloc[0]) for p in projections]),
    Metric(t("compare.m_per_point", lang, year=fy), "idr",
           [None] + [None if pd.isna(p.table["cost_per_point_idr"].iloc[0]) else float(p.table["cost_per_point_idr"].iloc[0])
                     for p in projections]),
    Metric(t("compare.m_ratio", lang, first=fy, last=ly), "ratio", [None] + [_ratio(p) for p in projections]),
]


def show(kind: str, v) -> str:
    return _show(kind, v).replace(" ", NBSP)


def _show(kind: str, v) -> str:
    if v is None:
        return MISSING
    if kind == "text":
        return v
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


def tiny(kind: str, d: float) -> bool:
    """A difference too small to show at the table's precision."""
    return abs(d) < {"pct": 0.05, "prob": 0.5, "count": 0.5, "idr": 5e5, "share": 5e-4, "ratio": 0.005}[kind]


seen: set[str] = set()
for m in metrics:   # the labels index the table: keep them unique (two targets may share a name)
    label, n = m.label, 2
    while label in seen:
        label, n = f"{m.label} ({n})", n + 1
    m.label = label
    seen.add(label)
base_label = t("common.baseline", lang)
columns = [base_label] + [p.scenario.name for p in projections]
ref_col = 1 + chosen.index(ref_i)
labels = [m.label for m in metrics]
table = pd.DataFrame([[show(m.kind, v) for v in m.values] for m in metrics], index=labels, columns=columns)
diff_idx = [j for j in range(len(columns)) if j not in (0, ref_col)]
diff_cols = [columns[j] for j in diff_idx]
# built as plain lists, then one frame each (setting cells one by one with .loc took ~0.2 s per rerun)
colour_rows, diff_rows, diff_colour_rows = [], [], []
for m in metrics:
    crow, drow, dcrow = [""] * len(columns), [MISSING] * len(diff_idx), [""] * len(diff_idx)
    crow[ref_col] = REFERENCE_BG
    r = m.values[ref_col]
    for k, j in enumerate(diff_idx):
        v = m.values[j]
        if m.kind == "text" or v is None or r is None:
            continue
        d = v - r
        drow[k] = show_diff(m.kind, d)
        if not tiny(m.kind, d):
            crow[j] = dcrow[k] = HIGHER_BG if d > 0 else LOWER_BG
    colour_rows.append(crow)
    diff_rows.append(drow)
    diff_colour_rows.append(dcrow)
colours = pd.DataFrame(colour_rows, index=labels, columns=columns)
diffs = pd.DataFrame(diff_rows, index=labels, columns=diff_cols)
diff_colours = pd.DataFrame(diff_colour_rows, index=labels, columns=diff_cols)
diffs = diffs.drop(index=[m.label for m in metrics if m.kind == "text"])
diff_colours = diff_colours.loc[diffs.index]
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
