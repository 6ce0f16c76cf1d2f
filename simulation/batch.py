"""Run one scenario template over many regions given as one table (CSV or XLSX).

The file is read by the one table reader (:func:`simulation.io.read_sheets`: CSV in any encoding and separator
Excel writes, or XLSX), its numbers by the one parser (:func:`simulation.io.parse_number`) and checked against
the same plausible bounds as on the Data page (:mod:`simulation.io.layouts`), so batch and the Data page accept
and refuse the same cells with the same problem codes. Columns (header names, any order; the header is the row
naming ``region_id``):

``region_id``                 required; lower-case letters, digits, ``-``, ``_``
``name``                      optional display name (at most 80 characters)
``potential_workers``         required [persons], for the year ``potential_workers_year``
``potential_workers_year``    required
``coverage_YYYY``             at least two, e.g. ``coverage_2023``: coverage [%] in that year (empty = unknown)
``worker_growth_pct``         optional [%/year], -20 .. 20
``formal_share``, ``formal_coverage``  optional [share 0..1]
``min_wage``                  optional [Rp/month], set for ``min_wage_year`` (default: the last coverage year)
``apbd``                      optional [Rp/year], for ``apbd_year`` (default: the last coverage year)
``members_<group_id>``        optional: members of a template group in this region

Everything a row does not give comes from the template's region, except the APBD: a row without one gets no
"% of APBD" (blank, with the note ``no_apbd``), never the template region's budget. A scenario on the minimum
wage base run for a row without ``min_wage`` uses the template region's wage and says so (``min_wage_from_template``).

Bounded cost: at most :data:`MAX_BYTES` and :data:`MAX_REGIONS` rows (reading stops just past the limit, so a
100,000-row file is refused at once); every refusal is a ``ValidationError`` naming the file line (blank lines
counted) and the column, carrying the :class:`~simulation.io.Problem` that ``presentation`` says in the user's
language (``python -m simulation batch`` prints the Data page's sentence).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import pandas as pd

from .data import Region, load_region
from .errors import ValidationError
from .io.cells import CellError, check_range, shown
from .io.layouts import APBD_RANGE, MAX_MEMBERS, MIN_WAGE_RANGE, WORKERS_RANGE, Column
from .io.numbers import is_blank, parse_number, plain_text
from .io.reader import problem_error, split_at
from .io.results import Problem
from .io.safe import hidden_chars, neutralise, visible
from .io.tables import Sheet, column_letter, read_sheets
from .projection import project
from .scenario import Scenario
from .sourced import Sourced, YearValue
from .units import share_among_percents

_COVERAGE_RE = re.compile(r"^coverage_(\d{4})$")
_ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
OUTPUT_COLUMNS = ["year", "potential_workers", "baseline_coverage_pct", "coverage_pct", "coverage_low_pct",
                  "coverage_high_pct", "pbi_participants", "pbi_added_net", "cost_idr", "cost_share_apbd_pct",
                  "claims_idr"]
#: Largest regions file [bytes] and most regions in it (Indonesia has 552 provinces, regencies and cities;
#: each region costs a projection, a few milliseconds).
MAX_BYTES = 5_000_000
MAX_REGIONS = 1_000
MAX_NAME = 80
#: The header (the row naming ``region_id``) is looked for in this many rows from the top.
_HEADER_SEARCH_ROWS = 15

#: The numeric columns: the Data page's column kinds and bounds.
_COLUMNS = {
    "potential_workers": Column("potential_workers", "count", "", "", (), *WORKERS_RANGE),
    "potential_workers_year": Column("potential_workers_year", "year", "", "", (), 1990, 2100),
    "worker_growth_pct": Column("worker_growth_pct", "rate", "", "", (), -20, 20),
    "formal_share": Column("formal_share", "rate", "", "", (), 0, 1),
    "formal_coverage": Column("formal_coverage", "rate", "", "", (), 0, 1),
    "min_wage": Column("min_wage", "money", "", "", (), *MIN_WAGE_RANGE),
    "min_wage_year": Column("min_wage_year", "year", "", "", (), 1990, 2100),
    "apbd": Column("apbd", "money", "", "", (), *APBD_RANGE),
    "apbd_year": Column("apbd_year", "year", "", "", (), 1990, 2100),
}
_COVERAGE = Column("coverage", "percent", "", "", (), 0, 100, open_interval=True)
_MEMBERS = Column("members", "count", "", "", (), 0, MAX_MEMBERS)
KNOWN_COLUMNS = ("region_id", "name", *_COLUMNS)


def refuse(code: str, *, row: int | None = None, column: str | None = None, sheet: str | None = None,
           **params) -> ValidationError:
    """The ValidationError for a refused file: field ``"row 5, column apbd"`` (``"file"``), with its Problem."""
    p = Problem(code, row=row, column=column, sheet=sheet, params=params)
    exc = problem_error(p)
    exc.field = (", ".join(x for x in (f"sheet {sheet}" if sheet else "", f"row {row}" if row else "",
                                       f"column {column}" if column else "") if x) or "file")
    return exc


def _text(raw: Any) -> str:
    """A header or id cell as text (an XLSX number 2024.0 as "2024")."""
    return "" if is_blank(raw) else str(int(raw) if isinstance(raw, float) and raw == int(raw) else raw).strip()


def _has_header(sheet: Sheet) -> bool:
    return any("region_id" in map(_text, row) for _n, row in sheet.rows[:_HEADER_SEARCH_ROWS])


def _sheet(data: bytes | str, filename: str) -> Sheet:
    """The sheet holding the regions: the CSV, or the one visible sheet of a workbook with a ``region_id`` column.

    Two visible sheets with one, or only a hidden one, are refused (``two_sheets``, ``hidden_sheet``): which
    regions were run must never depend on a sheet the user cannot see.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    sheets = read_sheets(raw, filename, max_bytes=MAX_BYTES, max_rows=MAX_REGIONS)
    if isinstance(sheets, Problem):
        p = sheets
        raise refuse(p.code, row=p.row, column=p.column, sheet=p.sheet, **p.params)
    found = [s for s in sheets if _has_header(s)]
    shown_ = [s for s in found if not s.hidden]
    if len(shown_) > 1:
        raise refuse("two_sheets", table="regions", sheets=", ".join(f"«{s.title}»" for s in shown_))
    if found and not shown_:
        raise refuse("hidden_sheet", sheet=found[0].title, table="regions")
    return shown_[0] if shown_ else sheets[0]


