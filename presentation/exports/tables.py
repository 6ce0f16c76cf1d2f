"""Tables to share: CSV and XLSX of any table, the projection's workbook, the assumptions and their sources.

CSV is UTF-8 with a byte-order mark (Excel then reads the letters right). Separators follow the language:
``"id"`` writes ``;`` between fields and ``,`` as the decimal mark, because Excel set to Indonesian uses the
comma as its decimal mark and so expects ``;`` between fields; ``"en"`` writes ``,`` and ``.``. Numbers are
written plain (no thousands separators) so that any spreadsheet reads them as numbers. The XLSX keeps numbers
as numbers with number formats (``#,##0``, ``0.00``, ``0%``): Excel shows them with the separators of the
user's own locale.

Safety: user text (scenario and group names) flows into these files. Every *text* cell that starts with
``= + - @``, a tab or a carriage return (also after leading spaces, and the full-width forms) gets a leading
``'`` so that a spreadsheet shows it as text instead of running it as a formula. Numbers stay numbers: a
negative number is not text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import re

import numpy as np
import pandas as pd

from simulation.data import Region
from simulation.io.safe import neutralise  # the one helper for every file written (templates and batch too)
from simulation.parameters import load_parameters

from .. import labels, summaries
from ..i18n import normalize_lang, t
from ..report import base_text, certainty_label, fmt_date, route_text

__all__ = ["assumptions_frame", "column_header", "neutralise", "projection_tables", "projection_workbook",
           "table_csv", "workbook_xlsx"]


def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


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

# a parameter's unit (simulation.parameters.UNITS, written in its YAML entry) -> the unit shown and its number format
_UNIT_KEYS = {"share": "percent", "IDR/month": "idr_month", "IDR/claim": "idr_claim", "months": "months",
              "per year": "per_year", "ratio": "ratio", "percent/year": "pct_year", "logit/year": "ratio",
              "pseudo-changes": "ratio"}
_UNIT_FORMAT = {"percent": "0.00", "idr_month": "#,##0", "idr_claim": "#,##0", "months": "0",
                "per_year": "0.0000", "ratio": "0.0", "persons": "#,##0", "idr_year": "#,##0",
                "pct_year": "0.0", "pct": "0.00"}

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
    for p in params.items.values():
        for v in p.values:   # the label lives once, in the parameter's YAML entry
            add("parameters", p.label(lang), v.value, _UNIT_KEYS[p.unit], v.since, v.source_in(lang), v.certainty)
    r = region
    for v in r.coverage_history:
        add("region", t("exports.item.coverage", lang, year=v.year), v.value, "pct", v.year, v.source_in(lang), v.certainty)
    for v in r.potential_workers:
        add("region", t("exports.item.potential_workers", lang, year=v.year), v.value, "persons", v.year,
            v.source_in(lang), v.certainty)
    for key, s, unit in (("worker_growth", r.worker_growth_pct, "pct_year"), ("formal_share", r.formal_share, "percent"),
                         ("formal_coverage", r.formal_coverage, "percent"), ("apbd_growth", r.apbd_growth_pct, "pct_year")):
        add("region", t(f"exports.item.{key}", lang), s.value, unit, s.source_date, s.source_in(lang), s.certainty)
    wage = labels.region_words(r, lang)["wage"]   # UMK, a province's UMP
    for v in r.min_wage:
        add("region", t("exports.item.min_wage", lang, year=v.year, wage=wage), v.value, "idr_month", v.year,
            v.source_in(lang), v.certainty)
    for v in r.apbd:
        add("region", t("exports.item.apbd", lang, year=v.year), v.value, "idr_year", v.year, v.source_in(lang), v.certainty)
    for g in r.groups:
        for field, unit in (("members", "persons"), ("already_covered", "percent"), ("take_up", "percent"),
                            ("dropout", "percent")):
            s = getattr(g, field)
            add("groups", f"{g.name(lang)}: {t(f'exports.item.{field}', lang)}", s.value, unit, s.source_date,
                s.source_in(lang), s.certainty)
    for tg in r.targets:
        add("targets", f"{tg.name(lang)} ({tg.year})", tg.coverage_pct, "pct", tg.source_date or tg.year,
            tg.source_in(lang), tg.certainty)
    return pd.DataFrame(rows, columns=["category", "item", "value", "unit", "since", "source", "certainty",
                                       "assumption", "_format"])


# --------------------------------------------------------------------------- the projection as tables


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
    first = summaries.scheme_row(p)
    none = t("common.none", lang)
    settings = [
        ("scenario_name", shown.name, None), ("identity", s.content_hash, None), ("region", p.region.name, None),
        ("exported", fmt_date(dt.date.today(), lang), None),
        ("start_year", s.start_year, "0"), ("horizon_year", s.horizon_year, "0"),
        ("route", route_text(s, lang), None), ("base", base_text(s, lang, p.region), None),
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

