"""The charts of each page, as Altair figures: one look on screen and in exports (no Streamlit here).

One builder per chart: the coverage fan (:func:`fan_chart`), cost by group, contributions against claims,
scenarios compared, the sensitivity tornado and goal-seek's cost curve. Each says what it draws; the house look
they share (colours, sizes, the title and source line through ``finish``, number formats, the year axis, the
target markers) is :mod:`presentation.chart_style`. Pages call ``st.altair_chart(chart, theme=None)`` so
Streamlit adds nothing, and exports render the very same spec with vl-convert, so they look alike.
"""

from __future__ import annotations

import json
import re

import altair as alt
import numpy as np
import pandas as pd

from . import figures
from .chart_style import (
    BAND95,
    BLUE,
    COMPARE_COLOURS,
    GREY,
    HEIGHT,
    INK,
    ORANGE,
    WIDTH,
    YELLOW,
    as_sentence,
    extent_layer,
    finish,
    headroom,
    label_row_param,
    listed,
    localize_label,
    target_frame,
    target_layers,
    targets_text,
    year_axis,
)
from .i18n import fmt_number, fmt_pct, t


def coverage_frame(projection, include_scenario: bool = True) -> pd.DataFrame:
    """Long table for the fan chart: history, baseline and scenario bands [%]. Each band starts at the last
    observation, so the lines start from the data. (Built from NumPy columns in one frame: it is rebuilt on every
    edit, and a frame per part joined with pandas cost several times as much.)"""
    fc = projection.forecast
    hist_years = np.asarray(fc.history_years, dtype=np.int64)
    hist_pct = 100.0 * np.asarray(fc.history_shares, dtype=float)
    tab = projection.table
    years = np.concatenate(([hist_years[-1]], tab["year"].to_numpy(dtype=np.int64)))
    shown = [("baseline", "baseline_coverage"), ("scenario", "coverage")][:2 if include_scenario else 1]
    nan = np.full(len(hist_years), np.nan)
    cols = {"median": [hist_pct], "low": [nan], "high": [nan], "low95": [nan], "high95": [nan]}
    for _series, prefix in shown:
        for k, suffix in (("median", ""), ("low", "_low"), ("high", "_high"), ("low95", "_low95"),
                          ("high95", "_high95")):
            cols[k].append(np.concatenate(([hist_pct[-1]], tab[f"{prefix}{suffix}_pct"].to_numpy(dtype=float))))
    series = ["history"] * len(hist_years) + [name for name, _ in shown for _ in range(len(years))]
    return pd.DataFrame({"year": np.concatenate([hist_years] + [years] * len(shown)), "series": series,
                         **{k: np.concatenate(v) for k, v in cols.items()}})


def fan_chart(projection, lang: str, include_scenario: bool = True, title: str | None = None) -> figures.Figure:
    """History, baseline forecast (80 % band in blue, 95 % band in grey), scenario (80 % band in orange,
    outlined) and target markers labelled along the top.

    A :class:`presentation.figures.Figure`: the numbers travel in three tables (``coverage``, ``targets``, and
    ``extent``, the two ends of the y axis, drawn invisibly so the axis follows the data), so an edited
    scenario redraws the same spec with new tables."""
    df = coverage_frame(projection, include_scenario)
    names = {"history": t("chart.series_history", lang), "baseline": t("common.baseline", lang),
             "scenario": t("common.scenario", lang)}
    df["label"] = [names[x] for x in df["series"]]
    last_year = int(projection.table["year"].max())
    tgs = sorted((tg for tg in projection.scenario.targets if tg.year <= last_year),
                 key=lambda tg: (tg.year, -tg.coverage_pct))
    lows = np.concatenate((df["median"].to_numpy(), df["low95"].to_numpy()))
    highs = np.concatenate((df["median"].to_numpy(), df["high95"].to_numpy()))
    lo = min(float(np.nanmin(lows)), min((tg.coverage_pct for tg in tgs), default=100))
    hi = max(float(np.nanmax(highs)), max((tg.coverage_pct for tg in tgs), default=0))
    lo, hi = max(0, lo - 3), hi + 3
    top = min(100, hi + headroom(lo, hi, len(tgs)))
    years = sorted({int(y) for y in df["year"]} | {tg.year for tg in tgs})
    targets = target_frame(tgs, lang, years, top)
    note = t("chart.fan_note" if include_scenario else "chart.fan_note_baseline", lang)
    structure = (lang, title or t("chart.fan_title", lang, region=projection.region.name),
                 source_text(projection, lang), note, include_scenario, tuple(years), bool(tgs))
    frames = {"coverage": df, "targets": targets, "extent": pd.DataFrame({"y": [lo, top]})}
    # what the chart shows, for a screen reader (Vega writes a spec's description as the chart's aria-label); no
    # number that moves with an edit, so an edited scenario still reuses the drawn chart
    description = t("chart_desc.fan", lang, title=as_sentence(structure[1]), first=min(years), last=max(years),
                    series=listed([names[k] for k in ("history", "baseline", "scenario")[:2 + include_scenario]],
                                  lang), targets=targets_text(tgs, lang))
    return figures.figure(_fan_spec, structure, frames, description=description)