def _members_column(h: str, group_ids: set[str]) -> bool:
    return h.startswith("members_") and h[len("members_"):] in group_ids


def read_regions_csv(data: bytes | str, template: Region, group_ids: set[str], *, lang: str = "id",
                     filename: str = "regions.csv") -> list[tuple[Region, dict[str, int]]]:
    """Parse the table into (Region, members overrides) pairs; errors name the file line and the column.

    ``data``: the file's bytes (any encoding and separator Excel writes, or XLSX when ``filename`` ends so,
    read by :func:`simulation.io.read_sheets`) or text. ``lang`` decides a lone ``"1.234"`` (id: 1234).
    """
    sheet = _sheet(data, filename)
    title = sheet.title
    rows = [(n, cells) for n, cells in sheet.rows if not all(is_blank(c) for c in cells)]
    if not rows:
        raise refuse("empty_file")
    hi = next((i for i, (_n, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]) if "region_id" in map(_text, cells)), 0)
    header_row, header_cells = rows[hi]
    header = [_text(c) for c in header_cells]
    body = rows[hi + 1:]
    if sheet.truncated or len(body) > MAX_REGIONS:
        raise refuse("too_many_rows", sheet=title, max=MAX_REGIONS,
                     rows=f"> {len(body)}" if sheet.truncated else len(body))
    allowed = ", ".join([*KNOWN_COLUMNS, "coverage_YYYY", *(f"members_{g}" for g in sorted(group_ids))])
    for h in header:
        if h in KNOWN_COLUMNS or _COVERAGE_RE.match(h) or not h or _members_column(h, group_ids):
            continue
        raise refuse("unknown_column", row=header_row, column=visible(h), sheet=title, allowed=allowed)
    for req in ("region_id", "potential_workers", "potential_workers_year"):
        if req not in header:
            raise refuse("missing_column", column=req, sheet=title)
    index = {h: j for j, h in reversed(list(enumerate(header))) if h}
    width = max(index.values()) + 1
    cov_cols = [(int(_COVERAGE_RE.match(h).group(1)), h) for h in header if _COVERAGE_RE.match(h)]
    out = []
    seen: dict[str, int] = {}
    for i, cells in body:
        def fail(code: str, col: str, i: int = i, **params) -> ValidationError:
            return refuse(code, row=i, column=col, sheet=title, **params)

        extra = next((j for j in range(width, len(cells)) if not is_blank(cells[j])), None)
        if extra is not None:
            if sheet.delimiter == ",":
                kinds = ["percent" if _COVERAGE_RE.match(h) else _COLUMNS[h].kind if h in _COLUMNS else ""
                         for h in header]
                j = split_at([_text(c) for c in cells], width, kinds)
                raise fail("split_decimal", header[j] or column_letter(j),
                           cells=sum(not is_blank(c) for c in cells), columns=width)
            raise fail("cell_outside_header", column_letter(extra), value=shown(cells[extra]))

        def cell(col: str, cells: list = cells) -> Any:
            """The raw cell (text from a CSV; a number, date or text from XLSX); None if empty."""
            j = index.get(col)
            raw = cells[j] if j is not None and j < len(cells) else None
            return None if is_blank(raw) else raw

        def number(col: str, spec: Column, i: int = i) -> float:
            """A cell read by the one parser and checked against the Data page's bounds for its kind."""
            raw = cell(col)
            try:
                v = parse_number(raw, lang)
            except ValueError:
                raise fail("expected_year" if spec.kind == "year" else "expected_number", col,
                           value=shown(raw)) from None
            if spec.kind == "percent" and (i, index[col]) in sheet.percent_cells:
                v *= 100  # an Excel cell formatted as percent holds 0.3835 for 38,35 %
            if spec.kind == "year":
                if v != int(v) or not 1990 <= v <= 2100:
                    raise fail("expected_year", col, value=shown(raw))
                return v
            try:
                check_range(spec, v, shown(raw))
            except CellError as exc:
                raise fail(exc.code, col, **{"value": shown(raw), **exc.params}) from None
            return v

        rid_raw = cell("region_id")
        rid = _text(rid_raw)
        if hidden_chars(rid):
            raise fail("invisible_char", "region_id", value=visible(rid), chars=" ".join(
                dict.fromkeys(visible(c) for c in hidden_chars(rid))))
        if not rid:
            raise fail("empty_value", "region_id")
        if not _ID_RE.match(rid):
            raise fail("bad_id", "region_id", value=visible(rid))
        if rid in seen:
            raise fail("duplicate_id", "region_id", id=rid, first_row=seen[rid])
        seen[rid] = i
        name = _text(cell("name"))
        if hidden_chars(name):
            raise fail("invisible_char", "name", value=visible(name), chars=" ".join(
                dict.fromkeys(visible(c) for c in hidden_chars(name))))
        if len(name) > MAX_NAME:
            raise fail("text_too_long", "name", max=MAX_NAME)
        src = f"batch input row {i}"
        history = []
        written = []
        for year, col in cov_cols:
            if cell(col) is not None:
                v = number(col, _COVERAGE)
                pct = (isinstance(cell(col), str) and "%" in cell(col)) or (i, index[col]) in sheet.percent_cells
                written.append((col, v, pct))
                history.append(YearValue(value=v, source=src, certainty="M", year=year))
        percents = [v for _c, v, pct in written if v > 1 or pct]
        for col, v, pct in written:
            if not pct and share_among_percents(v, percents):   # the one percent rule (simulation/units.py)
                raise fail("share_among_percent", col, value=shown(cell(col)), percent=plain_text(100 * v, lang))
        if len(history) < 2:
            raise fail("too_few", "coverage_YYYY", min=2, count=len(history))
        pw = number("potential_workers", _COLUMNS["potential_workers"])
        pwy = number("potential_workers_year", _COLUMNS["potential_workers_year"])
        r = replace(template, id=rid, name=name or rid, coverage_history=tuple(sorted(history, key=lambda v: v.year)),
                    potential_workers=(YearValue(value=pw, source=src, certainty="M", year=int(pwy)),),
                    scheme_record=())   # the template region's record of claims paid is not this one's
        last = max(v.year for v in history)   # the columns may come in any order
        for col in ("worker_growth_pct", "formal_share", "formal_coverage"):
            if cell(col) is not None:
                r = replace(r, **{col: Sourced(value=number(col, _COLUMNS[col]), source=src, certainty="M")})
        for col in ("min_wage", "apbd"):
            year_col = f"{col}_year"
            year = int(number(year_col, _COLUMNS[year_col])) if cell(year_col) is not None else last
            if cell(col) is not None:
                r = replace(r, **{col: (YearValue(value=number(col, _COLUMNS[col]), source=src, certainty="M",
                                                  year=year),)})
            elif cell(year_col) is not None:
                raise fail("empty_value", col)
        members = {}
        for gid in group_ids:
            if cell(f"members_{gid}") is not None:
                members[gid] = int(number(f"members_{gid}", _MEMBERS))
        out.append((r, members))
    if not out:
        raise refuse("empty_file")
    return out


