"""Run one scenario template over many regions given as one CSV table.

The file is read by the one table reader (:func:`simulation.io.read_sheets`: CSV in any encoding and separator
Excel writes, or XLSX) and its numbers by the one parser (:func:`simulation.io.parse_number`), exactly as on
the Data page. Columns (header names, any order; the header is the row naming ``region_id``):

``region_id``                 required; lower-case letters, digits, ``-``, ``_``
``name``                      optional display name
``potential_workers``         required [persons], for the year ``potential_workers_year``
``potential_workers_year``    required
``coverage_YYYY``             at least two, e.g. ``coverage_2023``: coverage [%] in that year (empty = unknown)
``worker_growth_pct``         optional [%/year]
``formal_share``, ``formal_coverage``  optional [share 0..1]
``min_wage``                  optional [Rp/month], for the last coverage year
``apbd``                      optional [Rp/year], for the last coverage year
``members_<group_id>``        optional: members of a template group in this region

Everything a row does not give comes from the template's region and is marked as such.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pandas as pd

from .data import Region, Sourced, YearValue, load_region
from .errors import ValidationError
from .io.numbers import is_blank, parse_number
from .io.tables import Sheet, read_sheets
from .projection import project
from .scenario import Scenario

_COVERAGE_RE = re.compile(r"^coverage_(\d{4})$")
_ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
OUTPUT_COLUMNS = ["year", "potential_workers", "baseline_coverage_pct", "coverage_pct", "coverage_low_pct",
                  "coverage_high_pct", "pbi_participants", "pbi_added_net", "cost_idr", "cost_share_apbd_pct",
                  "claims_idr"]
#: Largest regions file [bytes] and most regions in it.
MAX_BYTES = 20_000_000
MAX_REGIONS = 10_000
#: The header (the row naming ``region_id``) is looked for in this many rows from the top.
_HEADER_SEARCH_ROWS = 15


def _num(raw: Any, where: str, lang: str, *, whole: bool = False) -> float:
    """A number as offices write it (the one parser, :func:`simulation.io.parse_number`); errors name row and column.

    ``raw``: CSV text, or an XLSX cell's own number (taken as it is, never re-read from text).
    """
    shown = "" if raw is None else str(raw).strip()[:40]
    try:
        value = parse_number(raw, lang)
    except ValueError:
        raise ValidationError(where, f"expected a number, got {shown!r}", code="expected_number",
                              params={"value": shown}) from None
    if value < 0:
        raise ValidationError(where, f"expected zero or more, got {shown!r}", code="negative", params={"value": shown})
    if whole and value != int(value):
        raise ValidationError(where, f"expected a whole number of persons, got {shown!r}", code="expected_integer",
                              params={"value": shown})
    return value


def _text(raw: Any) -> str:
    """A header or id cell as text (an XLSX number 2024.0 as "2024")."""
    return "" if is_blank(raw) else str(int(raw) if isinstance(raw, float) and raw == int(raw) else raw).strip()


def _sheet(data: bytes | str, filename: str) -> Sheet:
    """The sheet holding the regions: the CSV, or the first sheet of a workbook with a ``region_id`` column."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    sheets = read_sheets(raw, filename, max_bytes=MAX_BYTES, max_rows=MAX_REGIONS)
    if not isinstance(sheets, list):
        p = sheets
        messages = {"empty_file": "the file is empty", "too_large": f"file larger than {MAX_BYTES // 1_000_000} MB"}
        raise ValidationError("file", messages.get(p.code, "not a CSV or XLSX table"), code=p.code, params=p.params)
    for sheet in sheets:
        if any("region_id" in map(_text, row) for _n, row in sheet.rows[:_HEADER_SEARCH_ROWS]):
            return sheet
    return sheets[0]


