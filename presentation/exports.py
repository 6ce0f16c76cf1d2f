"""Exports to present and share: chart images, tables, a council deck and a printed brief (no Streamlit here).

Every function returns ``bytes`` for ``st.download_button(data=callable, on_click="ignore")``, builds its
texts with :func:`presentation.i18n.t` and the ``fmt_*`` helpers in the chosen language (Bahasa Indonesia first) and
works offline.

Charts (:func:`chart_png`, :func:`chart_svg`, :func:`chart_pdf`)
    The builders of :mod:`presentation.charts` already carry the house configuration that the pages show with
    ``theme=None``; vl-convert renders the very same spec, so an export looks like the screen. Only inline
    data is accepted: a URL data source would render empty offline. :func:`with_footer` puts a line under the
    chart (scenario, identity, date): the chart goes into a one-chart ``vconcat`` whose bottom title is the
    footer, and the house configuration moves from the chart to that wrapper (a configured chart cannot be
    concatenated), so nothing in :mod:`presentation.charts` changes.

Tables (:func:`table_csv`, :func:`workbook_xlsx`, :func:`projection_workbook`)
    CSV is UTF-8 with a byte-order mark (Excel then reads the letters right). Separators follow the
    language: ``"id"`` writes ``;`` between fields and ``,`` as the decimal mark, because Excel set to
    Indonesian uses the comma as its decimal mark and so expects ``;`` between fields; ``"en"`` writes ``,``
    and ``.``. Numbers are written plain (no thousands separators) so that any spreadsheet reads them as
    numbers. The XLSX keeps numbers as numbers with number formats (``#,##0``, ``0.00``, ``0%``): Excel shows
    them with the separators of the user's own locale.

    Safety: user text (scenario and group names) flows into these files. Every *text* cell that starts with
    ``= + - @``, a tab or a carriage return (also after leading spaces, and the full-width forms) gets a
    leading ``'`` so that a spreadsheet shows it as text instead of running it as a formula. Numbers stay
    numbers: a negative number is not text.

Deck and brief (:func:`council_deck_pptx`, :func:`brief_pdf`)
    One message per slide as its title, 16:9, titles 32 pt and more, body text 20 pt and more (captions
    with the sources and the slide footer are smaller). The PDF brief has the same content on 2-4 A4 pages,
    set with reportlab's standard Helvetica (text outside Windows-1252 is replaced; « » and – are in it).
    Figures are chart PNGs in both.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import numbers
import re
import struct
from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml_escape

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc
from babel.dates import format_date

from simulation.data import Region, load_parameters
from ui import model

from . import charts, figures, labels
from .i18n import fmt_idr, fmt_idr_short, fmt_number, fmt_pct, normalize_lang, t

__all__ = [
    "assumptions_frame",
    "brief_pdf",
    "chart_data_csv",
    "chart_pdf",
    "chart_png",
    "chart_svg",
    "column_header",
    "council_deck_pptx",
    "fmt_date",
    "footer_text",
    "neutralise",
    "projection_tables",
    "projection_workbook",
    "table_csv",
    "with_footer",
    "workbook_xlsx",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# =========================================================================== small helpers


def fmt_date(day: dt.date, lang: str) -> str:
    """``17 Agustus 2026`` (id) / ``17 August 2026`` (en): CLDR month names (Babel), day first in both."""
    return format_date(day, "d MMMM y", locale=normalize_lang(lang))


def footer_text(scenario, lang: str, on: dt.date | None = None) -> str:
    """The line under an exported chart: scenario name, its identity (content hash) and the date."""
    return t("exports.footer", lang, scenario=labels.scenario_label(scenario, lang), id=scenario.content_hash,
             date=fmt_date(on or dt.date.today(), lang))


# characters that make a spreadsheet read a cell as a formula (or a DDE command)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading ``'``; anything else is returned as is."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


# =========================================================================== charts


def _footer_title(text: str | list[str]) -> dict:
    return {"text": text, "orient": "bottom", "anchor": "start", "frame": "bounds", "fontSize": 11,
            "fontWeight": "normal", "color": charts.GREY, "offset": 12}


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
                                                   fontSize=11, fontWeight="normal", color=charts.GREY,
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
# the result is the same image (tests/test_exports.py).
_FOOTER_SLOT = "\u2063footer\u2063"


@functools.lru_cache(maxsize=32)
def _compiled(template_json: str, footer: bool) -> str:
    spec = json.loads(template_json)
    spec["datasets"] = {name: [] for name in figures._data_names(spec)}
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
    return table_csv(data, lang)


# =========================================================================== tables

_SHARE_COLS = {"already_covered", "take_up", "dropout", "probability", "probability_baseline", "city_share"}
_COUNT_COLS = {"potential_workers", "covered_workers", "uncovered_workers", "pbi_participants", "pbi_added_net",
               "compliance_added", "participants", "added_net", "members"}
_YEAR_COLS = {"year", "start_year", "since", "phase_in_years", "priority"}


def column_header(col: str, lang: str, names: dict | None = None) -> str:
    """Translated header of a table column (``exports.col.<col>``); unknown columns keep their name.

    ``gap_<target id>_pp`` columns name the target, taken from ``names`` (target id -> shown name).
    """
    key = f"exports.col.{col}"
    text = t(key, lang)
    if text != key:
        return text
    m = re.fullmatch(r"gap_(.+)_pp", str(col))
    if m:
        return t("exports.col.gap_target_pp", lang, target=(names or {}).get(m[1], m[1]))
    return str(col)


def _col_format(col: str, series: pd.Series | None = None) -> str | None:
    col = str(col)
    if col in _YEAR_COLS:
        return "0"
    if col in _SHARE_COLS:
        return "0%"
    if col.endswith(("_pct", "_pp")) or col == "claims_to_contributions":
        return "0.00"
    if col.endswith("_idr") or col in _COUNT_COLS:
        return "#,##0"
    if col in ("jkm_claims", "jkk_claims"):
        return "#,##0.0"
    if series is not None and pd.api.types.is_float_dtype(series):
        return "#,##0.00"
    if series is not None and pd.api.types.is_integer_dtype(series):
        return "#,##0"
    return None


def _prepare(df: pd.DataFrame, lang: str, translate: bool, names: dict | None, bool_words: bool) -> pd.DataFrame:
    """A copy with safe text, translated headers and the private ``_format`` column dropped."""
    out = df.drop(columns=[c for c in df.columns if str(c).startswith("_")]).copy()
    yes, no = t("common.yes", lang), t("common.no", lang)
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_bool_dtype(s):
            if bool_words:
                out[c] = s.map(lambda v: yes if v else no)
        elif pd.api.types.is_float_dtype(s):
            out[c] = s.round(6)
        elif not pd.api.types.is_numeric_dtype(s):
            out[c] = s.map(lambda v: neutralise(yes if v else no) if isinstance(v, (bool, np.bool_))
                           else neutralise(v)).astype(object)
    headers = [neutralise(column_header(c, lang, names) if translate else str(c)) for c in out.columns]
    out.columns = headers
    return out


def table_csv(df: pd.DataFrame, lang: str = "id", translate: bool = True, names: dict | None = None) -> bytes:
    """CSV bytes: UTF-8 with BOM; ``;`` and decimal ``,`` for ``id``, ``,`` and ``.`` for ``en``.

    Headers are translated with :func:`column_header` (``translate=False`` keeps the column names); text
    that could run as a formula is neutralised; ``True``/``False`` become ``Ya``/``Tidak`` (``Yes``/``No``).
    """
    lang = normalize_lang(lang)
    out = _prepare(df, lang, translate, names, bool_words=True)
    sep, dec = (";", ",") if lang == "id" else (",", ".")
    text = out.to_csv(index=False, sep=sep, decimal=dec, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", str(name)).strip("'") or "Sheet"
    base = base[:31]
    title, i = base, 2
    while title.lower() in taken:
        suffix = f" ({i})"
        title, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(title.lower())
    return title


def _cell_value(v):
    if _missing(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (int, float, dt.date, dt.datetime)):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return neutralise(str(v))


def _shown_width(v, fmt: str | None) -> int:
    if v is None:
        return 0
    if isinstance(v, bool):
        return 6
    if _is_number(v):
        if fmt == "0":
            return len(str(int(v)))
        if fmt == "0%":
            return len(f"{v * 100:.0f}") + 2
        decimals = 0 if fmt in ("#,##0", None) and float(v).is_integer() or fmt == "#,##0" else 2
        return len(f"{v:,.{decimals}f}")
    return max((len(line) for line in str(v).splitlines()), default=0)


def _write_sheet(wb, title: str, df: pd.DataFrame, lang: str, names: dict | None, taken: set[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(_sheet_title(title, taken))
    row_formats = list(df["_format"]) if "_format" in df.columns else None
    cols = [c for c in df.columns if not str(c).startswith("_")]
    headers = [neutralise(column_header(c, lang, names)) for c in cols]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEEEEE")
    widths = []
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=j, value=h)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        words = max((len(w) for w in str(h).split()), default=4)
        widths.append(max(words, min(len(str(h)), 24)))
    formats = [_col_format(c, df[c]) for c in cols]
    for i, (_, row) in enumerate(df.iterrows(), start=2):
        for j, c in enumerate(cols, start=1):
            v = _cell_value(row[c])
            cell = ws.cell(row=i, column=j, value=v)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text
                if len(v) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            fmt = formats[j - 1]
            if row_formats is not None and c == "value" and _is_number(v) and isinstance(row_formats[i - 2], str):
                fmt = row_formats[i - 2]
            if _is_number(v) and fmt:
                cell.number_format = fmt
            elif isinstance(v, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
            widths[j - 1] = max(widths[j - 1], _shown_width(v, fmt))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, w + 2))
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions


def workbook_xlsx(tables: dict[str, pd.DataFrame], lang: str = "id", assumptions: pd.DataFrame | None = None,
                  names: dict | None = None) -> bytes:
    """An Excel workbook: one sheet per table (sheet name -> DataFrame), then the assumptions sheet.

    Headers are translated (:func:`column_header`), numbers stay numbers with number formats, the header
    row is frozen, columns are sized to their content and text is neutralised. A table may carry a
    ``_format`` column: the number format of its ``value`` column, row by row (a column of mixed units).
    """
    from openpyxl import Workbook

    lang = normalize_lang(lang)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = t("app.title", lang)
    wb.properties.title = t("exports.workbook_title", lang)
    taken: set[str] = set()
    for title, df in tables.items():
        _write_sheet(wb, title, df, lang, names, taken)
    if assumptions is not None:
        _write_sheet(wb, t("exports.sheet.assumptions", lang), assumptions, lang, names, taken)
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


# --------------------------------------------------------------------------- assumptions and sources

_UNIT_KEYS = {"share": "percent", "IDR/month": "idr_month", "IDR/claim": "idr_claim", "months": "months",
              "per year": "per_year", "ratio": "ratio"}
_UNIT_FORMAT = {"percent": "0.00", "idr_month": "#,##0", "idr_claim": "#,##0", "months": "0",
                "per_year": "0.0000", "ratio": "0.0", "persons": "#,##0", "idr_year": "#,##0",
                "pct_year": "0.0", "pct": "0.00"}


def certainty_label(code: str, lang: str) -> str:
    key = {"H": "certainty.high", "M": "certainty.medium", "L": "certainty.low", "A": "common.assumption"}[code]
    return f"{t(key, lang)} ({code})"


def assumptions_frame(region: Region, lang: str = "id") -> pd.DataFrame:
    """Every dated parameter (data/parameters.yaml) and every sourced value of the region, with its source.

    Columns: category, item, value, unit, since (date or year), source, certainty, assumption (bool),
    ``_format`` (number format of the value). Shares are given in percent.
    """
    lang = normalize_lang(lang)
    rows = []

    def add(category, item, value, unit_key, since, source, certainty):
        if unit_key == "percent":
            value = value * 100
        rows.append({"category": t(f"exports.category.{category}", lang), "item": item, "value": value,
                     "unit": t(f"exports.unit.{unit_key}", lang), "since": since, "source": source,
                     "certainty": certainty_label(certainty, lang), "assumption": certainty == "A",
                     "_format": _UNIT_FORMAT[unit_key]})

    params = load_parameters()
    for pid, p in params.items.items():
        label = t(f"exports.param.{pid}", lang)
        if label == f"exports.param.{pid}":
            label = p.description
        for v in p.values:
            add("parameters", label, v.value, _UNIT_KEYS.get(p.unit, "ratio"), v.since, v.source, v.certainty)
    r = region
    for v in r.coverage_history:
        add("region", t("exports.item.coverage", lang, year=v.year), v.value, "pct", v.year, v.source, v.certainty)
    for v in r.potential_workers:
        add("region", t("exports.item.potential_workers", lang, year=v.year), v.value, "persons", v.year,
            v.source, v.certainty)
    for key, s, unit in (("worker_growth", r.worker_growth_pct, "pct_year"), ("formal_share", r.formal_share, "percent"),
                         ("formal_coverage", r.formal_coverage, "percent"), ("apbd_growth", r.apbd_growth_pct, "pct_year")):
        add("region", t(f"exports.item.{key}", lang), s.value, unit, s.source_date, s.source, s.certainty)
    for v in r.min_wage:
        add("region", t("exports.item.min_wage", lang, year=v.year), v.value, "idr_month", v.year, v.source,
            v.certainty)
    for v in r.apbd:
        add("region", t("exports.item.apbd", lang, year=v.year), v.value, "idr_year", v.year, v.source, v.certainty)
    for g in r.groups:
        for field, unit in (("members", "persons"), ("already_covered", "percent"), ("take_up", "percent"),
                            ("dropout", "percent")):
            s = getattr(g, field)
            add("groups", f"{g.name(lang)}: {t(f'exports.item.{field}', lang)}", s.value, unit, s.source_date,
                s.source, s.certainty)
    for tg in r.targets:
        add("targets", f"{tg.name(lang)} ({tg.year})", tg.coverage_pct, "pct", tg.source_date or tg.year,
            tg.source, tg.certainty)
    return pd.DataFrame(rows, columns=["category", "item", "value", "unit", "since", "source", "certainty",
                                       "assumption", "_format"])


# --------------------------------------------------------------------------- the projection as tables


def _route_text(scenario, lang: str) -> str:
    return t(f"exports.route.{scenario.route}", lang, risk=scenario.risk_class)


def _base_text(scenario, lang: str) -> str:
    return t(f"exports.base.{scenario.base}", lang, amount=fmt_idr(scenario.base_custom_idr, lang))


def projection_tables(projection, lang: str = "id") -> tuple[dict[str, pd.DataFrame], dict]:
    """The sheets of :func:`projection_workbook` (sheet name -> table) and the target names for headers."""
    lang = normalize_lang(lang)
    p = projection
    shown = labels.localized(p.scenario, p.region, lang)
    s = p.scenario
    names = {tg.id: tg.name for tg in shown.targets}
    group_names = {g.id: g.name for g in shown.groups}
    by_group = p.by_group.copy()
    by_group["group"] = [group_names.get(gid, name) for gid, name in zip(by_group["group_id"], by_group["group"],
                                                                         strict=True)]
    targets = p.targets.copy()
    targets["target"] = [names.get(tid, name) for tid, name in zip(targets["target_id"], targets["target"],
                                                                   strict=True)]
    targets["status"] = [t(f"exports.status.{v}", lang) for v in targets["status"]]
    first = p.table.iloc[0]
    none = t("common.none", lang)
    settings = [
        ("scenario_name", shown.name, None), ("identity", s.content_hash, None), ("region", p.region.name, None),
        ("exported", fmt_date(dt.date.today(), lang), None),
        ("start_year", s.start_year, "0"), ("horizon_year", s.horizon_year, "0"),
        ("route", _route_text(s, lang), None), ("base", _base_text(s, lang), None),
        ("contribution_month", float(first["contribution_per_person_month_idr"]), "#,##0"),
        ("city_share", s.city_share, "0%"), ("indexation_pct", s.indexation_pct, "0.0"),
        ("budget_cap_idr", s.budget_cap_idr if s.budget_cap_idr is not None else none, "#,##0"),
        ("takeup_elasticity", s.takeup_elasticity, "0.00"),
        ("compliance_mode", t(f"exports.compliance.{s.compliance_mode}", lang), None),
        ("compliance_per_year", s.compliance_per_year, "#,##0.00"),
        ("worker_growth_pct", s.worker_growth_pct if s.worker_growth_pct is not None
         else p.region.worker_growth_pct.value, "0.0"),
        ("jkm_incidence", s.jkm_incidence, "0.0000"), ("jkk_incidence", s.jkk_incidence, "0.0000"),
        ("jkm_claim_idr", s.jkm_claim_idr, "#,##0"), ("jkk_claim_idr", s.jkk_claim_idr, "#,##0"),
    ]
    scenario_df = pd.DataFrame({"item": [t(f"exports.setting.{k}", lang) for k, _, _ in settings],
                                "value": pd.Series([v for _, v, _ in settings], dtype=object),
                                "_format": [f for _, _, f in settings]})
    groups_df = pd.DataFrame([{"group": g.name, "in_scope": g.in_scope, "members": g.members,
                               "already_covered": g.already_covered, "take_up": g.take_up, "dropout": g.dropout,
                               "start_year": g.start_year, "phase_in_years": g.phase_in_years,
                               "priority": g.priority} for g in shown.groups],
                             columns=["group", "in_scope", "members", "already_covered", "take_up", "dropout",
                                      "start_year", "phase_in_years", "priority"])
    tables = {
        t("exports.sheet.projection", lang): p.table,
        t("exports.sheet.by_group", lang): by_group,
        t("exports.sheet.targets", lang): targets,
        t("exports.sheet.scenario", lang): scenario_df,
        t("exports.sheet.groups", lang): groups_df,
    }
    return tables, names


def projection_workbook(projection, lang: str = "id") -> bytes:
    """The projection, groups, targets, the scenario's settings and the assumptions as one workbook."""
    tables, names = projection_tables(projection, lang)
    return workbook_xlsx(tables, lang, assumptions_frame(projection.region, lang), names=names)