def run_batch(template: Scenario, data: bytes | str, *, lang: str = "id",
              filename: str = "regions.csv") -> pd.DataFrame:
    """Project the template for every region of the table; one long table (region × year).

    ``data``: the regions file's bytes (or text); ``filename`` tells CSV from XLSX; ``lang`` decides "1.234".
    The ``region`` column is neutralised (:func:`simulation.io.safe.neutralise`): a name such as
    ``=HYPERLINK(...)`` is written as text into any file made from the table. ``notes``: what a row did not
    give (``no_apbd``: "% of APBD" left blank; ``min_wage_from_template``).
    """
    base_region = load_region(template.region)
    pairs = read_regions_csv(data, base_region, {g.id for g in template.groups}, lang=lang, filename=filename)
    frames = []
    for region, members in pairs:
        groups = [replace(g, members=members.get(g.id, g.members)) for g in template.groups]
        s = template.replace(region=region.id, groups=groups)
        p = project(s, region)
        t = p.table[OUTPUT_COLUMNS].copy()
        notes = []
        if region.apbd is base_region.apbd:
            t["cost_share_apbd_pct"] = math.nan
            notes.append("no_apbd")
        if s.base == "min_wage" and region.min_wage is base_region.min_wage:
            notes.append("min_wage_from_template")
        t.insert(0, "region_id", neutralise(region.id))
        t.insert(1, "region", neutralise(region.name))
        t["forecast_short_history"] = p.forecast.short_history
        t["notes"] = " ".join(notes)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)
