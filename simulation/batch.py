"""Run one scenario template over many regions given as one CSV table.

Columns (header names, any order; ``;`` or ``,`` separated, UTF-8 with or without BOM):

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

import csv
import io
import re
from dataclasses import replace

import pandas as pd

from .data import Region, Sourced, YearValue, load_region
from .errors import ValidationError
from .projection import project
from .scenario import Scenario
from .uploads import parse_number

_COVERAGE_RE = re.compile(r"^coverage_(\d{4})$")
_ID_RE = re.compile(r"^[a-z0-9_\-]{1,40}$")
OUTPUT_COLUMNS = ["year", "potential_workers", "baseline_coverage_pct", "coverage_pct", "coverage_low_pct",
                  "coverage_high_pct", "pbi_participants", "pbi_added_net", "cost_idr", "cost_share_apbd_pct",
                  "claims_idr"]


def _num(text: str, where: str, *, whole: bool = False) -> float:
    """A number as offices write it (Indonesian first: "1.234,5", "40,86%"); errors name row and column."""
    try:
        value = parse_number(text, "id")
    except ValueError:
        raise ValidationError(where, f"expected a number, got {text!r}", code="expected_number") from None
    if value < 0:
        raise ValidationError(where, f"expected zero or more, got {text!r}", code="negative")
    if whole and value != int(value):
        raise ValidationError(where, f"expected a whole number of persons, got {text!r}", code="expected_integer")
    return value


def read_regions_csv(text: str, template: Region, group_ids: set[str]) -> list[Region | tuple]:
    """Parse the table into (Region, members overrides) pairs; errors name the row and column."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError("file", "the file is empty", code="empty_file")
    first = text.splitlines()[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delim)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    known = {"region_id", "name", "potential_workers", "potential_workers_year", "worker_growth_pct", "formal_share",
             "formal_coverage", "min_wage", "apbd"}
    for h in header:
        if h in known or _COVERAGE_RE.match(h):
            continue
        if h.startswith("members_") and h[len("members_"):] in group_ids:
            continue
        raise ValidationError(f"column {h!r}", "unknown column", code="unknown_column", params={"column": h})
    for req in ("region_id", "potential_workers", "potential_workers_year"):
        if req not in header:
            raise ValidationError(f"column {req!r}", "missing column", code="missing_column", params={"column": req})
    cov_cols = [(int(_COVERAGE_RE.match(h).group(1)), h) for h in header if _COVERAGE_RE.match(h)]
    out = []
    seen = set()
    for i, row in enumerate(reader, start=2):
        def where(col: str, i: int = i) -> str:
            return f"row {i}, column {col}"
        rid = (row.get("region_id") or "").strip()
        if not _ID_RE.match(rid):
            raise ValidationError(where("region_id"), f"invalid region id {rid!r}", code="bad_id")
        if rid in seen:
            raise ValidationError(where("region_id"), f"region {rid!r} appears twice", code="duplicate_id")
        seen.add(rid)
        src = f"batch input row {i}"
        history = []
        for year, col in cov_cols:
            cell = (row.get(col) or "").strip()
            if cell:
                v = _num(cell, where(col))
                if not 0 < v < 100:
                    raise ValidationError(where(col), f"coverage must be between 0 and 100 %, got {cell}",
                                          code="over_100")
                history.append(YearValue(value=v, source=src, certainty="M", year=year))
        if len(history) < 2:
            raise ValidationError(where("coverage_YYYY"), "at least two years of coverage are needed",
                                  code="too_few")
        pw = _num(row.get("potential_workers") or "", where("potential_workers"), whole=True)
        if pw < 1:
            raise ValidationError(where("potential_workers"), "must be at least 1", code="out_of_range")
        pwy = _num(row.get("potential_workers_year") or "", where("potential_workers_year"))
        if not 1990 <= pwy <= 2100 or pwy != int(pwy):
            raise ValidationError(where("potential_workers_year"), "expected a year", code="expected_year")
        r = replace(template, id=rid, name=(row.get("name") or rid).strip()[:120] or rid,
                    coverage_history=tuple(history),
                    potential_workers=(YearValue(value=pw, source=src, certainty="M", year=int(pwy)),))
        last = history[-1].year
        for col, fld, hi in (("worker_growth_pct", "worker_growth_pct", 20), ("formal_share", "formal_share", 1),
                             ("formal_coverage", "formal_coverage", 1)):
            cell = (row.get(col) or "").strip()
            if cell:
                v = _num(cell, where(col))
                if v > hi:
                    raise ValidationError(where(col), f"must be at most {hi}", code="out_of_range")
                r = replace(r, **{fld: Sourced(value=v, source=src, certainty="M")})
        for col in ("min_wage", "apbd"):
            cell = (row.get(col) or "").strip()
            if cell:
                r = replace(r, **{col: (YearValue(value=_num(cell, where(col)), source=src, certainty="M",
                                                  year=last),)})
        members = {}
        for gid in group_ids:
            cell = (row.get(f"members_{gid}") or "").strip()
            if cell:
                members[gid] = int(_num(cell, where(f"members_{gid}"), whole=True))
        out.append((r, members))
    if not out:
        raise ValidationError("file", "no region rows below the header", code="empty_file")
    return out


def run_batch(template: Scenario, csv_text: str) -> pd.DataFrame:
    """Project the template for every region of the table; one long table (region × year)."""
    base_region = load_region(template.region)
    pairs = read_regions_csv(csv_text, base_region, {g.id for g in template.groups})
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
