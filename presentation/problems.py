"""What is wrong with an office file or an edited table, said in the user's language.

:mod:`simulation.io` reports a :class:`~simulation.io.results.Problem` (a code, params, the row as the user
sees it, the column as written). This module is the one place that turns it into words, so the Data page,
``python -m simulation check`` and ``batch`` say exactly the same thing (``"Baris 4, kolom Cakupan (%): ..."``).

Text from the file (a cell, a header, a sheet name) is shown with its invisible characters written out
(``<U+200B>``, :func:`simulation.io.safe.visible`), so a refused id never looks identical to a valid one.
Escaping for Markdown is the page's job (``md_escape``); these sentences are plain text.
"""

from __future__ import annotations

from simulation.io import Problem
from simulation.io.safe import visible

from .i18n import fmt_idr, fmt_number, t

__all__ = ["error_params", "problem_text"]

#: params that are years or labels (a line, a row, a version), written as they are: 2026, never "2.026"
_AS_WRITTEN = frozenset({"year", "years", "last", "first", "line", "row", "version"})
#: codes whose every number is a year
_YEAR_CODES = frozenset({"bad_break_year", "not_observed_year", "horizon_before_data", "duplicate_year",
                         "break_on_first", "base_change_unmarked"})


def _short_number(x: float, lang: str, max_decimals: int = 2) -> str:
    """A number with as few decimals as it needs, grouped the user's way."""
    d = next((k for k in range(max_decimals + 1) if abs(round(x, k) - x) < 1e-9), max_decimals)
    return fmt_number(x, lang, d)


def error_params(code: str, field: str, params: dict, lang: str) -> dict:
    """The params of an error's sentence (``errors.<code>``) with their numbers written the reader's way (Babel):
    id ``0,05`` and ``1.234.567``, en ``0.05`` and ``1,234,567``. Years and labels stay as written (a field or
    code about years: ``start_year``, ``duplicate_year``); the bounds and value of a field in rupiah (``..._idr``)
    are written as money. No other unit is added: the sentence says what the number is."""
    leaf = str(field).rsplit(".", 1)[-1]
    years = code in _YEAR_CODES or leaf.endswith("year")
    out = dict(params)
    for k, v in params.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or k in _AS_WRITTEN or years:
            continue
        if leaf.endswith("_idr") and k in ("min", "max", "value"):
            out[k] = fmt_idr(v, lang, 0 if float(v).is_integer() else 2)
        else:
            out[k] = _short_number(v, lang, 6)
    return out


def problem_text(p: Problem, lang: str) -> str:
    """One problem as one sentence: the sheet, the row and the column first when the file has them."""
    params = {k: v for k, v in p.params.items() if k not in ("row", "column")}
    if p.code == "too_large":
        params = {"size": f"{fmt_number(params.get('size', 0) / 1e6, lang, 1)} MB",
                  "limit": f"{fmt_number(params.get('limit', 0) / 1e6, lang, 0)} MB"}
    for k in ("min", "max"):
        if isinstance(params.get(k), (int, float)):
            params[k] = _short_number(params[k], lang)
    if "group" in params:
        params["group"] = str(params["group"])
    for k in ("value", "group", "id", "column"):
        if isinstance(params.get(k), str):
            params[k] = visible(params[k], 60)
    if "table" in params:
        params["table"] = t(f"data.table_{params['table']}", lang)
    if isinstance(params.get("rows"), (int, float)):
        params["rows"] = _short_number(params["rows"], lang)
    if isinstance(params.get("length"), int):
        params["length"] = _short_number(params["length"], lang)
    msg = t(f"data.problem_{p.code}", lang, **params)
    if msg == f"data.problem_{p.code}":
        msg = t("data.problem_other", lang, code=p.code)
    sheet = t("data.in_sheet", lang, sheet=visible(p.sheet, 60)) + " " if p.sheet else ""
    column = visible(p.column, 60) if p.column else p.column
    if p.row is not None and p.row > 0 and column:
        return sheet + t("errors.row_col", lang, row=p.row, column=column, problem=msg)
    if column:
        return sheet + t("data.column_problem", lang, column=column, problem=msg)
    return sheet + msg[:1].upper() + msg[1:]