def _fan_spec(lang: str, title: str, source: str, note: str, include_scenario: bool, years: tuple,
              has_targets: bool) -> alt.TopLevelMixin:
    scale = alt.Scale(zero=False, nice=False)   # the domain: the extent table's two values (see fan_chart)
    y_title = t("chart.axis_coverage", lang)
    x = year_axis(lang, list(years))
    names = {"history": t("chart.series_history", lang), "baseline": t("common.baseline", lang),
             "scenario": t("common.scenario", lang)}
    shown = ["history", "baseline"] + (["scenario"] if include_scenario else [])
    color = alt.Color("label:N", title=None, scale=alt.Scale(domain=[names[k] for k in shown],
                                                             range=[INK, BLUE, ORANGE][:len(shown)]))
    base = alt.Chart(alt.NamedData("coverage"))
    fmt = ".1f"
    tooltip = [alt.Tooltip("year:O", title=t("common.year", lang)), alt.Tooltip("label:N", title=" "),
               alt.Tooltip("median:Q", title=t("common.median", lang) + " (%)", format=fmt),
               alt.Tooltip("low:Q", title=t("common.range_80", lang) + " ↓", format=fmt),
               alt.Tooltip("high:Q", title=t("common.range_80", lang) + " ↑", format=fmt)]
    # about six labelled steps on the y axis (5 points apart on a 25-80 % axis made twelve labels)
    extent = extent_layer(alt.Y("y:Q", scale=scale, title=y_title, axis=alt.Axis(tickCount=6)))
    bands = base.transform_filter("datum.series == 'baseline'")
    # 95 % in neutral grey, 80 % in light blue: an orange band on top stays orange (blue + orange = brown).
    # Translucency as fillOpacity/strokeOpacity, not opacity: the same pixels, but an SVG `opacity` makes the
    # PNG export's rasteriser (resvg) paint the mark on a canvas-sized layer of its own, 12-15 ms a mark.
    b95 = bands.mark_area(fillOpacity=0.28, color=BAND95).encode(
        x=x, y=alt.Y("low95:Q", scale=scale, title=y_title), y2="high95:Q")
    b80 = bands.mark_area(fillOpacity=0.20, color=BLUE).encode(x=x, y=alt.Y("low:Q", scale=scale), y2="high:Q")
    layers = [extent, b95, b80]
    if include_scenario:
        # the scenario's band as its two edges only: a filled orange band over the blue one turns brown
        sc = base.transform_filter("datum.series == 'scenario'")
        for edge in ("low", "high"):
            layers.append(sc.mark_line(color=ORANGE, strokeWidth=1.5, strokeOpacity=0.9).encode(
                x=x, y=alt.Y(f"{edge}:Q", scale=scale)))
    lines = base.mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=x, y=alt.Y("median:Q", scale=scale, title=y_title), color=color,
        strokeDash=alt.condition("datum.series == 'baseline'", alt.value([6, 4]), alt.value([1, 0])),
        detail="series:N", tooltip=tooltip)
    layers.append(lines)
    if has_targets:
        layers += target_layers(alt.NamedData("targets"), scale, x, lang)
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT).add_params(label_row_param())
    return finish(chart, lang, title, source, note)


