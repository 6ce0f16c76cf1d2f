"""The house look of every chart, on screen and in exports (no Streamlit here).

One job: what all charts share, so each chart's builder (:mod:`presentation.charts`) only says what it draws.
Colours (Okabe-Ito, colour-blind safe, dark enough for a projector), sizes and font; :func:`finish`, which gives
a chart its title, the subtitle with the source line and the single house configuration with the language's
number and date formats; how numbers and lists are written in a chart (:func:`target_pct`,
:func:`localize_label`, the text descriptions' pieces); the year axis; and the target markers with their label
rows along the top of a plot (:func:`target_layers`, :func:`scale_target_rows` for a bigger type on a slide).
"""

from __future__ import annotations

import math
import re
import textwrap

import altair as alt
import pandas as pd
from babel.lists import format_list

from .i18n import fmt_number, fmt_pct, t, vega_format_locale, vega_time_locale

BLUE = "#0072B2"      # baseline
ORANGE = "#D55E00"    # scenario
GREEN = "#009E73"
SKY = "#56B4E9"
YELLOW = "#E69F00"
PURPLE = "#CC79A7"
GREY = "#555555"
INK = "#1a1a1a"
PALETTE = [ORANGE, BLUE, GREEN, YELLOW, SKY, PURPLE, GREY, "#8c564b", "#F0E442", "#17becf", "#332288", "#bcbd22",
           "#882255", "#7f7f7f", "#44AA99", "#999933"]   # 16: a city may fund many groups; colours repeat after that
# compare chart: baseline blue, reference orange, then colours far from orange (a scenario whose line repeats
# another one is drawn in dashes over it, and orange-over-yellow dashes are hard to tell apart)
COMPARE_COLOURS = [BLUE, ORANGE, GREEN, PURPLE, SKY, YELLOW, GREY, "#332288", "#8c564b", "#882255", "#17becf",
                   "#44AA99", "#999933", "#7f7f7f"]
BAND95 = "#b8b8b8"     # baseline 95 % band: neutral grey under the blue 80 % band
SUBTITLE_CHARS = 105   # a subtitle line longer than this is wrapped (charts are ~650 px wide on a projector)
WIDTH, HEIGHT = 640, 340
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def config(lang: str) -> dict:
    return {
        "font": FONT,
        "background": "white",
        "padding": 12,
        "locale": {"number": vega_format_locale(lang), "time": vega_time_locale(lang)},
        "title": {"fontSize": 18, "subtitleFontSize": 12, "anchor": "start", "color": INK,
                  "subtitleColor": GREY, "offset": 10},
        "axis": {"labelFontSize": 13, "titleFontSize": 13, "titleColor": INK, "labelColor": INK,
                 "gridColor": "#e3e3e3", "domainColor": GREY, "tickColor": GREY},
        "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom", "symbolStrokeWidth": 3,
                   "labelLimit": 320},
        "view": {"stroke": None},
        "range": {"category": PALETTE},
    }


def finish(chart: alt.TopLevelMixin, lang: str, title: str, source: str, note: str = "") -> alt.TopLevelMixin:
    """Title, subtitle with the source (and an optional note), house configuration and locale."""
    def wrap(text: str) -> list[str]:   # "80 %" is kept on one line (a no-break space)
        return textwrap.wrap(re.sub(r"(\d) %", "\\1\u00a0%", text), SUBTITLE_CHARS, break_on_hyphens=False)
    subtitle = wrap(t("chart.source_line", lang, source=source))
    if note:
        subtitle += wrap(note)
    return chart.properties(title=alt.TitleParams(text=title, subtitle=subtitle)).configure(**config(lang))


def listed(items, lang: str) -> str:
    """Items joined the language's way ("a, b, dan c"; Babel's CLDR list patterns)."""
    items = [str(i) for i in items]
    return format_list(items, locale=lang) if items else ""


def as_sentence(title: str) -> str:
    """A chart's title as the first sentence of its description (a question keeps its question mark)."""
    return title if title.rstrip().endswith((".", "?", "!")) else title.rstrip() + "."


def targets_text(tgs, lang: str) -> str:
    """The targets a chart marks, for its text description (" Target: X 45,0 % tahun 2026."); "" without any."""
    if not tgs:
        return ""
    each = [t("chart_desc.target", lang, name=tg.name, year=tg.year, pct=target_pct(tg.coverage_pct, lang))
            for tg in tgs]
    return " " + t("chart_desc.targets", lang, targets=listed(each, lang))


def year_axis(lang: str, years: list[int] | None = None) -> alt.X:
    """Years as an ordinal axis; with ``years`` every year of the range gets its slot, so a missing year
    (e.g. no figure for 2024) shows as a gap instead of 2023 and 2025 sitting side by side."""
    if years:
        return alt.X("year:O", title=t("chart.axis_year", lang), axis=alt.Axis(labelAngle=0),
                     scale=alt.Scale(domain=list(range(min(years), max(years) + 1))))
    return alt.X("year:O", title=t("chart.axis_year", lang), axis=alt.Axis(labelAngle=0))


