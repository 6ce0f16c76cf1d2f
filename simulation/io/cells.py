"""One cell of an office table: a number, a year, a date, a certainty letter or a text, read or refused.

Numbers go through :func:`simulation.io.numbers.parse_number` (the one parser). A refusal is a
:class:`CellError` with a problem code (``expected_number``, ``expected_year``, ``bad_date``, ``negative``,
``over_100``, ``out_of_range`` ...) and the params of its message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from .layouts import Column
from .numbers import parse_number
from .safe import hidden_chars, unneutralise, visible

__all__ = ["CellError", "check_range", "parse_cell", "shown"]


class CellError(Exception):
    """A cell that cannot be read: a problem ``code`` and its ``params``."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def shown(raw: Any) -> str:
    """A cell as the user wrote it, for a message (at most 40 characters; invisible ones as ``<U+200B>``)."""
    text = raw.isoformat() if isinstance(raw, (dt.date, dt.time)) else str(raw)
    return visible(text.strip(), 40)


def _number(raw: Any, lang: str) -> tuple[float, bool]:
    """The number in a cell and whether it was written as a percentage."""
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        raise CellError("wrong_type", value=shown(raw))
    if isinstance(raw, (int, float)):
        if not math.isfinite(float(raw)):
            raise CellError("expected_number", value=shown(raw))
        return float(raw), False
    if not isinstance(raw, str):
        raise CellError("wrong_type", value=shown(raw))
    try:
        return parse_number(raw, lang), "%" in raw
    except ValueError:
        raise CellError("expected_number", value=shown(raw)) from None


_MONTHS = {name: i for i, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"), ("maret", "march", "mar"),
    ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("agustus", "august", "agu", "aug", "agt"), ("september", "sep", "sept"), ("oktober", "october", "okt", "oct"),
    ("november", "nov", "nop", "nopember"), ("desember", "december", "des", "dec")), start=1) for name in names}


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise CellError("bad_date", value=shown(raw))
    s = raw.strip()
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", s)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", s)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        pass
    raise CellError("bad_date", value=shown(raw))


_CERT_WORDS = {"tinggi": "H", "high": "H", "regulasi": "H", "sedang": "M", "medium": "M", "rendah": "L",
               "low": "L", "lemah": "L", "asumsi": "A", "assumption": "A"}


def _certainty(raw: Any) -> str:
    s = str(raw).strip()
    m = re.match(r"([HMLAhmla])(?![A-Za-z])", s)
    if m:
        return m[1].upper()
    word = re.split(r"[^a-z]+", s.lower(), maxsplit=1)[0]
    if word in _CERT_WORDS:
        return _CERT_WORDS[word]
    raise CellError("bad_certainty", value=shown(raw), allowed="H, M, L, A")


def _text(raw: Any, max_len: int) -> str:
    s = shown(raw) if not isinstance(raw, str) else raw
    s = unneutralise("".join(c for c in str(s) if unicodedata.category(c) != "Cc").strip())
    if len(s) > max_len:
        raise CellError("text_too_long", max=max_len)
    return s


def parse_cell(col: Column, raw: Any, lang: str) -> tuple[Any, bool]:
    """Parse one non-empty cell of a column: (value, written as a percentage)."""
    if col.kind == "year":
        try:
            v, _ = _number(raw, lang)
        except CellError:
            raise CellError("expected_year", value=shown(raw)) from None
        if v != int(v) or not 1990 <= v <= 2100:
            raise CellError("expected_year", value=shown(raw))
        return int(v), False
    if col.kind in ("count", "money", "percent", "rate"):
        v, pct = _number(raw, lang)
        return v, pct
    if col.kind == "date":
        return _date(raw), False
    if col.kind == "certainty":
        return _certainty(raw), False
    if col.kind == "id" or col.key == "name":
        if isinstance(raw, str) and hidden_chars(raw.strip()):
            raise CellError("invisible_char", value=shown(raw), chars=" ".join(
                dict.fromkeys(visible(c) for c in hidden_chars(raw.strip()))))
        return _text(raw, 40 if col.kind == "id" else 80), False
    return _text(raw, 500), False


def check_range(col: Column, v: float, shown: str, *, lo: float | None = None, hi: float | None = None,
                 open_interval: bool | None = None) -> None:
    lo = col.lo if lo is None else lo
    hi = col.hi if hi is None else hi
    open_interval = col.open_interval if open_interval is None else open_interval
    if col.kind == "count" and abs(v - round(v)) > 1e-9:
        raise CellError("not_whole_number", value=shown)
    if v < 0 and (lo is None or lo >= 0):
        raise CellError("negative", value=shown)
    if col.kind == "percent" and v > 100:
        raise CellError("over_100", value=shown)
    if (lo is not None and (v < lo or (open_interval and v == lo))) or \
            (hi is not None and (v > hi or (open_interval and v == hi))):
        raise CellError("out_of_range", value=shown, min=lo, max=hi)