def source_text(projection, lang: str) -> str:
    """Who published the coverage history (the publisher part of each source, without details), then the
    forecast and the scenario. Details that are not a publisher's name point to the Data page."""
    names, more = [], False
    for v in projection.region.coverage_history:
        name = re.split(r" \(|:|,| reported| dilaporkan", v.source_in(lang), maxsplit=1)[0].strip()
        if not name or any(ch.isdigit() for ch in name) or name[0].islower() and " " in name:
            more = True
            continue
        if name not in names:
            names.append(name)
    hist = ", ".join(names) or t("chart.source_region_data", lang)
    if more and names:
        hist += " " + t("chart.source_and_more", lang)
    return t("chart.source_fan", lang, history=hist, scenario=projection.scenario.name)


def cost_by_group_chart(projection, lang: str) -> figures.Figure:
    """Yearly cost stacked by group, in the scenario's priority order (a :class:`presentation.figures.Figure`: the
    table ``cost``)."""
    df = projection.by_group.copy()
    df["cost_bn"] = df["cost_idr"] / 1e9
    # stack and legend in the scenario's priority order (first priority at the bottom, first in the legend)
    rank = {g.id: (g.priority, i) for i, g in enumerate(projection.scenario.groups)}
    order_ids = sorted(dict.fromkeys(df["group_id"]), key=lambda gid: rank.get(gid, (10**6, 0)))
    df["rank"] = df["group_id"].map({gid: i for i, gid in enumerate(order_ids)})
    names = tuple(dict.fromkeys(df.sort_values("rank")["group"]))
    source = t("chart.source_model", lang, scenario=projection.scenario.name)
    years = projection.table["year"].astype(int)
    description = t("chart_desc.cost", lang, title=as_sentence(t("chart.cost_title", lang)), first=years.min(),
                    last=years.max(), groups=listed(names, lang))
    return figures.figure(_cost_spec, (lang, names, source), {"cost": df}, description=description)


def _cost_spec(lang: str, names: tuple, source: str) -> alt.TopLevelMixin:
    chart = alt.Chart(alt.NamedData("cost")).mark_bar(stroke="white", strokeWidth=0.7).encode(
        x=year_axis(lang),
        y=alt.Y("sum(cost_bn):Q", title=t("chart.axis_cost_bn", lang)),
        color=alt.Color("group:N", title=None, sort=list(names), scale=alt.Scale(domain=list(names)),
                        legend=alt.Legend(columns=min(4, max(1, len(names))), labelLimit=320)),
        order=alt.Order("rank:Q", sort="ascending"),
        tooltip=[alt.Tooltip("year:O", title=t("common.year", lang)),
                 alt.Tooltip("group:N", title=t("common.group", lang)),
                 alt.Tooltip("participants:Q", title=t("common.participants", lang), format=",.0f"),
                 alt.Tooltip("cost_idr:Q", title=t("common.cost_per_year", lang) + " (Rp)", format=",.0f")],
    ).properties(width=WIDTH, height=HEIGHT)
    return finish(chart, lang, t("chart.cost_title", lang), source)