# =========================================================================== deck and brief: the story


@dataclass
class _Story:
    """Texts and numbers shared by the deck and the brief."""

    lang: str
    p: object              # the projection as given (its scenario's identity is the one shown)
    ps: object             # the same projection with names in ``lang`` (for charts and tables)
    name: str
    identity: str
    date: str
    footer: str


def _story(projection, lang: str) -> _Story:
    lang = normalize_lang(lang)
    p = projection
    shown = labels.localized(p.scenario, p.region, lang)
    ps = p if shown == p.scenario else model.project(shown, p.region)
    today = dt.date.today()
    return _Story(lang, p, ps, shown.name, p.scenario.content_hash, fmt_date(today, lang),
                  footer_text(p.scenario, lang, today))


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
    if wide and isinstance(spec.get("width"), (int, float)) and spec["width"] >= charts.WIDTH:
        spec["width"], spec["height"] = 720, 300
    if legend_columns:
        spec.setdefault("config", {}).setdefault("legend", {})["columns"] = legend_columns
    return spec, caption


def _first_target(ctx: _Story):
    years = set(int(y) for y in ctx.p.table["year"])
    for tg, shown in zip(ctx.p.scenario.targets, ctx.ps.scenario.targets, strict=True):
        if tg.year in years:
            return tg, shown
    return None, None


