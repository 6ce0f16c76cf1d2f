"""Chart images: PNG, SVG and PDF of a chart as on screen, with a footer line (no Streamlit here).

The builders of :mod:`presentation.charts` already carry the house configuration that the pages show with
``theme=None``; vl-convert renders the very same spec, so an export looks like the screen. Only inline data
is accepted: a URL data source would render empty offline. :func:`with_footer` puts a line under the chart
(scenario, identity, date): the chart goes into a one-chart ``vconcat`` whose bottom title is the footer, and
the house configuration moves from the chart to that wrapper (a configured chart cannot be concatenated), so
nothing in :mod:`presentation.charts` changes.

A figure (:class:`presentation.figures.Figure`) is compiled from Vega-Lite to Vega once per structure; each
export then puts its tables and footer into the compiled spec. Compiling is about a tenth of exporting the fan
chart to PNG, and the result is the same image (tests/test_exports.py).

:func:`slide_picture` renders a chart for a slide or a printed page: larger type, a wider plot, and its
subtitle (source line, notes) handed back as text to set beside the picture.
"""

from __future__ import annotations

import functools
import json
import struct

import altair as alt
import pandas as pd
import vl_convert as vlc

from .. import chart_style, figures
from .tables import table_csv

__all__ = ["PNG_SIGNATURE", "chart_data_csv", "chart_pdf", "chart_png", "chart_svg", "png_size", "slide_picture",
           "with_footer"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

def _footer_title(text: str | list[str]) -> dict:
    return {"text": text, "orient": "bottom", "anchor": "start", "frame": "bounds", "fontSize": 11,
            "fontWeight": "normal", "color": chart_style.GREY, "offset": 12}


def with_footer(chart, text: str | list[str]):
    """The chart with ``text`` underneath, in the house look (see the module notes). A figure (or a whole
    spec) gets the same footer on its spec."""
    if isinstance(chart, (figures.Figure, dict)):
        spec = chart.to_dict() if isinstance(chart, figures.Figure) else dict(chart)
        outer = {k: spec.pop(k) for k in ("$schema", "config", "datasets", "params") if k in spec}
        return {**outer, "vconcat": [spec], "title": _footer_title(text)}
    inner = figures.lean(chart)   # a copy (the chart shown on the page is not changed), cheap to convert
    cfg = inner.config
    inner.config = alt.Undefined
    out = alt.vconcat(inner, title=alt.TitleParams(text=text, orient="bottom", anchor="start", frame="bounds",
                                                   fontSize=11, fontWeight="normal", color=chart_style.GREY,
                                                   offset=12))
    if cfg is not alt.Undefined:
        out.config = cfg
    return out


def _spec(chart) -> dict:
    spec = chart if isinstance(chart, dict) else figures.lean(chart).to_dict()   # a Figure too
    _check_inline(spec)
    return spec


def _check_inline(obj) -> None:
    if isinstance(obj, dict):
        data = obj.get("data")
        if isinstance(data, dict) and "url" in data:
            raise ValueError("chart data must be inline: a URL data source renders empty offline")
        for v in obj.values():
            _check_inline(v)
    elif isinstance(obj, list):
        for v in obj:
            _check_inline(v)


@functools.lru_cache(maxsize=24)
def _png_cached(spec_json: str, scale: float) -> bytes:
    return vlc.vegalite_to_png(spec_json, scale=scale)


def _png(spec: dict, scale: float = 2) -> bytes:
    return _png_cached(json.dumps(spec, sort_keys=True, ensure_ascii=False), float(scale))


# A figure (presentation/figures.py) is compiled from Vega-Lite to Vega once per structure; each export then puts its
# tables and footer into the compiled spec. Compiling is about a tenth of exporting the fan chart to PNG, and
_FOOTER_SLOT = "\u2063footer\u2063"


@functools.lru_cache(maxsize=32)
def _compiled(template_json: str, footer: bool) -> str:
    spec = json.loads(template_json)
    spec["datasets"] = {name: [] for name in figures.data_names(spec)}
    return json.dumps(vlc.vegalite_to_vega(with_footer(spec, _FOOTER_SLOT) if footer else spec), ensure_ascii=False)


def _figure_vega(fig: figures.Figure, footer: str | None) -> str:
    """The figure as a Vega spec (JSON) with its tables and footer."""
    vega = _compiled(json.dumps(fig.template, sort_keys=True, ensure_ascii=False), bool(footer))
    if footer:
        vega = vega.replace(json.dumps(_FOOTER_SLOT, ensure_ascii=False), json.dumps(footer, ensure_ascii=False))
    spec = json.loads(vega)
    values = fig.datasets()
    for data in spec.get("data", []):
        if data.get("name") in values:
            data["values"] = values[data["name"]]
    return json.dumps(spec, ensure_ascii=False)


@functools.lru_cache(maxsize=24)
def _vega_png_cached(vega_json: str, scale: float) -> bytes:
    return vlc.vega_to_png(vega_json, scale=scale)


def _is_figure(chart, footer) -> bool:
    return isinstance(chart, figures.Figure) and (footer is None or isinstance(footer, str))


def chart_png(chart, scale: float = 2, footer: str | None = None) -> bytes:
    """PNG of an Altair chart, figure (or Vega-Lite dict) at ``scale`` × its size, optionally with a footer line."""
    if _is_figure(chart, footer):
        return _vega_png_cached(_figure_vega(chart, footer), float(scale))
    if footer:
        chart = with_footer(chart, footer)
    return _png(_spec(chart), scale)


def chart_svg(chart, footer: str | None = None) -> bytes:
    """SVG (UTF-8) of a chart; fonts are left to the viewer."""
    if _is_figure(chart, footer):
        return vlc.vega_to_svg(_figure_vega(chart, footer)).encode("utf-8")
    if footer:
        chart = with_footer(chart, footer)
    return vlc.vegalite_to_svg(_spec(chart)).encode("utf-8")


def chart_pdf(chart, footer: str | None = None) -> bytes:
    """Vector PDF of a chart (vl-convert embeds its font)."""
    if _is_figure(chart, footer):
        return vlc.vega_to_pdf(_figure_vega(chart, footer))
    if footer:
        chart = with_footer(chart, footer)
    return vlc.vegalite_to_pdf(_spec(chart))


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG's IHDR chunk."""
    if png[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


def _frames(chart) -> list[pd.DataFrame]:
    if isinstance(chart, figures.Figure):   # the tables drawn; the y-axis extent is not data
        return [df for name, df in chart.frames.items() if name != "extent"]
    out = []
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        out.append(data)
    for attr in ("layer", "vconcat", "hconcat", "concat"):
        for sub in getattr(chart, attr, None) or []:
            out.extend(_frames(sub))
    spec = getattr(chart, "spec", None)
    if spec is not None and not isinstance(spec, type(alt.Undefined)):
        out.extend(_frames(spec))
    return out


def chart_data_csv(data, lang: str = "id") -> bytes:
    """The data behind a chart as CSV: a DataFrame, or an Altair chart (its largest inline table)."""
    if not isinstance(data, pd.DataFrame):
        frames = _frames(data)
        if not frames:
            raise ValueError("the chart has no inline table")
        data = max(frames, key=len)
    if {"series", "label"} <= set(data.columns):   # the fan chart's series codes (history, baseline): the names shown
        data = data.assign(series=data["label"]).drop(columns="label")
    return table_csv(data, lang)


# --------------------------------------------------------------------------- pictures for slides and pages


def _chart_spec(chart) -> dict:
    """A chart's whole spec, data inline (the scenario's identity is printed by the slide or page footer)."""
    spec = figures.lean(chart).to_dict()
    _check_inline(spec)
    return spec


_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "labelLimit")


def _scaled_fonts(obj, factor: float):
    if isinstance(obj, dict):
        return {k: (v * factor if k in _FONT_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool)
                    else _scaled_fonts(v, factor)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scaled_fonts(v, factor) for v in obj]
    return obj


def _slide_spec(spec: dict, factor: float = 1.6, legend_columns: int | None = 2,
                wide: bool = True) -> tuple[dict, list[str]]:
    """A chart spec for a slide: larger type, a wider plot, the subtitle lines taken out.

    The subtitle (source line, then any note) goes on the slide as text, where it can be read.
    """
    spec = json.loads(json.dumps(spec))
    caption: list[str] = []
    title = spec.get("title")
    if isinstance(title, dict) and "subtitle" in title:
        sub = title.pop("subtitle")
        caption = [sub] if isinstance(sub, str) else list(sub)
    spec = _scaled_fonts(spec, factor)
    if wide and isinstance(spec.get("width"), (int, float)) and spec["width"] >= chart_style.WIDTH:
        spec["width"], spec["height"] = 720, 300
    chart_style.scale_target_rows(spec, factor)   # label rows as tall as the bigger labels: they never collide
    if legend_columns:
        spec.setdefault("config", {}).setdefault("legend", {})["columns"] = legend_columns
    return spec, caption



def slide_picture(chart, scale: float = 2.5, factor: float = 1.6, legend_columns: int | None = 2,
                  wide: bool = True) -> tuple[bytes, list[str]]:
    """The chart as a PNG for a slide or a printed page (see :func:`_slide_spec`), and its caption lines."""
    spec, caption = _slide_spec(_chart_spec(chart), factor=factor, legend_columns=legend_columns, wide=wide)
    return _png(spec, scale), caption