def claims_chart(projection, lang: str) -> figures.Figure:
    """Contributions against expected JKM and JKK claims per year (a :class:`presentation.figures.Figure`: the table
    ``claims``)."""
    tab = projection.table
    kinds = (t("chart.contributions", lang), t("chart.claims_jkm", lang), t("chart.claims_jkk", lang))
    rows = []
    for _, r in tab.iterrows():
        rows += [
            {"year": int(r["year"]), "kind": kinds[0], "value": r["contributions_idr"] / 1e9},
            {"year": int(r["year"]), "kind": kinds[1], "value": r["jkm_claims_idr"] / 1e9},
            {"year": int(r["year"]), "kind": kinds[2], "value": r["jkk_claims_idr"] / 1e9},
        ]
    source = t("chart.source_claims", lang, scenario=projection.scenario.name)
    description = t("chart_desc.claims", lang, title=as_sentence(t("chart.claims_title", lang)),
                    first=int(tab["year"].min()), last=int(tab["year"].max()), kinds=listed(kinds, lang))
    return figures.figure(_claims_spec, (lang, kinds, source), {"claims": pd.DataFrame(rows)},
                          description=description)


def _claims_spec(lang: str, kinds: tuple, source: str) -> alt.TopLevelMixin:
    chart = alt.Chart(alt.NamedData("claims")).mark_bar().encode(
        x=year_axis(lang),
        xOffset=alt.XOffset("group:N"),
        y=alt.Y("value:Q", title=t("chart.axis_idr_bn", lang)),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(kinds), range=[BLUE, ORANGE, YELLOW])),
        tooltip=[alt.Tooltip("year:O", title=t("common.year", lang)), alt.Tooltip("kind:N", title=" "),
                 alt.Tooltip("value:Q", title=t("chart.axis_idr_bn", lang), format=",.2f")],
    ).transform_calculate(group="datum.kind == " + json.dumps(kinds[0]) + " ? 'a' : 'b'").properties(
        width=WIDTH, height=HEIGHT)
    return finish(chart, lang, t("chart.claims_title", lang), source)


def compare_chart(projections: list, lang: str) -> figures.Figure:
    """Median coverage of several scenarios and the baseline, with the targets.

    The first projection is the reference: it is drawn with a wide pale underlay. A line that is exactly
    the same as one drawn before it (e.g. adding JHT changes the cost, not the cover) is drawn in long
    dashes on top, so the line underneath shows through the gaps. The baseline is dashed, as in
    :func:`fan_chart`.

    A :class:`presentation.figures.Figure`: the tables ``compare`` (one row per series and year: its name, its
    place ``order`` and its dash pattern ``dash`` when it repeats an earlier line), ``targets`` and ``extent``
    (the two ends of the y axis). The series' names live in the table, not in the spec: taking a variant out of
    the comparison or putting it back (or any edit) brings new tables for the same spec, and the browser redraws
    the drawn chart in place instead of building it again (presentation/figures.py).
    """
    first = projections[0]
    baseline = t("common.baseline", lang)
    parts = []
    for k, (name, p, prefix) in enumerate([(baseline, first, "baseline_coverage")]
                                          + [(p.scenario.name, p, "coverage") for p in projections]):
        tab = p.table
        parts.append(pd.DataFrame({"year": tab["year"].astype(int), "name": name,
                                   "pct": tab[f"{prefix}_pct"].astype(float),
                                   "low": tab[f"{prefix}_low_pct"].astype(float),
                                   "high": tab[f"{prefix}_high_pct"].astype(float),
                                   "is_ref": k == 1, "is_base": k == 0}))
    df = pd.concat(parts, ignore_index=True)
    names = tuple(dict.fromkeys(df["name"]))
    # a series identical to an earlier one (same values every year) is drawn in dashes over it; several copies of
    # one line take turns (dash d, gap k·d, each shifted by d), so every colour and the line underneath show
    values = {name: df.loc[df["name"] == name, "pct"].round(6).tolist() for name in names}
    copies: dict[str, list[str]] = {}      # first series → the later series with the same values
    for i, name in enumerate(names):
        original = next((o for o in names[:i] if values[o] == values[name] and o not in
                         {c for cs in copies.values() for c in cs}), None)
        if original is not None:
            copies.setdefault(original, []).append(name)
    df["order"] = df["name"].map({name: i for i, name in enumerate(names)})   # colours and legend in this order
    dashes = {name: _copy_dash(j, len(cs)) for cs in copies.values() for j, name in enumerate(cs, start=1)}
    df["dash"] = [dashes.get(name, "") for name in df["name"]]
    df["is_dup"] = df["dash"] != ""
    first_year, last_year = int(first.table["year"].min()), int(first.table["year"].max())
    tgs = sorted((tg for tg in first.scenario.targets if first_year <= tg.year <= last_year),
                 key=lambda tg: (tg.year, -tg.coverage_pct))
    lo = min(df["pct"].min(), min((tg.coverage_pct for tg in tgs), default=100))
    hi = max(df["pct"].max(), max((tg.coverage_pct for tg in tgs), default=0))
    lo, hi = max(0, lo - 2), hi + 2
    top = min(100, hi + headroom(lo, hi, len(tgs)))
    years = tuple(range(first_year, last_year + 1))
    targets = target_frame(tgs, lang, list(years), top)
    # the description names no series either (the legend, which Vega describes to screen readers too, does)
    description = t("chart_desc.compare", lang, title=as_sentence(t("chart.compare_title", lang)), first=first_year,
                    last=last_year, targets=targets_text(tgs, lang))
    return figures.figure(_compare_spec, (lang, years, bool(tgs)),
                          {"compare": df, "targets": targets, "extent": pd.DataFrame({"y": [lo, top]})},
                          description=description)