def _situation(ctx: _Story) -> tuple[str, list[str], str]:
    lang, r = ctx.lang, ctx.p.region
    last = r.coverage_history[-1]
    workers = r.potential_workers_in(last.year)
    covered = workers * last.value / 100
    title = t("exports.situation_title", lang, pct=fmt_pct(last.value, lang, 1), region=r.name,
              uncovered=fmt_number(round(workers - covered, -2), lang))
    bullets = [t("exports.situation_now", lang, year=last.year, covered=fmt_number(round(covered, -2), lang),
                 workers=fmt_number(round(workers, -2), lang), pct=fmt_pct(last.value, lang, 1))]
    tg, shown = _first_target(ctx)
    if tg is not None:
        row = ctx.p.row(tg.year)
        bullets.append(t("exports.situation_trend", lang, year=tg.year, base=fmt_pct(row["baseline_coverage_pct"], lang),
                         lo=fmt_pct(row["baseline_coverage_low_pct"], lang),
                         hi=fmt_pct(row["baseline_coverage_high_pct"], lang)))
    for sh in ctx.ps.scenario.targets[:4]:
        bullets.append(t("exports.situation_target", lang, name=sh.name, pct=fmt_pct(sh.coverage_pct, lang, 1),
                         year=sh.year))
    source = t("exports.situation_source", lang, year=last.year, source=last.source,
               certainty=certainty_label(last.certainty, lang))
    return title, bullets, source


