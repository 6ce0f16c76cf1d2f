"""The Compare page's table: rows = metrics, columns = the baseline and each scenario, tinted where a scenario is
higher or lower than the reference column, then the differences from it. The numbers come from
presentation/summaries.py; this module formats and draws them.

Drawn as two st.dataframe grids (one element each, text drawn as plain text on a canvas), not st.table: st.table
renders every cell and label as Markdown, 172 Markdown elements on the default page, and re-rendering them was
most of the browser's time after an edit (Chrome profile, 2026-12-04). Plain text also means user names need no
escaping here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from presentation import chart_style, summaries
from presentation.i18n import MISSING, fmt_idr_short, fmt_number, fmt_pct, fmt_pp, md_escape, t

# light tints of the chart colours (Okabe-Ito blue / vermillion): higher / lower than the reference (differences grid)
HIGHER_BG = "background-color: #d4e6f4"
LOWER_BG = "background-color: #f8d9c4"
NBSP = "\u00a0"   # keeps "Rp 2,32 miliar" and "34,99 %" on one line in a narrow column


def show(kind: str, v, lang: str) -> str:
    return _show(kind, v, lang).replace(" ", NBSP)


def _show(kind: str, v, lang: str) -> str:
    if v is None:
        return MISSING
    if kind == "range":
        return t("compare.range", lang, low=fmt_number(v[0], lang, 1), high=fmt_pct(v[1], lang, 1))
    return {"pct": lambda: fmt_pct(v, lang, 1), "prob": lambda: fmt_pct(v, lang, 0),
            "count": lambda: fmt_number(v, lang), "idr": lambda: fmt_idr_short(v, lang),
            "share": lambda: fmt_pct(v, lang, 3), "ratio": lambda: fmt_number(v, lang, 2)}[kind]()


def show_diff(kind: str, d, lang: str) -> str:
    if d is None:
        return MISSING
    if kind in ("pct", "prob", "share"):
        return fmt_pp(d, lang, {"pct": 1, "prob": 0, "share": 3}[kind]).replace(" ", NBSP)
    text = show(kind, d, lang)
    return text if text.startswith("-") or text == MISSING or not any(c in "123456789" for c in text) else "+" + text


def label_of(m: summaries.Metric, lang: str) -> str:
    params = dict(m.params)
    if "coverage_pct" in params:
        params["pct"] = chart_style.target_pct(params.pop("coverage_pct"), lang).replace(" ", NBSP)
    return t(m.key, lang, **params)


#: the last tables built, by the identity of their (cached, unchanging) projections: toggling a variant on the
#: Compare page reruns the page with projections it has shown before; building the metrics and frames again was
#: about 60 % of that rerun's server time (2026-12-04). Small: a user toggles among a few selections.
_BUILT: dict[tuple, tuple] = {}
_BUILT_MAX = 16


def comparison_table(projections: list, ref, ref_col: int, lang: str) -> pd.DataFrame:
    """Draw the table and the differences from column ``ref_col``; return the table (for the CSV download)."""
    key = (tuple(id(p) for p in projections), id(ref), ref_col, lang)
    hit = _BUILT.get(key)
    # the identity check guards against an id reused by a new object after a projection left model's cache
    if hit is None or any(a is not b for a, b in zip(hit[0], [*projections, ref], strict=True)):
        hit = ([*projections, ref], *_build(projections, ref, ref_col, lang))
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = hit
    _, table, diffs, diff_colours, columns, diff_cols = hit

    st.subheader(t("compare.table_header", lang))
    _grid(table, None, lang, pinned=columns[ref_col])
    st.caption(t("compare.colour_legend", lang, name=md_escape(columns[ref_col])))
    if diff_cols:
        st.markdown("**" + t("compare.diff_header", lang, name=md_escape(columns[ref_col])) + "**")
        _grid(diffs, diff_colours, lang)
    return table.copy()


ROW_PX = 35      # st.dataframe's default row height: the grid is made tall enough to show every row without scrolling
LABEL_PX = 300   # the metric labels (pinned); the longest, "Tambahan bersih 2030 (sebelumnya ...)", is cut at the end
VALUE_PX = 135   # a scenario's column: its widest value ("Rp 2,16 miliar", "19,2–63,9 %") fits; a long name is cut,
#                  shown whole in the header's tooltip, so that four scenarios fit beside the labels at 1280 px


def _grid(frame: pd.DataFrame, colours: pd.DataFrame | None, lang: str, pinned: str | None = None) -> None:
    """One read-only grid: the metric labels pinned on the left (and the column ``pinned`` beside them), cells
    tinted by ``colours`` (CSS per cell) when given. A tinted grid goes through a pandas Styler, which Streamlit
    turns into per-cell display values and CSS on every run: about 15 ms a grid, against under 1 ms plain
    (2026-12-04), so only the differences are tinted; the reference column is pinned instead of greyed."""
    config = {"_index": st.column_config.TextColumn(t("compare.metric", lang), pinned=True, width=LABEL_PX)}
    # the tooltip renders Markdown: the name escaped there (the header itself is plain text)
    config |= {c: st.column_config.TextColumn(width=VALUE_PX, help=md_escape(c), pinned=c == pinned or None)
               for c in frame.columns}
    data = frame if colours is None else frame.style.apply(lambda _: colours, axis=None)
    st.dataframe(data, width="stretch", height=ROW_PX * (len(frame) + 1) + 3, column_config=config)


def _build(projections: list, ref, ref_col: int, lang: str) -> tuple:
    metrics = summaries.compare_metrics(projections, ref)
    row_labels, seen = [], set()
    for m in metrics:   # the labels index the table: keep them unique (two targets may share a name)
        label, n = label_of(m, lang), 2
        while label in seen:
            label, n = f"{label_of(m, lang)} ({n})", n + 1
        row_labels.append(label)
        seen.add(label)
    columns = [t("common.baseline", lang)] + [p.scenario.name for p in projections]
    table = pd.DataFrame([[show(m.kind, v, lang) for v in m.values] for m in metrics], index=row_labels,
                         columns=columns)
    diff_idx = [j for j in range(len(columns)) if j not in (0, ref_col)]
    diff_cols = [columns[j] for j in diff_idx]
    # built as plain lists, then one frame each (setting cells one by one with .loc took ~0.2 s per rerun)
    diff_rows, diff_colour_rows = [], []
    for m in metrics:
        ds = summaries.differences(m, ref_col)
        diff_rows.append([show_diff(m.kind, ds[j], lang) for j in diff_idx])
        diff_colour_rows.append(["" if ds[j] is None or summaries.is_tiny(m.kind, ds[j])
                                 else HIGHER_BG if ds[j] > 0 else LOWER_BG for j in diff_idx])
    keep = [m.kind != "range" for m in metrics]
    diffs = pd.DataFrame(diff_rows, index=row_labels, columns=diff_cols)[keep]
    diff_colours = pd.DataFrame(diff_colour_rows, index=row_labels, columns=diff_cols)[keep]
    table.index.name = t("compare.metric", lang)
    diffs.index.name = t("compare.metric", lang)
    return table, diffs, diff_colours, columns, diff_cols
