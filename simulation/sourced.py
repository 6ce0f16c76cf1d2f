"""Sourced values and the strict readers every file of ``data/`` is read with.

Every value carries its source, an optional source date and a certainty mark:
``H`` regulation or several consistent sources, ``M`` one credible source,
``L`` weak or derived here, ``A`` assumption (nobody published it).
Reading refuses unknown keys, missing keys and out-of-range values with a
:class:`~simulation.errors.DataFileError` naming the file and the field.
The parameters (``parameters.py``) and the regions (``data.py``) are built from these pieces.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CERTAINTIES = ("H", "M", "L", "A")


# --------------------------------------------------------------------------- strict reading helpers
def read_keys(obj: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(obj, dict):
        raise DataFileError(where, "expected a mapping of keys to values", code="not_a_mapping")
    unknown = sorted(set(obj) - required - set(optional))
    if unknown:
        raise DataFileError(f"{where}.{unknown[0]}", f"unknown field {unknown[0]!r}", code="unknown_field",
                            params={"name": unknown[0]})
    missing = sorted(required - set(obj))
    if missing:
        raise DataFileError(f"{where}.{missing[0]}", f"missing field {missing[0]!r}", code="missing_field",
                            params={"name": missing[0]})
    return obj


def read_number(obj: Any, where: str, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise DataFileError(where, f"expected a number, got {obj!r}", code="expected_number",
                            params={"value": str(obj)[:40]})
    try:
        finite = math.isfinite(obj)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise DataFileError(where, "expected a finite number of reasonable size", code="expected_number",
                            params={"value": str(obj)[:40]})
    if hi is None and lo is not None and obj < lo:   # a floor only: "at least 1", never "between 1 and None"
        raise DataFileError(where, f"{obj} is less than {lo}", code="too_small", params={"min": lo, "value": obj})
    if (lo is not None and obj < lo) or (hi is not None and obj > hi):
        raise DataFileError(where, f"{obj} is outside [{lo}, {hi}]", code="out_of_range",
                            params={"min": lo, "max": hi, "value": obj})
    return float(obj)


def read_text(obj: Any, where: str, max_len: int = 500) -> str:
    if not isinstance(obj, str) or not obj.strip():
        raise DataFileError(where, "expected non-empty text", code="expected_text")
    if len(obj) > max_len:
        raise DataFileError(where, f"text longer than {max_len} characters", code="too_long",
                            params={"max": max_len})
    return obj.strip()


def read_date(obj: Any, where: str) -> dt.date:
    if isinstance(obj, dt.date):
        return obj
    try:
        return dt.date.fromisoformat(str(obj))
    except ValueError:
        raise DataFileError(where, f"expected a date YYYY-MM-DD, got {obj!r}", code="expected_date") from None


def read_year(obj: Any, where: str) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int) or not 1990 <= obj <= 2100:
        raise DataFileError(where, f"expected a year between 1990 and 2100, got {obj!r}", code="expected_year")
    return obj


def read_certainty(obj: Any, where: str) -> str:
    if obj not in CERTAINTIES:
        raise DataFileError(where, f"certainty must be one of {', '.join(CERTAINTIES)}, got {obj!r}",
                            code="bad_certainty")
    return obj


# --------------------------------------------------------------------------- reading a file
# libyaml's safe loader (in PyYAML's wheels) reads the same objects as yaml.safe_load, about 9 times faster:
# 5 ms instead of 44 ms for the shipped files, on the first page's run. PyYAML built without libyaml has only
# the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path.name), f"cannot read file: {exc.strerror}", code="unreadable") from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)   # a safe loader (tests/test_security.py)
    except yaml.YAMLError as exc:
        raise DataFileError(str(path.name), f"not valid YAML: {exc}", code="bad_yaml") from None


# --------------------------------------------------------------------------- sourced values
# A source is kept as published (``source``); ``source_id`` / ``source_en`` optionally render it in the other
# language, so that a page, deck or workbook in Indonesian does not quote an English note (and the reverse).
SOURCE_LANG_KEYS = frozenset({"source_id", "source_en"})


def source_langs(d: dict, where: str) -> dict:
    """The optional renderings of a source present in ``d`` (``source_id``, ``source_en``), read as text."""
    return {k: read_text(d[k], f"{where}.{k}") for k in sorted(SOURCE_LANG_KEYS) if k in d}


class SourceText:
    """``source_in(lang)``: the source for a reader of ``lang``, its rendering if given, else as published."""

    def source_in(self, lang: str) -> str:
        return getattr(self, f"source_{lang}", None) or self.source


# The fields that say where a value comes from, the same on every sourced record: typed once here and added after
# a record's own fields by :func:`with_source` (so constructors, ``asdict`` and the files written keep each record's
# own fields first, as when every record typed them).
_SOURCE_FIELDS = {
    "source": "str",
    "certainty": "str",
    "source_date": "dt.date | None",   # when the source was published or read (optional in a file)
    "source_id": "str | None",         # the source in Indonesian, when ``source`` is not
    "source_en": "str | None",         # the source in English, when ``source`` is not
}
_SOURCE_DEFAULTS = {"source_date": None, "source_id": None, "source_en": None}


def with_source(cls: type) -> type:
    """``cls`` as a frozen dataclass: its own fields, then the source fields of :data:`_SOURCE_FIELDS`."""
    cls.__annotations__.update(_SOURCE_FIELDS)
    for name, default in _SOURCE_DEFAULTS.items():
        setattr(cls, name, default)
    return dataclass(frozen=True)(cls)


@with_source
class Sourced(SourceText):
    """One value with where it comes from."""

    value: float
    # then the source fields (source, certainty, source_date, source_id, source_en): :func:`with_source`

    @property
    def is_assumption(self) -> bool:
        return self.certainty == "A"

    @classmethod
    def read(cls, obj: Any, where: str, lo: float | None = None, hi: float | None = None) -> Sourced:
        d = read_keys(obj, where, {"value", "source", "certainty"}, {"source_date"} | SOURCE_LANG_KEYS)
        return cls(
            value=read_number(d["value"], f"{where}.value", lo, hi),
            source=read_text(d["source"], f"{where}.source"),
            certainty=read_certainty(d["certainty"], f"{where}.certainty"),
            source_date=read_date(d["source_date"], f"{where}.source_date") if "source_date" in d else None,
            **source_langs(d, where),
        )


@dataclass(frozen=True)
class YearValue(Sourced):
    """A sourced value for one year (coverage [%], workers [persons], money [Rp])."""

    year: int = 0
    # coverage history only: what the percentage is of, and True on the first point of a new base (a break);
    # None when not given (a region without them keeps the identity it had before they existed)
    base: str | None = None
    break_before: bool | None = None

    @classmethod
    def read_series(cls, obj: Any, where: str, value_key: str = "value", lo: float | None = None,
                    hi: float | None = None, min_len: int = 0, with_base: bool = False) -> tuple[YearValue, ...]:
        """``with_base``: the points may carry ``base`` (text) and ``break_before`` (true on the first point of a
        new base); two consecutive points with different bases need the mark, the first point cannot have it."""
        if not isinstance(obj, list):
            raise DataFileError(where, "expected a list of yearly values", code="not_a_list")
        if len(obj) < min_len:
            raise DataFileError(where, f"expected at least {min_len} years", code="too_few",
                                params={"min": min_len})
        out = []
        for i, item in enumerate(obj):
            w = f"{where}[{i}]"
            d = read_keys(item, w, {"year", value_key, "source", "certainty"},
                      ({"source_date", "base", "break_before"} if with_base else {"source_date"}) | SOURCE_LANG_KEYS)
            if "break_before" in d and not isinstance(d["break_before"], bool):
                raise DataFileError(f"{w}.break_before", "expected true or false", code="expected_bool")
            out.append(cls(
                year=read_year(d["year"], f"{w}.year"),
                value=read_number(d[value_key], f"{w}.{value_key}", lo, hi),
                source=read_text(d["source"], f"{w}.source"),
                certainty=read_certainty(d["certainty"], f"{w}.certainty"),
                source_date=read_date(d["source_date"], f"{w}.source_date") if "source_date" in d else None,
                base=read_text(d["base"], f"{w}.base", 200) if "base" in d else None,
                break_before=True if d.get("break_before") else None,
                **source_langs(d, w),
            ))
        years = [v.year for v in out]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise DataFileError(where, f"year {dup[0]} appears twice", code="duplicate_year",
                                params={"year": dup[0]})
        ordered = tuple(sorted(out, key=lambda v: v.year))
        if ordered and ordered[0].break_before:
            raise DataFileError(f"{where}[{out.index(ordered[0])}].break_before",
                                f"{ordered[0].year} is the first year: there is no earlier base to break from",
                                code="break_on_first", params={"year": ordered[0].year})
        for prev, cur in zip(ordered, ordered[1:], strict=False):
            if prev.base and cur.base and prev.base != cur.base and not cur.break_before:
                raise DataFileError(f"{where}[{out.index(cur)}].break_before",
                                    f"the base changes in {cur.year} ({prev.base!r} -> {cur.base!r}): mark it "
                                    "with break_before: true", code="base_change_unmarked",
                                    params={"year": cur.year})
        return ordered