def _scenario_facts(ctx: _Story) -> tuple[str, list[list[str]], list[str]]:
    lang, s, p = ctx.lang, ctx.ps.scenario, ctx.p
    in_scope = [g for g in s.groups if g.in_scope and g.members > 0]
    members = sum(g.members for g in in_scope)
    first = p.table.iloc[0]
    year = int(first["year"])
    title = (t("exports.scenario_title", lang, n=fmt_number(members, lang), k=len(in_scope)) if in_scope
             else t("exports.scenario_title_none", lang))
    active = ctx.ps.by_group[ctx.ps.by_group["year"] == year].set_index("group_id")["participants"]
    rows = [[g.name, fmt_number(g.members, lang), fmt_number(active.get(g.id, 0.0), lang)] for g in in_scope]
    cap = (t("exports.no_cap", lang) if s.budget_cap_idr is None
           else t("exports.cap", lang, cap=fmt_idr_short(s.budget_cap_idr, lang)))
    facts = [
        t("exports.fact_route", lang, route=_route_text(s, lang)),
        t("exports.fact_contribution", lang, amount=fmt_idr(first["contribution_per_person_month_idr"], lang),
          year=year),
        t("exports.fact_city_share", lang, share=fmt_pct(s.city_share * 100, lang, 0)),
        t("exports.fact_budget", lang, year=year, cost=fmt_idr_short(first["cost_idr"], lang),
          share=fmt_pct(first["cost_share_apbd_pct"], lang, 3)),
        cap,
    ]
    return title, rows, facts


def _projection_texts(ctx: _Story) -> tuple[str, str, str, str]:
    lang, p = ctx.lang, ctx.p
    tg, shown = _first_target(ctx)
    if tg is None:
        row = p.final
        year = int(row["year"])
        title = t("exports.proj_title_plain", lang, year=year, pct=fmt_pct(row["coverage_pct"], lang))
        sentence = t("exports.proj_range", lang, year=year, lo=fmt_pct(row["coverage_low_pct"], lang),
                     hi=fmt_pct(row["coverage_high_pct"], lang))
        return title, sentence, fmt_pct(row["coverage_pct"], lang), t("exports.big_coverage", lang, year=year)
    row = p.row(tg.year)
    tr = p.targets[p.targets["target_id"] == tg.id].iloc[0]
    key = "exports.proj_title_above" if row["coverage_pct"] >= tg.coverage_pct else "exports.proj_title_below"
    title = t(key, lang, year=tg.year, pct=fmt_pct(row["coverage_pct"], lang), target=shown.name,
              tpct=fmt_pct(tg.coverage_pct, lang, 1))
    sentence = " ".join([
        t("exports.proj_range", lang, year=tg.year, lo=fmt_pct(row["coverage_low_pct"], lang),
          hi=fmt_pct(row["coverage_high_pct"], lang)),
        t("exports.proj_probability", lang, target=shown.name, tpct=fmt_pct(tg.coverage_pct, lang, 1),
          prob=fmt_pct(100 * tr["probability"], lang, 0), base=fmt_pct(100 * tr["probability_baseline"], lang, 0)),
    ])
    return title, sentence, fmt_pct(row["coverage_pct"], lang), t("exports.big_coverage", lang, year=tg.year)


def _cost_texts(ctx: _Story) -> tuple[str, str, str, str]:
    lang, tab = ctx.lang, ctx.p.table
    first = tab.iloc[0]
    title = t("exports.cost_title", lang, year=int(first["year"]), cost=fmt_idr_short(first["cost_idr"], lang),
              claims=fmt_idr_short(first["claims_idr"], lang))
    ratio = first["claims_to_contributions"]
    sentence = " ".join([
        t("exports.cost_total", lang, first=int(tab["year"].min()), last=int(tab["year"].max()),
          cost=fmt_idr_short(tab["cost_idr"].sum(), lang), claims=fmt_idr_short(tab["claims_idr"].sum(), lang),
          deaths=fmt_number(tab["jkm_claims"].sum(), lang), accidents=fmt_number(tab["jkk_claims"].sum(), lang)),
        t("exports.cost_ratio", lang, ratio=fmt_number(ratio, lang, 1)) if not _missing(ratio) else "",
    ])
    return (title, sentence.replace("  ", " ").strip(), fmt_idr_short(first["cost_idr"], lang),
            t("exports.big_cost", lang, year=int(first["year"])))


def _goal(ctx: _Story, goal):
    """The goal-seek result to show and the target it answers (computed for the first target if not given)."""
    if goal is None:
        tg, _ = _first_target(ctx)
        if tg is None:
            return None
        goal = model.goal_seek(ctx.p.scenario, ctx.p.region, tg.coverage_pct, tg.year, 0.5)
    return goal