def read_regions_csv(data: bytes | str, template: Region, group_ids: set[str], *, lang: str = "id",
                     filename: str = "regions.csv") -> list[tuple[Region, dict[str, int]]]:
    """Parse the table into (Region, members overrides) pairs; errors name the row and column.

    ``data``: the file's bytes (any encoding and separator Excel writes, or XLSX when ``filename`` ends so,
    read by :func:`simulation.io.read_sheets`) or text. ``lang`` decides a lone ``"1.234"`` (id: 1234).
    """
    sheet = _sheet(data, filename)
    rows = [(n, cells) for n, cells in sheet.rows if not all(is_blank(c) for c in cells)]
    if not rows:
        raise ValidationError("file", "the file is empty", code="empty_file")
    hi = next((i for i, (_n, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]) if "region_id" in map(_text, cells)), 0)
    header = [_text(c) for c in rows[hi][1]]
    body = rows[hi + 1:]
    if len(body) > MAX_REGIONS:
        raise ValidationError("file", f"more than {MAX_REGIONS} regions", code="too_many_rows",
                              params={"max": MAX_REGIONS, "rows": len(body)})
    known = {"region_id", "name", "potential_workers", "potential_workers_year", "worker_growth_pct", "formal_share",
             "formal_coverage", "min_wage", "apbd"}
    for h in header:
        if h in known or _COVERAGE_RE.match(h) or not h:
            continue
        if h.startswith("members_") and h[len("members_"):] in group_ids:
            continue
        raise ValidationError(f"column {h!r}", "unknown column", code="unknown_column", params={"column": h})
    for req in ("region_id", "potential_workers", "potential_workers_year"):
        if req not in header:
            raise ValidationError(f"column {req!r}", "missing column", code="missing_column", params={"column": req})
    index = {h: j for j, h in reversed(list(enumerate(header))) if h}
    cov_cols = [(int(_COVERAGE_RE.match(h).group(1)), h) for h in header if _COVERAGE_RE.match(h)]
    out = []
    seen = set()
    for i, cells in body:
        def where(col: str, i: int = i) -> str:
            return f"row {i}, column {col}"

        def cell(col: str, cells: list = cells) -> Any:
            """The raw cell (text from a CSV; a number, date or text from XLSX); None if empty."""
            j = index.get(col)
            raw = cells[j] if j is not None and j < len(cells) else None
            return None if is_blank(raw) else raw

        def number(col: str, *, whole: bool = False, i: int = i) -> float:
            v = _num(cell(col), where(col), lang, whole=whole)
            if col.startswith("coverage_") and (i, index[col]) in sheet.percent_cells:
                v *= 100  # an Excel cell formatted as percent holds 0.3835 for 38,35 %
            return v

        rid = _text(cell("region_id"))
        if not _ID_RE.match(rid):
            raise ValidationError(where("region_id"), f"invalid region id {rid!r}", code="bad_id")
        if rid in seen:
            raise ValidationError(where("region_id"), f"region {rid!r} appears twice", code="duplicate_id")
        seen.add(rid)
        src = f"batch input row {i}"
        history = []
        for year, col in cov_cols:
            if cell(col) is not None:
                v = number(col)
                if not 0 < v < 100:
                    raise ValidationError(where(col), f"coverage must be between 0 and 100 %, got {cell(col)}",
                                          code="over_100")
                history.append(YearValue(value=v, source=src, certainty="M", year=year))
        if len(history) < 2:
            raise ValidationError(where("coverage_YYYY"), "at least two years of coverage are needed",
                                  code="too_few")
        pw = number("potential_workers", whole=True)
        if pw < 1:
            raise ValidationError(where("potential_workers"), "must be at least 1", code="out_of_range")
        pwy = number("potential_workers_year")
        if not 1990 <= pwy <= 2100 or pwy != int(pwy):
            raise ValidationError(where("potential_workers_year"), "expected a year", code="expected_year")
        r = replace(template, id=rid, name=_text(cell("name"))[:120] or rid, coverage_history=tuple(history),
                    potential_workers=(YearValue(value=pw, source=src, certainty="M", year=int(pwy)),))
        last = history[-1].year
        for col, fld, hi_ in (("worker_growth_pct", "worker_growth_pct", 20), ("formal_share", "formal_share", 1),
                              ("formal_coverage", "formal_coverage", 1)):
            if cell(col) is not None:
                v = number(col)
                if v > hi_:
                    raise ValidationError(where(col), f"must be at most {hi_}", code="out_of_range")
                r = replace(r, **{fld: Sourced(value=v, source=src, certainty="M")})
        for col in ("min_wage", "apbd"):
            if cell(col) is not None:
                r = replace(r, **{col: (YearValue(value=number(col), source=src, certainty="M", year=last),)})
        members = {}
        for gid in group_ids:
            if cell(f"members_{gid}") is not None:
                members[gid] = int(number(f"members_{gid}", whole=True))
        out.append((r, members))
    if not out:
        raise ValidationError("file", "no region rows below the header", code="empty_file")
    return out


def run_batch(template: Scenario, data: bytes | str, *, lang: str = "id",
              filename: str = "regions.csv") -> pd.DataFrame:
    """Project the template for every region of the table; one long table (region × year).

    ``data``: the regions file's bytes (or text); ``filename`` tells CSV from XLSX; ``lang`` decides "1.234".
    """
    base_region = load_region(template.region)
    pairs = read_regions_csv(data, base_region, {g.id for g in template.groups}, lang=lang, filename=filename)
    frames = []
    for region, members in pairs:
        groups = [replace(g, members=members.get(g.id, g.members)) for g in template.groups]
        s = template.replace(region=region.id, groups=groups)
        p = project(s, region)
        t = p.table[OUTPUT_COLUMNS].copy()
        t.insert(0, "region_id", region.id)
        t.insert(1, "region", region.name)
        t["forecast_short_history"] = p.forecast.short_history
        frames.append(t)
    return pd.concat(frames, ignore_index=True)