COPY_DASH = 10   # px: one dash of a line drawn over an identical one (see compare_chart)


def _copy_dash(j: int, k: int) -> str:
    """The dash pattern of the ``j``-th of ``k`` lines repeating one line (1 ≤ j ≤ k): a dash of
    :data:`COPY_DASH`, then a gap of ``k`` dashes, shifted by ``j`` dashes, so the copies take turns. Written as
    SVG's ``stroke-dasharray`` without an offset (a leading empty dash stands for the shift), so that it travels
    in the chart's table."""
    d = COPY_DASH
    return f"0,{(k + 1 - j) * d},{d},{(j - 1) * d}"


def _compare_spec(lang: str, years: tuple, has_targets: bool) -> alt.TopLevelMixin:
    # names, colours and the legend's order come from the table (``order``): nothing in the spec names a series.
    # The legend: two columns wide and labels cut at half the width, so that eight or more series still fit
    # under the plot (one row of them ran off the chart's right edge from the seventh series on)
    color = alt.Color("name:N", title=None, sort=alt.EncodingSortField(field="order", op="min"),
                      legend=alt.Legend(symbolOpacity=1, columns=2, labelLimit=WIDTH // 2 - 40),
                      scale=alt.Scale(range=COMPARE_COLOURS))
    scale = alt.Scale(zero=False, nice=False)   # the domain: the extent table's two values (see compare_chart)
    y_title = t("chart.axis_coverage", lang)
    y = alt.Y("pct:Q", title=y_title, scale=scale)
    x = year_axis(lang, list(years))
    base = alt.Chart(alt.NamedData("compare"))
    extent = extent_layer(alt.Y("y:Q", scale=scale, title=y_title))
    # strokeOpacity, not opacity: see _fan_spec
    underlay = base.transform_filter("datum.is_ref").mark_line(strokeWidth=9, strokeOpacity=0.35).encode(
        x=x, y=y, color=color, detail="name:N")
    tooltip = [alt.Tooltip("name:N", title=t("common.scenario", lang)),
               alt.Tooltip("year:O", title=t("common.year", lang)),
               alt.Tooltip("pct:Q", title=t("common.median", lang) + " (%)", format=".2f"),
               alt.Tooltip("low:Q", title=t("common.range_80", lang) + " ↓", format=".1f"),
               alt.Tooltip("high:Q", title=t("common.range_80", lang) + " ↑", format=".1f")]
    dash = alt.when("datum.is_base").then(alt.value([6, 4])).otherwise(alt.value([1, 0]))
    layers = [extent, underlay, base.transform_filter("!datum.is_dup").mark_line(
        strokeWidth=3, point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        x=x, y=y, color=color, strokeDash=dash, detail="name:N", tooltip=tooltip),
        # the copies of a line, over it, each with its own dash pattern from the table (_copy_dash)
        base.transform_filter("datum.is_dup").mark_line(strokeWidth=3).encode(
        x=x, y=y, color=color, strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None), detail="name:N",
        tooltip=tooltip)]
    if has_targets:
        layers += target_layers(alt.NamedData("targets"), scale, x, lang)
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT).add_params(label_row_param())
    return finish(chart, lang, t("chart.compare_title", lang), t("chart.source_compare", lang), t("chart.compare_note", lang))