def _goal_texts(ctx: _Story, goal) -> tuple[str, list[list[str]], str]:
    lang = ctx.lang
    tpct = fmt_pct(goal.target_pct, lang, 1)
    if goal.already_reached:
        title = t("exports.goal_title_reached", lang, tpct=tpct, year=goal.year)
    elif goal.feasible:
        title = t("exports.goal_title_needs", lang, tpct=tpct, year=goal.year,
                  n=fmt_number(goal.extra_participants, lang), cost=fmt_idr_short(goal.extra_budget_idr, lang))
    else:
        title = t("exports.goal_title_short", lang, tpct=tpct, year=goal.year,
                  pp=fmt_number(goal.shortfall_pct, lang, 1))
    names = {g.id: g.name for g in labels.localized(goal.scenario, ctx.p.region, lang).groups}
    rows = [[names.get(r.group_id, r.group), fmt_number(r.members, lang), fmt_number(r.participants, lang),
             fmt_idr_short(r.cost_idr, lang)] for r in goal.steps.itertuples()]
    conf = (t("exports.goal_median", lang) if abs(goal.confidence - 0.5) < 1e-9
            else t("exports.goal_confidence", lang, prob=fmt_pct(goal.confidence * 100, lang, 0)))
    sentence = t("exports.goal_sentence", lang, conf=conf, year=goal.year, budget=fmt_idr_short(goal.budget_idr, lang),
                 base=fmt_pct(goal.baseline_pct, lang))
    return title, rows, sentence


def _sens_top(sens: pd.DataFrame, lang: str) -> tuple[str, int]:
    """The assumption that moves the final-year coverage most (the trend's own range is only a yardstick)."""
    rows = sens[sens["assumption"] != "trend"]
    key = rows.iloc[0]["assumption"] if len(rows) else sens.iloc[0]["assumption"]
    return t(f"sens.{key}", lang), int(sens["year"].iloc[0])


def _assumption_rows(ctx: _Story) -> list[dict]:
    """The inputs of this projection marked A (assumption) or L (weak), with value and source.

    Group values that the scenario changed from the region's data count as the user's assumption.
    Rows of one field and certainty across groups are merged.
    """
    lang, p, r = ctx.lang, ctx.p, ctx.p.region
    s = p.scenario
    names = {g.id: g.name for g in ctx.ps.scenario.groups}
    user = t("exports.source_user", lang)
    rows: list[dict] = []

    def fmt(kind, v):
        return {"persons": lambda: fmt_number(v, lang), "share": lambda: fmt_pct(v * 100, lang, 0),
                "idr": lambda: fmt_idr(v, lang), "idr_short": lambda: fmt_idr_short(v, lang),
                "per_year": lambda: t("exports.per_1000", lang, n=fmt_number(v * 1000, lang, 1)),
                "pct_year": lambda: t("exports.pct_year", lang, pct=fmt_pct(v, lang, 1)),
                "number": lambda: fmt_number(v, lang, 2)}[kind]()

    merged: dict[tuple, dict] = {}
    for g in s.groups:
        if not (g.in_scope and g.members > 0):
            continue
        d = r.group(g.id)
        for field, kind in (("members", "persons"), ("already_covered", "share"), ("take_up", "share"),
                            ("dropout", "share")):
            value = getattr(g, field)
            src = getattr(d, field) if d is not None else None
            if src is not None and math.isclose(float(value), src.value, rel_tol=1e-9, abs_tol=1e-12):
                certainty, source = src.certainty, src.source
            else:
                certainty, source = "A", user
            if certainty not in ("A", "L"):
                continue
            key = (field, certainty)
            m = merged.setdefault(key, {"label": t(f"exports.item.{field}", lang), "groups": [], "values": [],
                                        "certainty": certainty, "sources": []})
            m["groups"].append(names.get(g.id, g.name))
            text = fmt(kind, value)
            if text not in m["values"]:
                m["values"].append(text)
            if source not in m["sources"]:
                m["sources"].append(source)
    n_in = sum(1 for g in s.groups if g.in_scope and g.members > 0)
    for m in merged.values():
        every = len(m["groups"]) == n_in and n_in > 1
        who = t("exports.all_groups", lang) if every else ", ".join(m["groups"])
        count = t("exports.all_groups", lang) if every else (
            m["groups"][0] if len(m["groups"]) == 1 else t("exports.n_groups", lang, n=len(m["groups"])))
        rows.append({"label": f"{m['label']}: {who}", "short": f"{m['label']} ({count})",
                     "value": "; ".join(m["values"]), "certainty": m["certainty"], "sources": m["sources"]})

    params = load_parameters()
    today = dt.date.today()

    def param_row(label_key, value, pid, kind):
        pv = params[pid].at(today)
        same = math.isclose(float(value), pv.value, rel_tol=1e-9, abs_tol=1e-12)
        certainty, source = (pv.certainty, pv.source) if same else ("A", user)
        if certainty in ("A", "L"):
            rows.append({"label": t(label_key, lang), "short": t(label_key, lang), "value": fmt(kind, value),
                         "certainty": certainty, "sources": [source]})

    param_row("exports.setting.takeup_elasticity", s.takeup_elasticity, "behaviour.takeup_elasticity", "number")
    param_row("exports.setting.jkm_incidence", s.jkm_incidence, "incidence.jkm_death", "per_year")
    jkk_pid = "incidence.jkk_accident_pu" if s.route == "pu" else "incidence.jkk_accident_bpu"
    param_row("exports.setting.jkk_incidence", s.jkk_incidence, jkk_pid, "per_year")
    param_row("exports.setting.jkk_claim_idr", s.jkk_claim_idr, "claim.jkk_average", "idr")
    param_row("exports.setting.jkm_claim_idr", s.jkm_claim_idr, "benefit.jkm_total", "idr")

    def region_row(label, value, sourced, kind):
        if sourced is None:
            certainty, source = "A", user
        else:
            certainty, source = sourced.certainty, sourced.source
        if certainty in ("A", "L"):
            rows.append({"label": label, "short": label, "value": fmt(kind, value), "certainty": certainty,
                         "sources": [source]})

    wg = r.worker_growth_pct
    region_row(t("exports.item.worker_growth", lang), wg.value if s.worker_growth_pct is None else s.worker_growth_pct,
               wg if s.worker_growth_pct is None or math.isclose(s.worker_growth_pct, wg.value) else None, "pct_year")
    for v in r.potential_workers:
        region_row(t("exports.item.potential_workers", lang, year=v.year), v.value, v, "persons")
    apbd = r.apbd[-1]
    region_row(t("exports.item.apbd", lang, year=apbd.year), apbd.value, apbd, "idr_short")
    region_row(t("exports.item.apbd_growth", lang), r.apbd_growth_pct.value, r.apbd_growth_pct, "pct_year")
    if s.compliance_mode != "none":
        region_row(t("exports.item.formal_share", lang), r.formal_share.value, r.formal_share, "share")
        region_row(t("exports.item.formal_coverage", lang), r.formal_coverage.value, r.formal_coverage, "share")
    for v in r.coverage_history:
        region_row(t("exports.item.coverage", lang, year=v.year), v.value / 100, v, "share")
    rows.sort(key=lambda x: x["certainty"] != "A")  # assumptions first, then weak sources
    return rows


