"""THE table reader: the bytes of an office file and its name -> sheets of raw cells, each row with the 1-based
number the user sees in Excel or a text editor.

CSV in any form Excel writes: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with a byte-order mark,
Windows-1252; ``;``, ``,``, tab or ``|`` between cells (sniffed from the first rows). XLSX (and XLSM) through
openpyxl in read-only, data-only mode: formulas give their cached value, every sheet is read, and cells
formatted as percent are remembered (a cell showing ``38,35%`` holds 0.3835).

Nothing is evaluated, and the cost of reading is bounded before and while reading: the size is checked before
any parsing; an XLSX whose unpacked size is out of proportion (a zip bomb), whose shared-strings part unpacks
beyond :data:`MAX_SHARED_STRINGS_BYTES` or holds more than :data:`MAX_SHARED_STRINGS` strings (counted while
streaming it, before openpyxl loads them all) is refused; rows are read one by one and reading stops
:data:`_SLACK_ROWS` rows past the row limit; a cell longer than :data:`MAX_CELL_CHARS` is refused with its row and
column. A sheet whose header the caller refuses (``head_refused``) is not parsed past its first rows when nothing
below them could change what is said: no row limit to tell, no cell that could be too long (bounded by the bytes
between two cells' tags, counted while unpacking). A file that is not a table is a
:class:`~simulation.io.results.Problem` (``too_large``, ``empty_file``, ``not_a_table``, ``old_excel``,
``cell_too_long``, ``too_many_strings``), never an exception.

Every sheet says whether Excel hides it (``hidden``: "hidden" or "very hidden"), and a CSV its separator, so
that the reader can refuse what it cannot read without guessing (two sheets for one table, a decimal comma that
split a number in a comma-separated file).

What the cells mean is decided elsewhere: :mod:`simulation.io.reader` (the region's tables) and
:mod:`simulation.batch` (many regions) read the same sheets.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .numbers import is_blank
from .results import Problem

__all__ = ["ACCEPTED_EXTENSIONS", "MAX_BYTES", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ROWS", "MAX_SHARED_STRINGS",
           "MAX_SHARED_STRINGS_BYTES", "MAX_UNZIPPED_BYTES", "Sheet", "column_letter", "read_sheets"]

#: Largest file accepted [bytes]; checked before any parsing.
MAX_BYTES = 2 * 1024 * 1024
#: Largest unpacked size of an XLSX (a zip) [bytes]: guards against zip bombs.
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
#: Most data rows read from one table.
MAX_ROWS = 1000
#: Longest cell [characters]: Excel's own limit. Python's csv module stops at 131,072 (128 KB) and is caught too.
MAX_CELL_CHARS = 32_767
#: Most strings in an XLSX's shared-strings part, and its largest unpacked size [bytes]: a 1,000-row table of
#: 40 columns has at most 40,000 distinct texts; openpyxl loads them all into memory before the first row.
MAX_SHARED_STRINGS = 50_000
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
#: Most columns read from one table.
MAX_COLUMNS = 40
#: Rows read beyond ``max_rows`` (title rows above the header, blank rows), so that "too many rows" can be told.
_SLACK_ROWS = 65
#: Cell separators Excel writes (semicolon first: Indonesian Excel's list separator).
DELIMITERS = (";", "\t", ",", "|")
#: File name endings read as text tables and as workbooks.
TEXT_EXTENSIONS = ("csv", "txt", "tsv")
WORKBOOK_EXTENSIONS = ("xlsx", "xlsm")
#: Old or other spreadsheet formats offices still have: refused with "save it as .xlsx" (``old_excel``), in the
#: user's language, rather than by an upload widget's English filter.
OTHER_SPREADSHEETS = ("xls", "xlsb", "ods", "numbers")
#: What an upload widget should let through: the reader itself says why anything else is refused.
ACCEPTED_EXTENSIONS = TEXT_EXTENSIONS + WORKBOOK_EXTENSIONS + OTHER_SPREADSHEETS

Grid = list[tuple[int, list[Any]]]
_T = TypeVar("_T")

#: How long the reader works before it lets other threads run [s]: see :func:`paced`.
PACE = 0.0002
#: Releases the interpreter lock and the processor at once (a few microseconds); ``time.sleep(0)`` where the
#: system has no ``sched_yield`` (Windows), which takes about 80 microseconds on Linux.
_yield = getattr(os, "sched_yield", None) or (lambda: time.sleep(0))

_MAGIC_NOT_TEXT = (b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff",
                   b"GIF8", b"\x1f\x8b", b"BM", b"Rar!", b"7z\xbc\xaf")


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook, or the one table of a CSV (``title`` None).

    ``rows``: ``(row number as the user sees it, raw cells)``; trailing empty rows dropped.
    ``percent_cells``: ``(row number, 0-based column)`` of numeric cells formatted as percent (XLSX only).
    ``hidden``: Excel hides the sheet ("hidden" or "very hidden"). ``delimiter``: a CSV's cell separator.
    ``truncated``: reading stopped at the row limit; the sheet has more rows than ``rows``.
    ``complete``: False when reading stopped after the first rows because the caller refuses the sheet's header
    whatever follows (``head_refused`` of :func:`read_sheets`): ``rows`` are those first rows only.
    """

    title: str | None
    rows: Grid
    percent_cells: frozenset[tuple[int, int]] = frozenset()
    hidden: bool = False
    delimiter: str | None = None
    truncated: bool = False
    complete: bool = True

    @property
    def empty(self) -> bool:
        return not any(not is_blank(c) for _n, row in self.rows for c in row)