def tornado_chart(sens: pd.DataFrame, lang: str, metric: str = "coverage") -> figures.Figure:
    """Bars from the low to the high value of each assumption around the scenario's result.

    Each axis label says what low and high mean ("Take-up" / "low ×0.7 · high ×1.1"); the result at
    each end is written next to the bar, and an assumption that does not move the result says so.

    A :class:`presentation.figures.Figure`: the table ``sens`` (one row per assumption, with the scenario's result
    ``base`` and the tolerance ``eps`` under which an end counts as the result itself), ``result`` (the
    scenario's result, drawn as a rule) and ``extent`` (the two ends of the x axis, with room for the values
    written there), so an edit redraws the same spec.
    """
    df = sens.copy().reset_index(drop=True)
    if metric == "coverage":
        lo, hi, base, fmt = "coverage_low_pct", "coverage_high_pct", "base_coverage_pct", ".1f"
        swing = "coverage_swing_pp"
    else:
        for c in ("cost_low_idr", "cost_high_idr", "base_cost_idr"):
            df[c] = df[c] / 1e9
        lo, hi, base, fmt = "cost_low_idr", "cost_high_idr", "base_cost_idr", ".2f"
        swing = "cost_swing_idr"
    df["name"] = [t(f"sens.{k}", lang) for k in df["assumption"]]
    df["lo_text"] = [localize_label(x, lang) for x in df["low_label"]]
    df["hi_text"] = [localize_label(x, lang) for x in df["high_label"]]
    df["range_text"] = [t("sensitivity.axis_range", lang, low=a, high=b) for a, b in zip(df["lo_text"], df["hi_text"], strict=True)]
    df["label"] = df["name"] + "|" + df["range_text"]
    df["no_effect"] = t("sensitivity.no_effect", lang)
    order = tuple(df.sort_values(swing, ascending=False, kind="stable")["label"])
    low_end, high_end = float(df[[lo, hi]].min().min()), float(df[[lo, hi]].max().max())
    span = max(high_end - low_end, 1e-9)
    if metric == "coverage" and span < 2:  # a zoomed view: one more decimal so that close values stay distinct
        fmt = fmt[:-2] + str(int(fmt[-2]) + 1) + "f"
    df["base"] = float(df[base].iloc[0])
    df["eps"] = span * 1e-6
    pad = span * 0.14  # room for the value written at each end
    extent = pd.DataFrame({"x": [low_end - pad, high_end + pad]})
    year = int(df["year"].iloc[0])
    title = t("chart.tornado_title_coverage" if metric == "coverage" else "chart.tornado_title_cost", lang, year=year)
    structure = (lang, metric, lo, hi, fmt, order, title)
    result = pd.DataFrame({"v": [float(df["base"].iloc[0])]})
    description = t("chart_desc.tornado", lang, title=as_sentence(title),
                    items=listed(df.sort_values(swing, ascending=False, kind="stable")["name"], lang))
    return figures.figure(_tornado_spec, structure, {"sens": df, "result": result, "extent": extent},
                          description=description)


