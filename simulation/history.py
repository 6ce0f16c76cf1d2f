"""Read a coverage history table (year, coverage [%]) as offices export it.

Accepts comma, semicolon or tab separators, a byte-order mark, decimal commas and a
trailing ``%``. Column names: ``year``/``tahun`` and ``coverage_pct``/``coverage``/
``cakupan``/``cakupan_pct``. Errors name the row and column.
"""

from __future__ import annotations

import csv
import io

from .errors import ValidationError

YEAR_NAMES = ("year", "tahun")
COVERAGE_NAMES = ("coverage_pct", "coverage", "cakupan", "cakupan_pct", "cakupan_persen")


def parse_percent(text: str, where: str) -> float:
    t = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        raise ValidationError(where, f"expected a percentage, got {text!r}", code="expected_number") from None
    if not 0 <= v <= 100:
        raise ValidationError(where, f"a share must be between 0 and 100 %, got {text!r}", code="over_100")
    return v


def read_history_csv(text: str) -> tuple[list[int], list[float]]:
    """Years and shares (0..1), sorted by year."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError("file", "the file is empty", code="empty_file")
    first = text.splitlines()[0]
    delim = max((";", ",", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    header = [h.strip().lower() for h in rows[0]]
    ycol = next((i for i, h in enumerate(header) if h in YEAR_NAMES), None)
    ccol = next((i for i, h in enumerate(header) if h in COVERAGE_NAMES), None)
    if ycol is None:
        raise ValidationError("column 'year'", "missing column (year or tahun)", code="missing_column",
                              params={"column": "year"})
    if ccol is None:
        raise ValidationError("column 'coverage_pct'", "missing column (coverage_pct or cakupan)",
                              code="missing_column", params={"column": "coverage_pct"})
    years, shares = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        y_text = row[ycol].strip() if ycol < len(row) else ""
        c_text = row[ccol].strip() if ccol < len(row) else ""
        try:
            y = int(y_text)
        except ValueError:
            raise ValidationError(f"row {n}, column {header[ycol]}", f"expected a year, got {y_text!r}",
                                  code="expected_year", params={"row": n, "column": header[ycol]}) from None
        if not 1990 <= y <= 2100:
            raise ValidationError(f"row {n}, column {header[ycol]}", f"year {y} is out of range",
                                  code="expected_year", params={"row": n, "column": header[ycol]})
        if y in years:
            raise ValidationError(f"row {n}, column {header[ycol]}", f"year {y} appears twice",
                                  code="duplicate_year", params={"row": n, "column": header[ycol], "year": y})
        v = parse_percent(c_text, f"row {n}, column {header[ccol]}")
        if not 0 < v < 100:
            raise ValidationError(f"row {n}, column {header[ccol]}", "coverage must be above 0 and below 100 %",
                                  code="over_100", params={"row": n, "column": header[ccol]})
        years.append(y)
        shares.append(v / 100)
    if len(years) < 2:
        raise ValidationError("file", "at least two years are needed", code="too_few")
    order = sorted(range(len(years)), key=years.__getitem__)
    return [years[i] for i in order], [shares[i] for i in order]