def paced(items: Iterable[_T], every: float | None = None) -> Iterator[_T]:
    """``items``, letting other threads run about every ``every`` seconds (:data:`PACE`) while they are worked
    through.

    Reading a large workbook is pure Python (openpyxl's cells, then ours): left alone, the thread holds the
    interpreter lock and hands it over only when another thread has waited a whole switch interval (5 ms). In
    the app every other session's script run and the server's event loop (which sends every session's page)
    need the lock between short waits for the network, so each of their waits would cost them up to 5 ms more
    (the "convoy effect"), and a busy one gets only half of it. Beside a whole read of a 1,000 x 40 workbook
    (0.4 s), another thread's 16 ms of short waits and work took 160 ms, and 16 ms of pure work 24-33 ms;
    released every 0.2 ms, they took 30 ms and 17-19 ms, and the read took as much processor time as before.
    """
    every = PACE if every is None else every
    due = time.perf_counter() + every
    for item in items:
        yield item
        if time.perf_counter() >= due:
            _yield()
            due = time.perf_counter() + every


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
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        except csv.Error:  # a field beyond the csv module's limit: the reader names its row and column
            continue
        wide = [c for c in counts if c >= 2]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = wide.count(mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def column_letter(j: int) -> str:
    """Excel's name of the 0-based column ``j`` (0 -> ``"A"``, 26 -> ``"AA"``)."""
    name = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        name = chr(65 + rem) + name
    return name


def _too_long(row: int, j: int, length: int, sheet: str | None = None) -> Problem:
    return Problem("cell_too_long", row=row, column=column_letter(j), sheet=sheet,
                   params={"length": length, "max": MAX_CELL_CHARS})


def _csv_grid(text: str, max_rows: int) -> Sheet | Problem:
    text = text.lstrip("\ufeff")
    delim = sniff_delimiter(text)
    # newline="": lines end at CR, LF or CRLF (Excel for Mac's "CSV (Macintosh)" ends them with CR alone), and a
    # line end inside a quoted cell stays in the cell, as the csv module asks
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    grid = []
    start = 1
    truncated = False
    try:
        for cells in paced(reader):
            for j, c in enumerate(cells[:MAX_COLUMNS]):
                if len(c) > MAX_CELL_CHARS:
                    return _too_long(start, j, len(c))
            grid.append((start, [c.lstrip("\ufeff") for c in cells[:MAX_COLUMNS]]))
            start = reader.line_num + 1
            if len(grid) > max_rows + _SLACK_ROWS:
                truncated = _more_rows(reader)
                break
    except csv.Error as exc:  # a field beyond the csv module's own limit (128 KB)
        if "field limit" not in str(exc):
            return Problem("not_a_table", params={"ext": "csv"})
        # the row the field starts on; its column by a plain split of that line (quotes aside)
        line = next(itertools.islice(io.StringIO(text, newline=""), start - 1, None), "")
        cells = line.rstrip("\r\n").split(delim)
        j = next((j for j, c in enumerate(cells) if len(c) > MAX_CELL_CHARS), len(cells) - 1)
        return _too_long(start, j, len(cells[j]) if len(cells[j]) > MAX_CELL_CHARS else 131_073)
    return Sheet(None, grid, delimiter=delim, truncated=truncated)


def _more_rows(reader) -> bool:
    """Whether a CSV reader has another row with something in it (reads at most one more row)."""
    try:
        nxt = next(reader, None)
    except csv.Error:
        return True
    return nxt is not None


def _xlsx_sheets(data: bytes, max_rows: int, head_rows: int = 0,
                 head_refused: Callable[[Sheet], bool] | None = None) -> list[Sheet] | Problem:
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
    longest_string = 0
    for info in zf.infolist():
        if info.filename.lower().endswith("sharedstrings.xml"):
            refused = _check_shared_strings(zf, info)
            if isinstance(refused, Problem):
                return refused
            longest_string = max(longest_string, refused)
    import openpyxl  # imported here: reading CSV does not need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file  # noqa: BLE001
        return Problem("not_a_table")
    out = []
    short_cells: bool | None = None   # no cell of any sheet can be too long: decided once, when first asked
    try:
        for ws in wb.worksheets:
            grid: Grid = []
            pct: set[tuple[int, int]] = set()
            limit = max_rows + _SLACK_ROWS
            hidden = getattr(ws, "sheet_state", "visible") != "visible"
            # the header may be judged on the first rows alone when the rest cannot change the verdict: a sheet
            # within the row limit by its own dimension (so "too many rows" cannot be the answer)
            ask = head_refused is not None and head_rows > 0 and (ws.max_row or 0) <= limit
            complete = True
            rows = paced(ws.iter_rows(min_row=1, max_row=limit, max_col=MAX_COLUMNS))
            for n, row in enumerate(rows, start=1):
                cells = []
                for j, c in enumerate(row):
                    v = getattr(c, "value", None)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in str(
                            getattr(c, "number_format", "") or ""):
                        pct.add((n, j))
                    if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                        return _too_long(n, j, len(v), ws.title)
                    cells.append(v)
                grid.append((n, cells))
                if ask and n == head_rows:
                    ask = False
                    if head_refused(Sheet(ws.title, list(grid), frozenset(pct), hidden=hidden)):
                        if short_cells is None:
                            short_cells = longest_string <= MAX_CELL_CHARS and _cells_short(zf)
                        if short_cells:   # nothing below could be refused first: stop parsing this sheet
                            complete = False
                            break
            while grid and all(is_blank(c) for c in grid[-1][1]):
                grid.pop()
            truncated = len(grid) >= limit and (ws.max_row or 0) > limit
            out.append(Sheet(ws.title, grid, frozenset(pct), hidden=hidden, truncated=truncated, complete=complete))
    except Exception:  # noqa: BLE001
        return Problem("not_a_table")
    finally:
        wb.close()
    return out


_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
#: Bytes of a sheet's part searched for a cell tag at a time (see :func:`_cells_short`): two blocks and the 63
#: bytes after them stay within :data:`MAX_CELL_CHARS`.
_CELL_BLOCK = (MAX_CELL_CHARS - 63) // 2


def _check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Problem | int:
    """Refuse a shared-strings part that unpacks too large or holds too many strings, reading it in chunks;
    else the most bytes one string can take (from its tag to the next one's, or to the part's end).

    The declared size is checked first; the strings are counted while unpacking, so a part that lies about its
    size or packs millions of tiny strings is stopped at the limit, not after openpyxl has loaded it all.
    """
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        return Problem("too_large", params={"size": info.file_size, "limit": MAX_SHARED_STRINGS_BYTES})
    count, size, tail, last, longest = 0, 0, b"", 0, 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(64 * 1024):
                size += len(chunk)
                if size > MAX_SHARED_STRINGS_BYTES:
                    return Problem("too_large", params={"size": size, "limit": MAX_SHARED_STRINGS_BYTES})
                block = tail + chunk
                # the previous block's tail is read again, so that a tag cut by the chunk's end is seen;
                # tags lying wholly inside the tail were counted last time
                starts = [m.start() for m in _SI.finditer(block) if m.end() > len(tail)]
                count += len(starts)
                for at in starts:   # offsets in the part
                    at += size - len(block)
                    longest, last = max(longest, at - last), at
                tail = block[-64:]
                if count > MAX_SHARED_STRINGS:
                    return Problem("too_many_strings", params={"count": count, "max": MAX_SHARED_STRINGS})
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return Problem("not_a_table")
    return max(longest, size - last)


def _cells_short(zf: zipfile.ZipFile) -> bool:
    """Whether no cell of the workbook's sheets (``xl/worksheets/*.xml``) can hold more than
    :data:`MAX_CELL_CHARS` characters; read in chunks, nothing parsed.

    A cell's text lies between its tag and the next cell's (a character takes at least one byte). Each part is
    cut into blocks of :data:`_CELL_BLOCK` bytes: when every block holds the start of a cell tag, no two tags,
    nor the part's start and end, are :data:`MAX_CELL_CHARS` bytes apart. A block without one (a cell of over
    about half the limit, or a part that is not a sheet's) answers False: the sheet is then read whole, as
    before. One search per block, each stopping at the block's first tag.
    """
    try:
        for info in zf.infolist():
            name = info.filename.lower()
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            buf, at = b"", 0
            with zf.open(info) as fh:
                while chunk := fh.read(64 * 1024):
                    buf = buf[at:] + chunk
                    at = 0
                    while len(buf) - at >= _CELL_BLOCK + 64:   # a whole block, and room for a tag cut by its end
                        m = _CELL.search(buf, at, at + _CELL_BLOCK + 64)
                        if m is None or m.start() >= at + _CELL_BLOCK:
                            return False
                        at += _CELL_BLOCK
            # the rest (shorter than a block and 64 bytes) follows a block that held a tag
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return False
    return True


def extension(filename: str) -> str:
    """The lower-case ending of a file name (``"csv"``), or ``""``."""
    name = str(filename or "")
    return name.lower().rpartition(".")[2] if "." in name else ""


def read_sheets(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
                head_rows: int = 0, head_refused: Callable[[Sheet], bool] | None = None) -> list[Sheet] | Problem:
    """The sheets of an office file: one for a CSV, every sheet of a workbook; or the Problem with the file.

    The kind of file is decided by its name's ending (``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xlsm``), as
    Excel does. ``max_bytes`` [bytes] is checked first; about ``max_rows`` rows are read from each sheet.

    ``head_refused``: asked once per workbook sheet with its first ``head_rows`` rows; True means the caller
    refuses the sheet for its header whatever follows. Such a sheet's other rows are not parsed (it comes back
    with ``complete`` False) when they could change nothing the reader says: the sheet is within the row limit
    by its own dimension and no cell of the workbook can be too long. Parsing a sheet's cells is most of the
    cost of a large workbook (openpyxl, in Python); a CSV is read whole (the csv module, in C).
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
        sheet = _csv_grid(text, max_rows)
        return sheet if isinstance(sheet, Problem) else [sheet]
    if ext in WORKBOOK_EXTENSIONS:
        return _xlsx_sheets(bytes(data), max_rows, head_rows, head_refused)
    if ext in OTHER_SPREADSHEETS:
        return Problem("old_excel", params={"ext": ext})
    return Problem("not_a_table", params={"ext": ext})