# =========================================================================== the council deck (PPTX)

_SLIDE_W, _SLIDE_H = 13.333, 7.5   # inches, 16:9
_MARGIN = 0.6
TITLE_PT, BODY_PT, CAPTION_PT, FOOTER_PT = 32, 22, 14, 12
_MAX_TABLE_ROWS = 7


def _shorten(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;:") + "…"


class _Deck:
    def __init__(self, lang: str):
        from pptx import Presentation
        from pptx.util import Inches

        self.lang = lang
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(_SLIDE_W), Inches(_SLIDE_H)
        self.layout = self.prs.slide_layouts[6]  # blank
        self.slides = []

    @staticmethod
    def _rgb(hex_colour: str):
        from pptx.dml.color import RGBColor

        return RGBColor.from_string(hex_colour.lstrip("#").upper())

    def text(self, slide, x, y, w, h, paragraphs, anchor="top"):
        """``paragraphs``: list of (text, size_pt, bold, colour) tuples."""
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
        tf.margin_left = tf.margin_right = Inches(0.05)
        for i, (txt, size, bold, colour) in enumerate(paragraphs):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.space_after = Pt(min(size, 24) * 0.45)
            run = para.add_run()
            run.text = _no_break(txt)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = "Liberation Sans"
            run.font.color.rgb = self._rgb(colour)
        return box

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.layout)
        self.text(s, _MARGIN, 0.35, _SLIDE_W - 2 * _MARGIN, 1.3, [(title, TITLE_PT, True, charts.INK)],
                  anchor="bottom")
        self.bar(s, 1.72)
        self.slides.append(s)
        return s

    def bar(self, slide, y):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(_MARGIN + 0.05), Inches(y), Inches(1.6),
                                     Inches(0.07))
        bar.fill.solid()
        bar.fill.fore_color.rgb = self._rgb(charts.ORANGE)
        bar.line.fill.background()

    def bullets(self, slide, x, y, w, h, items, size=BODY_PT):
        return self.text(slide, x, y, w, h, [("• " + it, size, False, charts.INK) for it in items])

    def table(self, slide, x, y, w, header, rows, widths, size=20, align_numbers=True):
        from pptx.util import Inches, Pt

        n = len(rows) + 1
        row_h = size / 72 * 1.9
        shape = slide.shapes.add_table(n, len(header), Inches(x), Inches(y), Inches(w), Inches(row_h * n))
        tbl = shape.table
        tbl.first_row = True
        tbl.horz_banding = False
        total = sum(widths)
        for j, wj in enumerate(widths):
            tbl.columns[j].width = Inches(w * wj / total)
        for i, values in enumerate([header, *rows]):
            tbl.rows[i].height = Inches(row_h)
            for j, v in enumerate(values):
                cell = tbl.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = self._rgb("#E8E8E8" if i == 0 else ("#FFFFFF" if i % 2 else "#F6F6F6"))
                cell.margin_left = cell.margin_right = Inches(0.08)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                tf = cell.text_frame
                tf.word_wrap = True
                para = tf.paragraphs[0]
                run = para.add_run()
                run.text = _no_break(str(v))
                run.font.size = Pt(size)
                run.font.bold = i == 0
                run.font.name = "Liberation Sans"
                run.font.color.rgb = self._rgb(charts.INK)
                if align_numbers and j > 0 and i > 0 and _looks_numeric(str(v)):
                    from pptx.enum.text import PP_ALIGN

                    para.alignment = PP_ALIGN.RIGHT
        return shape

    def picture(self, slide, png: bytes, x, y, w, h):
        """The PNG fitted into the box (aspect kept), anchored top left."""
        from pptx.util import Inches

        pw, ph = png_size(png)
        scale = min(w / pw, h / ph)
        return slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(pw * scale),
                                        Inches(ph * scale))

    def save(self, footer: str) -> bytes:
        n = len(self.slides)
        for i, s in enumerate(self.slides, start=1):
            if i == 1:
                continue
            self.text(s, _MARGIN, _SLIDE_H - 0.45, _SLIDE_W - 2 * _MARGIN - 1.0, 0.35,
                      [(footer, FOOTER_PT, False, charts.GREY)])
            box = self.text(s, _SLIDE_W - _MARGIN - 1.0, _SLIDE_H - 0.45, 1.0, 0.35,
                            [(f"{i} / {n}", FOOTER_PT, False, charts.GREY)])
            from pptx.enum.text import PP_ALIGN

            box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        bio = io.BytesIO()
        self.prs.save(bio)
        return bio.getvalue()


_NO_BREAK = re.compile(r"(Rp) (?=[-0-9])|(?<=[0-9]) (%|poin|pp|juta|miliar|triliun|million|billion|trillion)(?!\w)")


def _no_break(text: str) -> str:
    """Keep "Rp 2,15 miliar" and "45,0 %" on one line."""
    return _NO_BREAK.sub(lambda m: (m[1] + "\u00a0") if m[1] else "\u00a0" + m[2], str(text))


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?(Rp[ \u00a0])?[0-9.,]+([ \u00a0](%|juta|miliar|triliun|million|billion|trillion))?",
                             text))


def _chart_slide(deck: _Deck, ctx: _Story, title: str, chart, sentence: str, big: str = "", big_label: str = "",
                 notes: tuple[str, ...] = (), scale: float = 2.5) -> None:
    """Chart on the left, the message's number and sentence on the right, the chart's source underneath."""
    s = deck.slide(title)
    spec, caption = _slide_spec(_chart_spec(chart))
    png = _png(spec, scale)
    top, bottom = 1.95, _SLIDE_H - 0.55 - 0.45
    pic = deck.picture(s, png, _MARGIN - 0.1, top, 7.9, bottom - top)
    x_text = _MARGIN - 0.1 + pic.width / 914400 + 0.3
    paras = []
    if big:
        paras += [(big, 40 if len(big) <= 9 else 32, True, charts.ORANGE), (big_label, 20, False, charts.GREY)]
    paras.append((sentence, 20, False, charts.INK))
    paras += [(line, CAPTION_PT, False, charts.GREY) for line in (*notes, *caption[1:])]
    deck.text(s, x_text, top + 0.05, _SLIDE_W - _MARGIN - x_text, bottom - top - 0.05, paras)
    if caption:
        deck.text(s, _MARGIN, bottom + 0.02, _SLIDE_W - 2 * _MARGIN, 0.45,
                  [(_shorten(caption[0], 250), CAPTION_PT, False, charts.GREY)])