def _tornado_spec(lang: str, metric: str, lo: str, hi: str, fmt: str, order: tuple, title: str) -> alt.TopLevelMixin:
    unit_title = t("chart.axis_coverage" if metric == "coverage" else "chart.axis_cost_bn", lang)
    y = alt.Y("label:N", sort=list(order), title=None,
              axis=alt.Axis(labelLimit=300, labelExpr="split(datum.label, '|')", labelPadding=8,
                            labelOffset=-7))   # two lines, centred on the bar
    scale = alt.Scale(zero=False, nice=False)   # the domain: the extent table's two values (see tornado_chart)
    tip = [alt.Tooltip("name:N", title=" "),
           alt.Tooltip("lo_text:N", title=t("sensitivity.low_value", lang)),
           alt.Tooltip(f"{lo}:Q", format=fmt, title=t("sensitivity.low_value", lang) + ": " + unit_title),
           alt.Tooltip("hi_text:N", title=t("sensitivity.high_value", lang)),
           alt.Tooltip(f"{hi}:Q", format=fmt, title=t("sensitivity.high_value", lang) + ": " + unit_title)]
    extent = extent_layer(alt.X("x:Q", scale=scale, title=unit_title, axis=alt.Axis(tickCount=8)))
    chart_base = alt.Chart(alt.NamedData("sens"))
    seg_lo = chart_base.mark_bar(color=BLUE, height=20).encode(
        y=y, x=alt.X(f"{lo}:Q", title=unit_title, scale=scale, axis=alt.Axis(tickCount=8)), x2="base:Q",
        tooltip=tip)
    seg_hi = chart_base.mark_bar(color=ORANGE, height=20).encode(
        y=y, x=alt.X(f"{hi}:Q", scale=scale), x2="base:Q", tooltip=tip)
    texts = []
    for col in (lo, hi):
        for side, align, dx in ((f"datum['{col}'] > datum.base + datum.eps", "left", 5),
                                (f"datum['{col}'] < datum.base - datum.eps", "right", -5)):
            texts.append(chart_base.transform_filter(side).mark_text(align=align, dx=dx, fontSize=12, color=INK).encode(
                y=y, x=alt.X(f"{col}:Q", scale=scale), text=alt.Text(f"{col}:Q", format=fmt)))
    none = chart_base.transform_filter(f"abs(datum['{hi}'] - datum['{lo}']) <= datum.eps && "
                                       f"abs(datum['{lo}'] - datum.base) <= datum.eps").mark_text(
        align="left", dx=8, fontSize=12, color=GREY, fontStyle="italic").encode(
        y=y, x=alt.X(f"{lo}:Q", scale=scale), text="no_effect:N")
    rule = alt.Chart(alt.NamedData("result")).mark_rule(color=INK, strokeWidth=2).encode(
        x=alt.X("v:Q", scale=scale))
    chart = alt.layer(extent, seg_lo, seg_hi, *texts, none, rule).properties(width=WIDTH - 140,
                                                                             height=46 * len(order))
    return finish(chart, lang, title, t("chart.source_model_plain", lang), t("chart.tornado_note", lang))


def cost_curve_chart(curve: pd.DataFrame, target_pct: float, year: int, lang: str) -> figures.Figure:
    """Coverage against the city's cost as groups are added in priority order, with the target line.

    The first point that reaches the target is named (or, if none does, the last one: all groups).

    A :class:`presentation.figures.Figure`: the tables ``curve`` (one row per step), ``target`` (the line and its
    label), ``note`` (the named point; none for an empty curve) and ``extent`` (the two ends of the y axis).
    """
    df = curve.copy()
    df["cost_bn"] = df["cost_idr"] / 1e9
    df["label"] = [g if g else t("common.baseline", lang) for g in df["group"]]
    df["reached"] = df["coverage_pct"] >= target_pct - 1e-9
    lo = min(df["coverage_pct"].min(), target_pct) - 1
    hi = max(df["coverage_pct"].max(), target_pct) + 1
    pct_text = fmt_number(target_pct, lang, 0 if float(target_pct).is_integer() else 1)
    target = pd.DataFrame({"y": [target_pct], "text": [t("chart.target_label", lang, pct=pct_text)]})
    frames = {"curve": df, "target": target, "extent": pd.DataFrame({"y": [lo, hi]})}
    right = False
    if not df.empty:
        hit = df[df["reached"]]
        if not hit.empty:
            r = hit.iloc[0]
            text = t("goalseek.curve_point_reached", lang, group=r["label"])
        else:
            r = df.iloc[-1]
            text = t("goalseek.curve_point_all", lang, pct=fmt_number(r["coverage_pct"], lang, 1) + (" %" if lang == "id" else "%"))
        right = bool(r["cost_bn"] > 0.55 * max(float(df["cost_bn"].max()), 1e-9))
        frames["note"] = pd.DataFrame([{"cost_bn": r["cost_bn"], "coverage_pct": r["coverage_pct"], "text": text}])
    description = t("chart_desc.curve", lang, title=as_sentence(t("chart.curve_title", lang, year=year)), year=year,
                    pct=fmt_pct(target_pct, lang, 0 if float(target_pct).is_integer() else 1))
    return figures.figure(_cost_curve_spec, (lang, year, not df.empty, right), frames, description=description)


