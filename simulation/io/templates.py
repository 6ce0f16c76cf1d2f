"""The region's current data as table rows, and the downloadable templates filled with them (CSV and XLSX).

A template is laid out exactly as :func:`simulation.io.reader.read_upload` reads it, so a user edits the
region's numbers rather than retyping them. Headers are the layouts' template headers in the user's language.

Text cells (group and target names, sources, the notes) pass through :func:`simulation.io.safe.neutralise`, so
a name such as ``=HYPERLINK(...)`` is written as text, never as a live formula; the reader takes the ``'`` off
again (:func:`simulation.io.safe.unneutralise`), so a template still reads back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from ..data import Region
from ..sourced import Sourced
from .layouts import GROUP_FIELDS, KINDS, LAYOUTS, PARAMETERS, YEAR_TABLES
from .numbers import plain_text
from .safe import neutralise

__all__ = ["region_rows", "template_csv", "template_xlsx"]


def _sourced_cells(v: Sourced) -> dict:
    return {"source": v.source, "source_date": v.source_date, "certainty": v.certainty}


def region_rows(region: Region, kind: str, lang: str = "id") -> list[dict]:
    """The region's current data as canonical rows of a table kind (values as stored in the table)."""
    if kind in YEAR_TABLES:
        value_key, attr = YEAR_TABLES[kind]
        return [{"year": v.year, value_key: v.value, **_sourced_cells(v)} for v in getattr(region, attr)]
    if kind == "groups":
        out = []
        for g in region.groups:
            row = {"id": g.id, "name": g.name(lang)}
            for key, (attr, factor) in GROUP_FIELDS.items():
                row[key] = getattr(g, attr).value / factor
            out.append(row)  # no source cells: each value has its own; the file's apply to changed values
        return out
    if kind == "targets":
        return [{"id": t.id, "name": t.name(lang), "year": t.year, "coverage_pct": t.coverage_pct,
                 "source": t.source, "source_date": t.source_date, "certainty": t.certainty} for t in region.targets]
    if kind == "parameters":
        out = []
        for pid, (attr, factor, *_rest) in PARAMETERS.items():
            v = getattr(region, attr)
            out.append({"id": pid, "value": v.value / factor, **_sourced_cells(v)})
        return out
    raise ValueError(f"unknown table kind {kind!r}")


def _row_cells(kind: str, row: dict, lang: str, as_text: bool) -> list[Any]:
    cells = []
    for col in LAYOUTS[kind]:
        v = row.get(col.key)
        if v is None:
            cells.append("")
        elif isinstance(v, dt.date):
            cells.append(v.isoformat() if as_text else v)
        elif isinstance(v, float) and as_text:
            cells.append(plain_text(v, lang))
        elif isinstance(v, float) and v == int(v) and col.kind in ("count", "money", "year"):
            cells.append(int(v))
        else:
            cells.append(neutralise(v))
    return cells


def template_csv(region: Region, kind: str, lang: str = "id") -> bytes:
    """One table as a CSV the way Indonesian Excel opens it (UTF-8 with BOM, ``;``, decimal comma),
    filled with the region's current data so that the user edits rather than retypes."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";" if lang == "id" else ",", lineterminator="\r\n")
    w.writerow([c.header(lang) for c in LAYOUTS[kind]])
    for row in region_rows(region, kind, lang):
        w.writerow(_row_cells(kind, row, lang, as_text=True))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_SHEET_TITLES = {"history": ("riwayat", "history"), "workers": ("pekerja", "workers"), "min_wage": ("umk", "min_wage"),
                 "apbd": ("apbd", "apbd"), "groups": ("kelompok", "groups"), "targets": ("target", "targets"),
                 "parameters": ("parameter", "parameters")}


def template_xlsx(region: Region, lang: str = "id", notes: Sequence[str] = ()) -> bytes:
    """A workbook with one sheet per table, filled with the region's current data.

    ``notes`` (lines of text, already in the user's language) go on a first sheet that the
    reader ignores.
    """
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "petunjuk" if lang == "id" else "readme"
    for i, line in enumerate(notes, start=1):
        info.cell(row=i, column=1, value=neutralise(line))
    info.column_dimensions["A"].width = 110
    for kind in KINDS:
        ws = wb.create_sheet(_SHEET_TITLES[kind][0 if lang == "id" else 1])
        layout = LAYOUTS[kind]
        for j, col in enumerate(layout, start=1):
            cell = ws.cell(row=1, column=j, value=col.header(lang))
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = max(12, min(60, len(col.header(lang)) + 4))
        for i, row in enumerate(region_rows(region, kind, lang), start=2):
            for j, (col, v) in enumerate(zip(layout, _row_cells(kind, row, lang, as_text=False), strict=True),
                                         start=1):
                cell = ws.cell(row=i, column=j, value=v if v != "" else None)
                if col.kind == "money" or (col.kind == "count" and isinstance(v, int)):
                    cell.number_format = "#,##0"
                elif col.kind == "date" and v:
                    cell.number_format = "yyyy-mm-dd"
        if kind in ("groups", "history", "targets"):
            ws.column_dimensions["B" if kind != "history" else "E"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