def council_deck_pptx(projection, lang: str = "id", goal=None, sens: pd.DataFrame | None = None,
                      compare: list | None = None) -> bytes:
    """A 16:9 deck for the council, one message per slide.

    Slides: title; the situation today; the scenario; the projection against the targets (fan chart);
    cost and what families get back (claims chart); what it takes to reach the target (``goal``, a
    GoalSeekResult; computed at the median for the first target in the horizon when not given, left out
    when there is none); which assumptions matter (``sens``, a sensitivity table, if given); other
    scenarios (``compare``, a list of projections, if given); the assumptions and weak sources used.
    """
    ctx = _story(projection, lang)
    lang = ctx.lang
    deck = _Deck(lang)
    p, ps = ctx.p, ctx.ps

    # 1 title
    s = deck.prs.slides.add_slide(deck.layout)
    deck.slides.append(s)
    deck.text(s, _MARGIN, 1.5, _SLIDE_W - 2 * _MARGIN, 2.2, [(ctx.name, 44, True, charts.INK)], anchor="bottom")
    deck.bar(s, 3.75)
    deck.text(s, _MARGIN, 4.0, _SLIDE_W - 2 * _MARGIN, 3.0, [
        (t("exports.deck_subtitle", lang), 26, False, charts.INK),
        (f"{p.region.name} · {ctx.date}", 24, False, charts.GREY),
        (t("exports.identity_line", lang, id=ctx.identity), 20, False, charts.GREY),
        (t("app.disclaimer", lang), 16, False, charts.GREY),
    ])

    # 2 situation
    title, bullets, source = _situation(ctx)
    s = deck.slide(title)
    deck.bullets(s, _MARGIN, 2.05, _SLIDE_W - 2 * _MARGIN, 4.2, bullets)
    deck.text(s, _MARGIN, _SLIDE_H - 1.15, _SLIDE_W - 2 * _MARGIN, 0.6, [(_shorten(source, 230), CAPTION_PT, False,
                                                                          charts.GREY)])

    # 3 scenario
    title, rows, facts = _scenario_facts(ctx)
    s = deck.slide(title)
    year = int(p.table["year"].iloc[0])
    if len(rows) > _MAX_TABLE_ROWS:
        rest = rows[_MAX_TABLE_ROWS - 1:]
        rows = rows[: _MAX_TABLE_ROWS - 1] + [[t("exports.other_groups", lang, n=len(rest)),
                                               fmt_number(sum(parse_int(r[1]) for r in rest), lang), ""]]
    deck.table(s, _MARGIN, 2.05, 7.3, [t("common.group", lang), t("exports.members", lang),
                                       t("exports.active_in", lang, year=year)], rows, [3.4, 1.5, 1.9])
    deck.bullets(s, _MARGIN + 7.6, 2.05, _SLIDE_W - 2 * _MARGIN - 7.6, 4.6, facts, size=20)

    # 4 projection
    title, sentence, big, big_label = _projection_texts(ctx)
    _chart_slide(deck, ctx, title, charts.fan_chart(ps, lang), sentence, big, big_label)

    # 5 cost and claims
    title, sentence, big, big_label = _cost_texts(ctx)
    _chart_slide(deck, ctx, title, charts.claims_chart(ps, lang), sentence, big, big_label,
                 notes=(t("exports.cost_note", lang),))

    # 6 goal
    g = _goal(ctx, goal)
    if g is not None:
        title, rows, sentence = _goal_texts(ctx, g)
        s = deck.slide(title)
        deck.text(s, _MARGIN, 2.0, _SLIDE_W - 2 * _MARGIN, 1.0, [(sentence, 20, False, charts.INK)])
        if rows:
            if len(rows) > _MAX_TABLE_ROWS:
                rest = rows[_MAX_TABLE_ROWS - 1:]
                rows = rows[: _MAX_TABLE_ROWS - 1] + [[t("exports.other_groups", lang, n=len(rest)),
                                                       fmt_number(sum(parse_int(r[1]) for r in rest), lang),
                                                       fmt_number(sum(parse_int(r[2]) for r in rest), lang), ""]]
            deck.table(s, _MARGIN, 3.15, _SLIDE_W - 2 * _MARGIN,
                       [t("common.group", lang), t("exports.members_to_add", lang), t("common.participants", lang),
                        t("common.cost_per_year", lang)], rows, [4.6, 2.6, 2.0, 2.4])

    # 7 sensitivity, 8 comparison (optional)
    if sens is not None and len(sens):
        top, year = _sens_top(sens, lang)
        _chart_slide(deck, ctx, t("exports.sens_title", lang, top=top, year=year), charts.tornado_chart(sens, lang),
                     t("exports.sens_sentence", lang, top=top))
    if compare:
        cps = [model.project(labels.localized(c.scenario, c.region, lang), c.region) for c in compare]
        _chart_slide(deck, ctx, t("exports.compare_title", lang), charts.compare_chart(cps, lang),
                     t("exports.compare_sentence", lang, n=len(cps)))

    # 9 appendix: assumptions (A), then weak sources (L)
    rows = _assumption_rows(ctx)
    n_chunks = -(-len(rows) // 5)
    per = -(-len(rows) // n_chunks) if n_chunks else 1
    chunks = [rows[i:i + per] for i in range(0, len(rows), per)]
    for k, chunk in enumerate(chunks, start=1):
        title = t("exports.assumptions_title", lang)
        if len(chunks) > 1:
            title += f" ({k}/{len(chunks)})"
        s = deck.slide(title)
        deck.table(s, _MARGIN, 2.0, _SLIDE_W - 2 * _MARGIN,
                   [t("exports.input", lang), t("common.value", lang), t("exports.col.source", lang)],
                   [[r["short"], _shorten(r["value"], 34) + f" ({r['certainty']})", _shorten(r["sources"][0], 60)]
                    for r in chunk], [4.4, 2.9, 4.8], size=20, align_numbers=False)
        deck.text(s, _MARGIN, _SLIDE_H - 1.0, _SLIDE_W - 2 * _MARGIN, 0.5,
                  [(t("exports.assumptions_note", lang), CAPTION_PT, False, charts.GREY)])
    return deck.save(ctx.footer)


def parse_int(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text) or 0)


# =========================================================================== the brief (PDF)


def _pdf_text(text) -> str:
    """Escaped for reportlab's mini-HTML and limited to what the standard fonts (cp1252) can show."""
    s = _no_break(str(text)).encode("cp1252", "replace").decode("cp1252")
    return _xml_escape(s)


def brief_pdf(projection, lang: str = "id", goal=None, sens: pd.DataFrame | None = None,
              compare: list | None = None, compress: bool = True) -> bytes:
    """The content of the council deck as a 2-4 page A4 brief (reportlab, standard fonts)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    ctx = _story(projection, lang)
    lang = ctx.lang
    p, ps = ctx.p, ctx.ps
    ink, grey = colors.HexColor(charts.INK), colors.HexColor(charts.GREY)
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, textColor=ink, spaceAfter=4)
    h1 = ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=10,
                        spaceAfter=5)
    meta = ParagraphStyle("meta", parent=base, textColor=grey)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=grey)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0)
    cell_r = ParagraphStyle("cell_r", parent=cell, alignment=TA_RIGHT)
    bullet = ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2)

    width = A4[0] - 4 * cm

    def para(text, style=base):
        return Paragraph(_pdf_text(text), style)

    def figure(chart, max_h, side=()):
        """The chart as a PNG, its source and note underneath as text; ``side`` paragraphs go to its right
        when the picture leaves room, else below it."""
        spec, caption = _slide_spec(_chart_spec(chart), factor=1.2, legend_columns=None, wide=False)
        png = _png(spec, 2.5)
        pw, ph = png_size(png)
        w = width
        h = w * ph / pw
        if h > max_h:
            h, w = max_h, max_h * pw / ph
        img = Image(io.BytesIO(png), width=w, height=h)
        img.hAlign = "LEFT"
        notes = [para(line, small) for line in caption]
        side = list(side)
        if side and width - w >= 5 * cm:
            grid = Table([[img, side]], colWidths=[w + 0.3 * cm, width - w - 0.3 * cm], hAlign="LEFT")
            grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
            return [grid, *notes]
        return [img, *notes, Spacer(1, 3), *side]

    def table(header, rows, widths, numeric_from=1, share=1.0):
        data = [[Paragraph(_pdf_text(h), ParagraphStyle("th", parent=cell, fontName="Helvetica-Bold",
                                                        alignment=TA_RIGHT if j >= numeric_from else 0))
                 for j, h in enumerate(header)]]
        for r in rows:
            data.append([Paragraph(_pdf_text(v), cell_r if j >= numeric_from else cell) for j, v in enumerate(r)])
        tw = sum(widths)
        tb = Table(data, colWidths=[share * width * w / tw for w in widths], repeatRows=1, hAlign="LEFT")
        tb.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F6F6F6")]),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]))
        return tb

    story = [para(ctx.name, h1),
             para(f"{p.region.name} · {ctx.date} · {t('exports.identity_line', lang, id=ctx.identity)}", meta),
             para(t("exports.deck_subtitle", lang) + ". " + t("app.disclaimer", lang), meta)]

    title, bullets, source = _situation(ctx)
    story += [para(title, h2)] + [Paragraph(_pdf_text(b), bullet, bulletText="•") for b in bullets]
    story.append(para(source, small))

    title, rows, facts = _scenario_facts(ctx)
    year = int(p.table["year"].iloc[0])
    groups = table([t("common.group", lang), t("exports.members", lang), t("exports.active_in", lang, year=year)],
                   rows, [3.0, 1.3, 1.5], share=0.55)
    side = Table([[[Paragraph(_pdf_text(f), bullet, bulletText="•") for f in facts], groups]],
                 colWidths=[0.43 * width, 0.57 * width], hAlign="LEFT")
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (0, 0), 8)]))
    story += [para(title, h2), side]

    title, sentence, big, big_label = _projection_texts(ctx)
    big_style = ParagraphStyle("big", parent=base, fontName="Helvetica-Bold", fontSize=22, leading=26,
                               textColor=colors.HexColor(charts.ORANGE), spaceAfter=2)
    story.append(KeepTogether([para(title, h2), *figure(charts.fan_chart(ps, lang), 7.2 * cm,
                                                         [para(big, big_style), para(big_label, meta),
                                                          para(sentence)])]))

    title, sentence, big, big_label = _cost_texts(ctx)
    story.append(KeepTogether([para(title, h2), *figure(charts.claims_chart(ps, lang), 6.3 * cm,
                                                         [para(big, big_style), para(big_label, meta),
                                                          para(sentence), para(t("exports.cost_note", lang),
                                                                               small)])]))
    if len(ps.by_group) and ps.by_group["cost_idr"].sum() > 0:
        story.append(KeepTogether(figure(charts.cost_by_group_chart(ps, lang), 6.3 * cm)))

    g = _goal(ctx, goal)
    if g is not None:
        title, rows, sentence = _goal_texts(ctx, g)
        block = [para(title, h2), para(sentence)]
        if rows:
            block.append(table([t("common.group", lang), t("exports.members_to_add", lang),
                                t("common.participants", lang), t("common.cost_per_year", lang)], rows,
                               [4.2, 2.2, 2.0, 2.4], share=0.85))
        story.append(KeepTogether(block))

    if sens is not None and len(sens):
        top, year = _sens_top(sens, lang)
        story.append(KeepTogether([para(t("exports.sens_title", lang, top=top, year=year), h2),
                                   *figure(charts.tornado_chart(sens, lang), 7 * cm,
                                           [para(t("exports.sens_sentence", lang, top=top))])]))
    if compare:
        cps = [model.project(labels.localized(c.scenario, c.region, lang), c.region) for c in compare]
        story.append(KeepTogether([para(t("exports.compare_title", lang), h2),
                                   *figure(charts.compare_chart(cps, lang), 6.5 * cm,
                                           [para(t("exports.compare_sentence", lang, n=len(cps)))])]))

    rows = _assumption_rows(ctx)
    story.append(KeepTogether([
        para(t("exports.assumptions_title", lang), h2),
        table([t("exports.input", lang), t("common.value", lang), t("exports.col.certainty", lang),
               t("exports.col.source", lang)],
              [[r["label"], r["value"], certainty_label(r["certainty"], lang), " | ".join(r["sources"])]
               for r in rows], [3.4, 1.8, 1.8, 5.0], numeric_from=9),
        Spacer(1, 4), para(t("exports.assumptions_note", lang), small)]))

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(grey)
        canvas.drawString(2 * cm, 1.2 * cm, ctx.footer.encode("cp1252", "replace").decode("cp1252"))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, t("exports.page", lang, n=doc.page))
        canvas.restoreState()

    bio = io.BytesIO()
    doc = SimpleDocTemplate(bio, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=2 * cm, title=ctx.name, author=t("app.title", lang),
                            subject=t("exports.deck_subtitle", lang), creator=t("app.title", lang),
                            lang=lang, pageCompression=1 if compress else 0)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return bio.getvalue()