def _cost_curve_spec(lang: str, year: int, has_note: bool, right: bool) -> alt.TopLevelMixin:
    scale = alt.Scale(zero=False, nice=False)   # the domain: the extent table's two values (see cost_curve_chart)
    x = alt.X("cost_bn:Q", title=t("chart.axis_cost_bn", lang), axis=alt.Axis(tickCount=10))
    y = alt.Y("coverage_pct:Q", title=t("chart.axis_coverage", lang), scale=scale)
    tooltip = [alt.Tooltip("label:N", title=t("chart.curve_added", lang)),
               alt.Tooltip("participants:Q", title=t("common.participants", lang), format=",.0f"),
               alt.Tooltip("cost_bn:Q", title=t("chart.axis_cost_bn", lang), format=",.2f"),
               alt.Tooltip("coverage_pct:Q", title=t("chart.axis_coverage", lang), format=".2f")]
    base = alt.Chart(alt.NamedData("curve"))
    line = base.mark_line(color=ORANGE, strokeWidth=3).encode(x=x, y=y, order="step:Q")
    points = base.mark_point(size=80, filled=True, opacity=1).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.condition("datum.reached", alt.value(BLUE), alt.value(ORANGE)),
        shape=alt.condition("datum.reached", alt.value("diamond"), alt.value("circle")))
    rule = alt.Chart(alt.NamedData("target"))
    extent = extent_layer(alt.Y("y:Q", scale=scale, title=t("chart.axis_coverage", lang)))
    layers = [extent,
              rule.mark_rule(color=INK, strokeDash=[6, 4], strokeWidth=2).encode(y=alt.Y("y:Q", scale=scale)),
              rule.mark_text(align="left", dy=-8, x=5, fontSize=12, color=INK).encode(y=alt.Y("y:Q", scale=scale), text="text:N"),
              line, points]
    if has_note:
        layers.append(alt.Chart(alt.NamedData("note")).mark_text(
            align="right" if right else "left", dx=-10 if right else 10,
            dy=-14 if right else 14,  # on the side away from the rising line
            fontSize=12, fontWeight="bold", color=INK).encode(
            x=alt.X("cost_bn:Q"), y=alt.Y("coverage_pct:Q", scale=scale), text="text:N"))
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    return finish(chart, lang, t("chart.curve_title", lang, year=year), t("chart.source_model_plain", lang),
                  t("chart.curve_note", lang))


# Built charts are kept in a small cache keyed on what they are drawn from (presentation/figures.py), so a rerun or a
# page switch that draws the same chart again does not rebuild it. A returned chart is shared: read-only.
fan_chart = figures.memo(fan_chart)
cost_by_group_chart = figures.memo(cost_by_group_chart)
claims_chart = figures.memo(claims_chart)
compare_chart = figures.memo(compare_chart)
tornado_chart = figures.memo(tornado_chart)
cost_curve_chart = figures.memo(cost_curve_chart)
