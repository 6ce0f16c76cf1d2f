"""THE table reader: the bytes of an office file and its name -> sheets of raw cells, each row with the 1-based
number the user sees in Excel or a text editor.

CSV in any form Excel writes: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with a byte-order mark,
Windows-1252; ``;``, ``,``, tab or ``|`` between cells (sniffed from the first rows). XLSX (and XLSM) through
openpyxl in read-only, data-only mode: formulas give their cached value, every sheet is read, and cells
formatted as percent are remembered (a cell showing ``38,35%`` holds 0.3835).

Nothing is evaluated. The size is checked before any parsing, and an XLSX whose unpacked size is out of
proportion (a zip bomb) is refused. A file that is not a table is a :class:`~simulation.io.results.Problem`
(``too_large``, ``empty_file``, ``not_a_table``), never an exception.

What the cells mean is decided elsewhere: :mod:`simulation.io.reader` (the region's tables) and
:mod:`simulation.batch` (many regions) read the same sheets.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from .numbers import is_blank
from .results import Problem

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNZIPPED_BYTES", "Sheet", "read_sheets"]

#: Largest file accepted [bytes]; checked before any parsing.
MAX_BYTES = 2 * 1024 * 1024
#: Largest unpacked size of an XLSX (a zip) [bytes]: guards against zip bombs.
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
#: Most data rows read from one table.
MAX_ROWS = 1000
#: Most columns read from one table.
MAX_COLUMNS = 40
#: Rows read beyond ``max_rows`` (title rows above the header, blank rows), so that "too many rows" can be told.
_SLACK_ROWS = 65
#: Cell separators Excel writes (semicolon first: Indonesian Excel's list separator).
DELIMITERS = (";", "\t", ",", "|")
#: File name endings read as text tables and as workbooks.
TEXT_EXTENSIONS = ("csv", "txt", "tsv")
WORKBOOK_EXTENSIONS = ("xlsx", "xlsm")

Grid = list[tuple[int, list[Any]]]

_MAGIC_NOT_TEXT = (b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff",
                   b"GIF8", b"\x1f\x8b", b"BM", b"Rar!", b"7z\xbc\xaf")


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook, or the one table of a CSV (``title`` None).

    ``rows``: ``(row number as the user sees it, raw cells)``; trailing empty rows dropped.
    ``percent_cells``: ``(row number, 0-based column)`` of numeric cells formatted as percent (XLSX only).
    """

    title: str | None
    rows: Grid
    percent_cells: frozenset[tuple[int, int]] = frozenset()

    @property
    def empty(self) -> bool:
        return not any(not is_blank(c) for _n, row in self.rows for c in row)


def decode(data: bytes) -> str | None:
    """The text of a CSV as Excel saves it, or None if the bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if any(data.startswith(m) for m in _MAGIC_NOT_TEXT) or b"\x00" in data[:4096]:
        return None
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\r\n\t")
    return None if sample and bad > len(sample) * 0.02 else text


def sniff_delimiter(text: str) -> str:
    """The separator that splits most of the first 20 lines into the same number (>= 2) of cells."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    best, best_score = ";", -1
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        wide = [c for c in counts if c >= 2]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = wide.count(mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_grid(text: str, max_rows: int) -> Grid:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
    grid = []
    start = 1
    for cells in reader:
        grid.append((start, [c.lstrip("\ufeff") for c in cells[:MAX_COLUMNS]]))
        start = reader.line_num + 1
        if len(grid) > max_rows + _SLACK_ROWS:
            break
    return grid


def _xlsx_sheets(data: bytes, max_rows: int) -> list[Sheet] | Problem:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Problem("not_a_table")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return Problem("not_a_table")
    if unpacked > MAX_UNZIPPED_BYTES:
        return Problem("too_large", params={"size": unpacked, "limit": MAX_UNZIPPED_BYTES})
    import openpyxl  # imported here: reading CSV does not need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        return Problem("not_a_table")
    out = []
    try:
        for ws in wb.worksheets:
            grid: Grid = []
            pct: set[tuple[int, int]] = set()
            limit = max_rows + _SLACK_ROWS
            for n, row in enumerate(ws.iter_rows(min_row=1, max_row=limit, max_col=MAX_COLUMNS), start=1):
                cells = []
                for j, c in enumerate(row):
                    v = getattr(c, "value", None)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in str(
                            getattr(c, "number_format", "") or ""):
                        pct.add((n, j))
                    cells.append(v)
                grid.append((n, cells))
            while grid and all(is_blank(c) for c in grid[-1][1]):
                grid.pop()
            out.append(Sheet(ws.title, grid, frozenset(pct)))
    except Exception:  # noqa: BLE001
        return Problem("not_a_table")
    finally:
        wb.close()
    return out


def extension(filename: str) -> str:
    """The lower-case ending of a file name (``"csv"``), or ``""``."""
    name = str(filename or "")
    return name.lower().rpartition(".")[2] if "." in name else ""


def read_sheets(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
                max_rows: int = MAX_ROWS) -> list[Sheet] | Problem:
    """The sheets of an office file: one for a CSV, every sheet of a workbook; or the Problem with the file.

    The kind of file is decided by its name's ending (``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xlsm``), as
    Excel does. ``max_bytes`` [bytes] is checked first; about ``max_rows`` rows are read from each sheet.
    """
    if not isinstance(data, (bytes, bytearray)):
        return Problem("not_a_table")
    if len(data) > max_bytes:
        return Problem("too_large", params={"size": len(data), "limit": max_bytes})
    if not data.strip():
        return Problem("empty_file")
    ext = extension(filename)
    if ext in TEXT_EXTENSIONS:
        text = decode(bytes(data))
        if text is None:
            return Problem("not_a_table", params={"ext": ext})
        return [Sheet(None, _csv_grid(text, max_rows))]
    if ext in WORKBOOK_EXTENSIONS:
        return _xlsx_sheets(bytes(data), max_rows)
    return Problem("not_a_table", params={"ext": ext})