def target_pct(x: float, lang: str) -> str:
    """A target as written in its source: one decimal, or two when it has them (45,0 %; 34,99 %)."""
    return fmt_pct(x, lang, 1 if abs(x * 10 - round(x * 10)) < 1e-6 else 2)

_NUMBER_IN_LABEL = re.compile(r"\d+(?:\.(\d+))?")


def localize_label(text: str, lang: str) -> str:
    """An engine label such as "×0.7", "+1.0 %" or "10 %" written the language's way ("×0,7", "+1,0 %")."""
    out = _NUMBER_IN_LABEL.sub(lambda m: fmt_number(float(m.group(0)), lang, len(m.group(1) or "")), str(text))
    return out.replace(" %", "%") if lang == "en" else out


LABEL_ROW_PX = 17   # height of one row of target labels at the top of a chart
LABEL_FONT = 12


def target_frame(tgs, lang: str, years: list[int], top: float) -> pd.DataFrame:
    """One row per target (``tgs`` sorted by the caller): where its diamond sits, its label, the label's row at
    the top of the plot and the side of its line the label runs to (left in the right half of the axis)."""
    lo_year, hi_year = min(years), max(years)
    return pd.DataFrame([{"year": tg.year, "pct": tg.coverage_pct, "text": f"{tg.name}: {target_pct(tg.coverage_pct, lang)}",
                          "top": top, "row": i, "right": (tg.year - lo_year) > 0.5 * max(hi_year - lo_year, 1)}
                         for i, tg in enumerate(tgs)],
                        columns=["year", "pct", "text", "top", "row", "right"])


def target_layers(data, scale: alt.Scale, x: alt.X, lang: str) -> list:
    """Targets: a diamond at the value, and the label in its own row along the top of the plot, linked to the
    diamond by a thin dotted line. Labels never sit on the lines or bands they describe, and two targets of
    the same year do not overlap. ``data``: a :func:`target_frame` (or its name). The row offset is the
    parameter ``label_row`` (pixels), so a bigger type can take bigger rows (views/present.py)."""
    base = alt.Chart(data)
    layers = [
        base.mark_rule(color=GREY, strokeDash=[2, 3], strokeWidth=1).encode(
            x=x, y=alt.Y("pct:Q", scale=scale), y2="top:Q"),
        base.mark_point(shape="diamond", size=170, filled=True, color=INK, opacity=1).encode(
            x=x, y=alt.Y("pct:Q", scale=scale), tooltip=[alt.Tooltip("text:N", title=t("common.target", lang))]),
    ]
    dy = alt.ExprRef(expr="4 + label_row * datum.row")
    for right in (False, True):
        # a white outline under each label (the dotted line of another target may pass behind it)
        for halo in (True, False):
            style = {"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"} if halo else {}
            layers.append(base.transform_filter("datum.right" if right else "!datum.right").mark_text(
                align="right" if right else "left", baseline="top", dx=-5 if right else 5, dy=dy,
                fontSize=LABEL_FONT, fontWeight="bold", color=INK, **style).encode(
                x=x, y=alt.Y("top:Q", scale=scale), text="text:N"))
    return layers


def label_row_param():
    """The parameter ``label_row``: the height of a row of target labels [px] (see :func:`target_layers`)."""
    return alt.param(name="label_row", value=LABEL_ROW_PX)


def extent_layer(channel) -> alt.Chart:
    """An invisible rule at each value of the table ``extent`` (the axis's two ends): with a scale that has no
    fixed domain, the axis follows the data of a figure while its spec stays the same."""
    return alt.Chart(alt.NamedData("extent")).mark_rule(opacity=0).encode(channel)


def headroom(lo: float, hi: float, n_rows: int, height: int = HEIGHT) -> float:
    """Data units to add above ``hi`` so ``n_rows`` label rows fit above the data."""
    if n_rows == 0:
        return 0.0
    px = 6 + LABEL_ROW_PX * n_rows
    return (hi - lo) * px / max(height - px, 1)


def scale_target_rows(spec: dict, factor: float, height_before: int = HEIGHT) -> dict:
    """A chart spec (dict, data inline) whose type was scaled by ``factor`` for a slide or a page: the target
    label rows grow with the type (``label_row`` times ``factor``, so two rows of labels never overlap) and the
    axis top (the ``extent`` and ``targets`` tables) rises so the taller rows still sit above the data at the
    spec's (new) height. ``height_before``: the height the headroom was computed for. Changes ``spec`` in place."""
    data = spec.get("datasets", {})
    params = [p for p in spec.get("params", []) if p.get("name") == "label_row"]
    targets, extent = data.get("targets"), data.get("extent")
    if not params or not targets:
        return spec
    row = math.ceil(LABEL_ROW_PX * factor)
    params[0]["value"] = row
    if extent and len(extent) == 2:
        lo, top = float(extent[0]["y"]), float(extent[1]["y"])
        n = max(int(tg["row"]) for tg in targets) + 1
        hi = lo + (top - lo) * (height_before - 6 - LABEL_ROW_PX * n) / height_before
        px = 6 + row * n
        height = float(spec.get("height") or height_before)
        new_top = min(100.0, hi + (hi - lo) * px / max(height - px, 1))
        extent[1]["y"] = new_top
        for tg in targets:
            tg["top"] = new_top
    return spec
