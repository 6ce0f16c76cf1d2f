"""Read the region's tables from an office file or an editor into checked, canonical rows.

:func:`read_upload` is the one door for office files (the Data page, ``python -m simulation check``,
``backtest``); :func:`read_records` checks rows typed in the Data page's editors the same way. Every problem is
a :class:`~simulation.io.results.Problem` with the row as the user sees it and the column as written, so that
presentation can say it in the user's language (``"Baris 4, kolom Cakupan (%): ..."``). Pure Python.

An ambiguous file is never read silently: a decimal comma that split a number in a comma-separated file
(``split_decimal``), one share among percentages (``share_among_percent``), a table on two visible sheets
(``two_sheets``) or only on a hidden one (``hidden_sheet``) are refused with where; a column written wholly as
shares (``read_as_share``), a cell right of the table (``ignored_cells``) and hidden sheets beside the visible
one (``hidden_sheet_ignored``) are read by a stated rule, given as warnings that the preview shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..data import Region
from ..errors import ValidationError
from ..units import column_of_shares, share_among_percents
from .cells import CellError, check_range, parse_cell, shown
from .layouts import (
    GROUP_FIELDS,
    HEADER_SEARCH_ROWS,
    ID_RE,
    KINDS,
    LAYOUTS,
    MIN_YEARS,
    PARAMETERS,
    YEAR_TABLES,
    best_kind,
    find_header,
    match_header,
    norm,
    required_missing,
    sheet_kind,
)
from .numbers import is_blank, plain_text
from .results import Problem, Table, Upload
from .tables import MAX_COLUMNS, MAX_ROWS, Sheet, column_letter, paced, read_sheets

__all__ = ["history_series", "problem_error", "read_records", "read_upload"]

_DIGITS = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})*|[-+]?[0-9]+")


def read_grid(kind: str | None, grid: list[tuple[int, list[Any]]], *, sheet: str | None, region: Region | None,
               lang: str, percent_cells: set[tuple[int, int]] | None = None,
               header_index: int | None = None, delimiter: str | None = None) -> Table | Problem:
    """Read one table from rows of raw cells ``(row number, cells)``; a Problem if there is none.

    ``delimiter``: the CSV's separator; in a comma-separated file a row with more cells than the header is a
    decimal comma that split a number (``2023,38,35``) and is refused (``split_decimal``), never read as 38.
    """
    if not any(not is_blank(c) for _n, row in grid for c in row):
        return Problem("empty_file", sheet=sheet)
    found = _read_header(kind, grid, sheet=sheet, lang=lang, header_index=header_index)
    if not isinstance(found, tuple):
        return found
    hi, kind, colmap, headers = found
    header = grid[hi][1]
    layout = {c.key: c for c in LAYOUTS[kind]}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    body = [(n, row) for n, row in paced(grid[hi + 1:]) if any(not is_blank(c) for c in row)]
    if not body:
        return Problem("empty_file", sheet=sheet)
    if len(body) > MAX_ROWS:
        return Problem("too_many_rows", sheet=sheet, params={"max": MAX_ROWS, "rows": len(body)})

    width = max((j + 1 for j, h in enumerate(header[:MAX_COLUMNS]) if not is_blank(h)), default=0)
    for n, row in paced(body):
        extra = next((j for j in range(width, min(len(row), MAX_COLUMNS)) if not is_blank(row[j])), None)
        if extra is None:
            continue
        if delimiter == ",":
            j = split_at(row, width, [layout[colmap[j]].kind if j in colmap else "" for j in range(width)])
            column = str(header[j]).strip() if 0 <= j < width else column_letter(extra)
            problems.append(Problem("split_decimal", row=n, column=column, sheet=sheet,
                                    params={"cells": len([c for c in row if not is_blank(c)]), "columns": width}))
        else:
            warnings.append(Problem("ignored_cells", row=n, column=column_letter(extra), sheet=sheet,
                                    params={"value": shown(row[extra])}))
    if problems:
        return Table(kind, (), tuple(colmap.values()), headers, sheet, tuple(problems))

    rows: list[dict] = []
    pct_written: dict[str, bool] = {}
    bare: dict[str, list[tuple[int, float, Any]]] = {}   # percent cells written without '%': (row, value, raw)
    for n, row in paced(body):
        rec: dict[str, Any] = {"_row": n}
        for j, key in colmap.items():
            raw = row[j] if j < len(row) else None
            if is_blank(raw):
                continue
            col = layout[key]
            try:
                value, pct = parse_cell(col, raw, lang)
            except CellError as exc:
                problems.append(Problem(exc.code, row=n, column=headers[key], key=key, sheet=sheet,
                                        params={"value": shown(raw), **exc.params}))
                continue
            if percent_cells and (n, j) in percent_cells and col.kind in ("percent", "rate"):
                value, pct = value * 100, True
            pct_written[key] = pct_written.get(key, False) or pct
            if col.kind == "percent" and not pct:
                bare.setdefault(key, []).append((n, value, raw))
            rec[key] = value
        rows.append(rec)

    # one row written as a share (0,3835) among percentages (38,35; 40,86): which is it? asked, never guessed
    for key, cells in bare.items():
        percents = [v for _n, v, _r in cells if v > 1]
        for n, v, raw in cells:
            if share_among_percents(v, percents):   # the one percent rule (simulation/units.py)
                problems.append(Problem("share_among_percent", row=n, column=headers[key], key=key, sheet=sheet,
                                        params={"value": shown(raw), "percent": plain_text(100 * v, lang)}))
                break

    # shares written as fractions (0,3835 for 38,35 %) in a percent column with no % anywhere
    for key, col in layout.items():
        if col.kind != "percent" or key not in colmap.values() or pct_written.get(key):
            continue
        values = [r[key] for r in rows if isinstance(r.get(key), float)]
        if column_of_shares(values):
            for r in rows:
                if isinstance(r.get(key), float):
                    r[key] *= 100
            warnings.append(Problem("read_as_share", column=headers[key], key=key, sheet=sheet,
                                    params={"column": headers[key]}))

    table = Table(kind, tuple(rows), tuple(colmap.values()), headers, sheet, tuple(problems), tuple(warnings))
    return _check_rows(table, region, lang)


def _read_header(kind: str | None, grid: list[tuple[int, list[Any]]], *, sheet: str | None, lang: str,
                 header_index: int | None = None) -> Problem | Table | tuple[int, str, dict[int, str], dict[str, str]]:
    """The header of a table, found in its first :data:`~simulation.io.layouts.HEADER_SEARCH_ROWS` rows:
    ``(index of the header row, kind, column index -> key, key -> header as written)``; or a Problem (none
    found); or the Table refused for its header (unknown, repeated or missing columns), whatever rows follow."""
    hi = find_header(grid) if header_index is None else header_index
    if hi is None:
        return Problem("no_header", sheet=sheet)
    header_row, header = grid[hi]
    kind = kind or best_kind(header)
    if kind is None:
        return Problem("no_header", row=header_row, sheet=sheet)
    layout = {c.key: c for c in LAYOUTS[kind]}
    problems: list[Problem] = []
    colmap: dict[int, str] = {}
    headers: dict[str, str] = {}
    for j, h in enumerate(header[:MAX_COLUMNS]):
        key = match_header(kind, h) if not is_blank(h) else "_ignore"
        text = str(h).strip() if h is not None else ""
        if key is None:
            allowed = ", ".join(c.header(lang) for c in LAYOUTS[kind])
            problems.append(Problem("unknown_column", row=header_row, column=text, sheet=sheet,
                                    params={"column": text, "allowed": allowed}))
        elif key == "_ignore":
            continue
        elif key in headers:
            problems.append(Problem("duplicate_column", row=header_row, column=text, key=key, sheet=sheet,
                                    params={"column": text}))
        else:
            colmap[j] = key
            headers[key] = text
    for key in required_missing(kind, set(headers)):
        name = layout[key].header(lang)
        problems.append(Problem("missing_column", column=name, key=key, sheet=sheet, params={"column": name}))
    for key, col in layout.items():
        headers.setdefault(key, col.header(lang))
    if problems:
        return Table(kind, (), tuple(k for k in colmap.values()), headers, sheet, tuple(problems))
    return hi, kind, colmap, headers


def split_at(row: list[Any], width: int, kinds: list[str]) -> int:
    """The column where a decimal comma most likely split a number: two digit cells side by side, in a
    percent or rate column first (counts and years have no decimals), else money, else the first such pair."""
    pairs = [j for j in range(min(len(row), width + 1) - 1) if j < width and _DIGITS.fullmatch(str(row[j]).strip())
             and _DIGITS.fullmatch(str(row[j + 1]).strip())]
    rank = {"percent": 0, "rate": 0, "money": 1}
    return min(pairs, key=lambda j: (rank.get(kinds[j], 2), j)) if pairs else width - 1


def _check_rows(table: Table, region: Region | None, lang: str) -> Table:
    """Value ranges, required cells, duplicates and cross-column checks of a parsed table."""
    kind, headers, sheet = table.kind, table.headers, table.sheet
    layout = {c.key: c for c in LAYOUTS[kind]}
    problems = list(table.problems)
    bad_cells = {(p.row, p.key) for p in problems}
    rows = [dict(r) for r in table.rows]

    def add(code: str, r: dict, key: str | None, **params) -> None:
        problems.append(Problem(code, row=r["_row"], column=headers.get(key) if key else None, key=key, sheet=sheet,
                                params=params))
        bad_cells.add((r["_row"], key))

    def present(r: dict, key: str) -> bool:
        return key in r or (r["_row"], key) in bad_cells

    # ranges of the numbers read
    for r in rows:
        for key, v in list(r.items()):
            col = layout.get(key)
            if col is None or col.kind not in ("count", "money", "percent", "rate"):
                continue
            lo = hi = None
            if kind == "parameters" and key == "value":
                spec = PARAMETERS.get(str(r.get("id", "")))
                if spec:
                    lo, hi = spec[2], spec[3]
            try:
                check_range(col, v, plain_text(v, lang), lo=lo, hi=hi)
            except CellError as exc:
                add(exc.code, r, key, **{"value": plain_text(v, lang), **exc.params})
                del r[key]

    if kind in YEAR_TABLES:
        value_key = YEAR_TABLES[kind][0]
        seen: dict[int, int] = {}
        for r in rows:
            if not present(r, "year"):
                add("missing_year", r, "year")
                continue
            if "year" in r:
                y = r["year"]
                if y in seen:
                    add("duplicate_year", r, "year", year=y, first_row=seen[y])
                else:
                    seen[y] = r["_row"]
            if kind == "history":
                has_parts = "participants" in r and "potential_workers" in r
                if "participants" in r and "potential_workers" in r and r["participants"] > r["potential_workers"]:
                    add("covered_above_potential", r, "participants", participants=plain_text(r["participants"], lang),
                        potential=plain_text(r["potential_workers"], lang))
                    continue
                if "coverage_pct" not in r and has_parts and not present(r, "coverage_pct"):
                    cov = 100 * r["participants"] / r["potential_workers"]
                    if not 0 < cov < 100:
                        add("out_of_range", r, "participants", value=plain_text(cov, lang, 2), min=0, max=100)
                        continue
                    r["coverage_pct"] = cov
                if not present(r, "coverage_pct"):
                    missing = "coverage_pct" if "coverage_pct" in table.columns else \
                        ("participants" if not present(r, "participants") else "potential_workers")
                    add("empty_value", r, missing)
            elif not present(r, value_key):
                add("empty_value", r, value_key)
        if not problems and len(seen) < MIN_YEARS[kind]:
            problems.append(Problem("too_few", sheet=sheet, params={"min": MIN_YEARS[kind], "count": len(seen)}))

    elif kind == "groups":
        seen_ids: dict[str, int] = {}
        for r in rows:
            if (r["_row"], "id") in bad_cells or (r["_row"], "name") in bad_cells:
                continue  # its id or name was refused already (invisible characters, too long)
            gid = _resolve_group(r, region)
            if gid is None:
                key = "id" if "id" in r else "name"
                if present(r, key):
                    add("unknown_group", r, key, group=r.get(key, ""))
                else:
                    add("empty_value", r, "id" if "id" in table.columns else "name")
                continue
            r["id"] = gid
            for key in GROUP_FIELDS:
                if key in table.columns and not present(r, key):
                    add("empty_value", r, key)
            if gid in seen_ids:
                add("duplicate_id", r, "id" if "id" in table.columns else "name", id=gid, first_row=seen_ids[gid])
            seen_ids[gid] = r["_row"]

    elif kind == "targets":
        seen_ids = {}
        for r in rows:
            if "id" not in r and "name" in r:
                r["id"] = _slug(r["name"])
            if "id" in r and not ID_RE.fullmatch(r["id"]):
                add("bad_id", r, "id", value=r["id"])
                continue
            if "id" not in r:
                if not present(r, "id") and not present(r, "name"):
                    add("empty_value", r, "name" if "name" in table.columns else "id")
                continue
            if r["id"] in seen_ids:
                add("duplicate_id", r, "id" if "id" in table.columns else "name", id=r["id"],
                    first_row=seen_ids[r["id"]])
            seen_ids[r["id"]] = r["_row"]
            for key in ("year", "coverage_pct"):
                if not present(r, key):
                    add("empty_value", r, key)
        if not problems and len(rows) > 20:
            problems.append(Problem("too_many_rows", sheet=sheet, params={"max": 20, "rows": len(rows)}))

    elif kind == "parameters":
        seen_ids = {}
        for r in rows:
            if not present(r, "id"):
                add("empty_value", r, "id")
                continue
            if "id" in r and r["id"] not in PARAMETERS:
                add("unknown_id", r, "id", id=r["id"], allowed=", ".join(PARAMETERS))
                continue
            if "id" in r and r["id"] in seen_ids:
                add("duplicate_id", r, "id", id=r["id"], first_row=seen_ids[r["id"]])
            if "id" in r:
                seen_ids[r["id"]] = r["_row"]
            if not present(r, "value"):
                add("empty_value", r, "value")

    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return replace(table, rows=tuple(rows), problems=tuple(problems))


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:40] or "target"


def _resolve_group(r: dict, region: Region | None) -> str | None:
    if region is None:
        return r.get("id") or (_slug(r["name"]) if r.get("name") else None)
    if r.get("id"):
        g = region.group(r["id"].strip()) or next((g for g in region.groups if g.id.lower() == r["id"].lower()), None)
        return g.id if g else None
    if r.get("name"):
        want = norm(r["name"])
        g = next((g for g in region.groups if want in (norm(g.name_id), norm(g.name_en), norm(g.id))), None)
        return g.id if g else None
    return None



def read_upload(data: bytes, filename: str, *, kind: str | None = None, region: Region | None = None,
                lang: str = "id") -> Upload:
    """Read an office file (CSV or XLSX, see :mod:`simulation.io.tables`) into checked tables; nothing is applied.

    ``kind`` asks for one table only; without it every table found is read (a CSV holds one,
    a workbook one per sheet, recognised by the sheet's name or its header). ``region`` lets
    group names and ids be checked. ``lang`` decides how a lone ``1.234`` is read (``"id"``:
    thousands) and the language of template headers named in problems.

    This is the one door for office files: the Data page, ``python -m simulation check`` and
    ``backtest`` (through :func:`history_series`) all call it.
    """
    name = str(filename or "")
    if kind is not None and kind not in LAYOUTS:
        raise ValueError(f"unknown table kind {kind!r}")
    sheets = read_sheets(data, name, head_rows=HEADER_SEARCH_ROWS,
                         head_refused=lambda sheet: _refused_at_header(kind, sheet, lang))
    if isinstance(sheets, Problem):
        return Upload(name, problems=(sheets,))
    if len(sheets) == 1 and sheets[0].title is None:  # a CSV: one table
        result = _read_sheet(kind, sheets[0], region, lang)
        if isinstance(result, Problem):
            return Upload(name, problems=(result,))
        return Upload(name, tables=(result,))

    first_problem: Problem | None = None
    candidates: dict[str, list[tuple[Sheet, Table]]] = {}
    fallback: list[tuple[Sheet, Table]] = []
    # a sheet named after a table first, then any other sheet whose header fits
    by_name = [(s, sheet_kind(s.title)) for s in sheets]
    order = [s for s in by_name if s[1]] + [s for s in by_name if not s[1]]
    for sheet, named in order:
        if kind and named and named != kind:
            continue
        res = _read_sheet(kind or named, sheet, region, lang)
        if isinstance(res, Problem):
            if named and first_problem is None and not sheet.hidden:
                first_problem = res
            continue
        if kind and res.kind != kind:
            continue
        if not named and not res.ok:
            fallback.append((sheet, res))  # a notes sheet, or the data with mistakes: decided below
            continue
        candidates.setdefault(res.kind, []).append((sheet, res))
    if not candidates and fallback:
        candidates[fallback[0][1].kind] = [fallback[0]]
    tables: list[Table] = []
    problems: list[Problem] = []
    for found in candidates.values():
        table, problem = _one_sheet_per_table(found)
        if problem is not None:
            problems.append(problem)
        else:
            tables.append(table)
    if problems:
        return Upload(name, problems=tuple(problems))
    if not tables:
        if first_problem is None:
            first_problem = Problem("empty_file") if all(s.empty for s in sheets) else Problem("no_header")
        return Upload(name, problems=(first_problem,))
    tables.sort(key=lambda t: KINDS.index(t.kind))
    return Upload(name, tables=tuple(tables))


def _refused_at_header(kind: str | None, head: Sheet, lang: str) -> bool:
    """Whether a workbook sheet is refused for its header, as :func:`read_upload` would read it, from its first
    rows alone (then its other rows are not parsed: :func:`~simulation.io.tables.read_sheets`)."""
    named = sheet_kind(head.title or "")
    if kind and named and named != kind:
        return False   # a sheet read_upload passes over: read as before
    return isinstance(_read_header(kind or named, head.rows, sheet=head.title, lang=lang), Table)


def _read_sheet(kind: str | None, sheet: Sheet, region: Region | None, lang: str) -> Table | Problem:
    """One sheet read as a table; a sheet cut at the row limit is refused, never read in part."""
    res = read_grid(kind, sheet.rows, sheet=sheet.title, region=region, lang=lang,
                    percent_cells=sheet.percent_cells, delimiter=sheet.delimiter)
    if sheet.truncated and not isinstance(res, Problem):
        return Problem("too_many_rows", sheet=sheet.title, params={"max": MAX_ROWS, "rows": f"> {MAX_ROWS}"})
    return res


def _one_sheet_per_table(found: list[tuple[Sheet, Table]]) -> tuple[Table | None, Problem | None]:
    """The sheet to read a table from, when one or more sheets hold it: never chosen silently.

    One visible sheet: read, with a warning naming the hidden ones beside it. Two visible sheets: refused
    (``two_sheets``, naming them). Only hidden sheets: refused (``hidden_sheet``): Excel does not show them, so
    the user cannot check what would be read.
    """
    visible_ = [(s, t) for s, t in found if not s.hidden]
    hidden = [s.title for s, _t in found if s.hidden]
    kind = found[0][1].kind
    if len(visible_) > 1:
        return None, Problem("two_sheets", params={"table": kind, "sheets": ", ".join(
            f"«{s.title}»" for s, _t in visible_)})
    if not visible_:
        return None, Problem("hidden_sheet", sheet=hidden[0], params={"table": kind, "sheet": hidden[0]})
    sheet, table = visible_[0]
    if hidden:
        note = Problem("hidden_sheet_ignored", sheet=sheet.title,
                       params={"table": kind, "sheet": sheet.title, "hidden": ", ".join(f"«{h}»" for h in hidden)})
        table = replace(table, warnings=(*table.warnings, note))
    return table, None


def read_records(kind: str, records: Iterable[dict], *, region: Region | None = None, lang: str = "id",
                 headers: dict[str, str] | None = None) -> Table:
    """Check rows typed in an editor (canonical keys -> text or numbers) like an uploaded table.

    Rows are numbered from 1 as the editor shows them; entirely empty rows are skipped.
    Problems name the editor's column headers (``headers``, else the template headers).
    """
    layout = LAYOUTS[kind]
    heads = {c.key: (headers or {}).get(c.key, c.header(lang)) for c in layout}
    keys = [c.key for c in layout]
    grid: list[tuple[int, list[Any]]] = [(0, [heads[k] for k in keys])]
    for i, rec in enumerate(records, start=1):
        grid.append((i, [rec.get(k) for k in keys]))
    if len(grid) == 1 or not any(not is_blank(c) for _n, row in grid[1:] for c in row):
        if kind == "targets":  # a region may have no targets
            return Table(kind, (), tuple(keys), heads, None)
        return Table(kind, (), tuple(keys), heads, None,
                     (Problem("too_few", params={"min": MIN_YEARS.get(kind, 1), "count": 0}),))
    res = read_grid(kind, grid, sheet=None, region=region, lang=lang, header_index=0)
    if isinstance(res, Problem):
        return Table(kind, (), tuple(keys), heads, None, (res,))
    return res



def history_series(upload: Upload) -> tuple[list[int], list[float]]:
    """Years and coverage shares [0..1] of the history table of a read upload, sorted by year.

    ``ValidationError`` (code, params, row and column of the first problem, as the Data page lists it) if
    the upload has no usable history table. ``backtest`` reads its file this way.
    """
    table = upload.table("history")
    problems = upload.problems + (table.problems if table is not None else ())
    if table is None and not problems:
        problems = (Problem("no_header"),)
    if problems:
        raise problem_error(problems[0], len(problems))
    pairs = sorted((r["year"], r["coverage_pct"] / 100) for r in table.rows)
    return [y for y, _ in pairs], [s for _, s in pairs]


def problem_error(p: Problem, count: int = 1) -> ValidationError:
    """A Problem as the ValidationError the engine's callers catch (``field``: where, in plain English)."""
    where = ", ".join(x for x in (f"sheet {p.sheet}" if p.sheet else "", f"row {p.row}" if p.row else "",
                                  f"column {p.column}" if p.column else "") if x) or "file"
    return ValidationError(where, f"{p.code.replace('_', ' ')} ({count} problem(s) in the file)", code=p.code,
                           params={**p.params, "row": p.row, "column": p.column, "sheet": p.sheet})
