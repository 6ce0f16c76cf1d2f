"""A workbook sheet refused for its header is not parsed past its first rows (issue 14's bounded cost: the
upload-under-load benchmark's workbook at the reader's limits), and what the reader says stays what it said
when it read every row: each test compares the short read with the whole one, and the cases where a row below
the header could still change the answer (a cell too long, too many rows) are read whole."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from simulation.io import read_upload, tables
from simulation.io import reader as reader_module
from simulation.io.layouts import HEADER_SEARCH_ROWS
from simulation.io.tables import MAX_CELL_CHARS, MAX_ROWS, read_sheets

BAD = ["Tahun", "Cakupan (%)", "kolom asing"]     # refused: an unknown column


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def edited(data: bytes, changes: dict[str, bytes | dict[bytes, bytes]]) -> bytes:
    """The workbook with parts replaced (bytes) or edited (``{old: new}``): a file as another program writes it
    (openpyxl cuts a text longer than Excel allows when it writes, and writes no shared strings)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = {n: src.read(n) for n in src.namelist()}
    for name, change in changes.items():
        if isinstance(change, dict):
            for old, new in change.items():
                assert old in out[name], (name, old)
                out[name] = out[name].replace(old, new)
        else:
            out[name] = change
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in out.items():
            zf.writestr(name, body)
    return buf.getvalue()


def head_read(data: bytes, kind: str | None = None) -> list[tables.Sheet]:
    """The sheets as read_upload reads them (asked about each sheet's header)."""
    sheets = read_sheets(data, "x.xlsx", head_rows=HEADER_SEARCH_ROWS,
                         head_refused=lambda s: reader_module._refused_at_header(kind, s, "id"))
    assert isinstance(sheets, list), sheets
    return sheets


@pytest.fixture
def whole(monkeypatch):
    """What read_upload says when every row is read (no sheet's header asked about first)."""
    real = tables.read_sheets

    def read(data: bytes, **kw):
        with monkeypatch.context() as m:
            m.setattr(reader_module, "read_sheets", lambda d, n, **_kw: real(d, n))
            return read_upload(data, "x.xlsx", **kw)
    return read


def rows(n: int, start: int = 2000) -> list[list]:
    return [[start + i, 30.5, f"teks {i}"] for i in range(n)]


LIMITS = workbook(("Sheet", [["Tahun", "Cakupan (%)"] + [f"catatan {j}" for j in range(38)]]
                   + [[2000 + i, 30.5] + [f"teks {i}-{j}" for j in range(38)] for i in range(300)]))


@pytest.mark.parametrize("data", [
    LIMITS,
    workbook(("riwayat", [BAD] + rows(200))),
    workbook(("Sheet", [["Judul"], [], ["Sumber: BPS"], BAD] + rows(200))),      # title rows above the header
    workbook(("Sheet", [["Tahun", "Cakupan (%)", "Tahun"]] + rows(200))),         # a column twice
    workbook(("riwayat", [["Tahun", "Sumber"]] + rows(200))),                      # a column missing
    workbook(("riwayat", [BAD] + rows(200)), ("kelompok", [["kode", "nama", "x"]] + rows(100))),
], ids=["limits", "named", "title-rows", "duplicate", "missing", "two-sheets"])
def test_a_sheet_refused_for_its_header_is_read_no_further_and_says_the_same(data, whole):
    sheets = head_read(data)
    assert all(not s.complete and len(s.rows) == HEADER_SEARCH_ROWS for s in sheets)
    up = read_upload(data, "x.xlsx")
    assert not up.ok and up.all_problems
    assert up == whole(data)
    assert read_upload(data, "x.xlsx", kind="history") == whole(data, kind="history")


def test_the_benchmarks_workbook_is_refused_for_each_unknown_column():
    up = read_upload(LIMITS, "x.xlsx")
    assert [(p.code, p.row, p.column) for p in up.all_problems] == [
        ("unknown_column", 1, f"catatan {j}") for j in range(38)]


@pytest.mark.parametrize("data", [
    workbook(("riwayat", [["Tahun", "Cakupan (%)"]] + rows(200))),                  # a good header
    workbook(("riwayat", [BAD] + rows(HEADER_SEARCH_ROWS - 2))),                    # shorter than the head
    workbook(("Sheet", [[]] * HEADER_SEARCH_ROWS + [BAD] + rows(50))),              # header below the head
    workbook(("riwayat", [BAD] + rows(MAX_ROWS + 200))),                             # over the row limit
], ids=["good", "short", "late-header", "too-many-rows"])
def test_other_sheets_are_read_whole(data, whole):
    assert all(s.complete for s in head_read(data))
    assert read_upload(data, "x.xlsx") == whole(data)


def test_over_the_row_limit_a_wrong_header_still_says_too_many_rows():
    data = workbook(("riwayat", [BAD] + rows(MAX_ROWS + 200)))
    assert [p.code for p in read_upload(data, "x.xlsx").all_problems] == ["too_many_rows"]


LONG = "y" * (MAX_CELL_CHARS + 5)
SHEET = "xl/worksheets/sheet1.xml"


def _long_inline() -> bytes:
    data = workbook(("riwayat", [BAD] + rows(40) + [[2100, 31, "LONGCELL"]]))
    return edited(data, {SHEET: {b"LONGCELL": LONG.encode()}})


def _long_rich() -> bytes:
    """The long text in 700 coloured runs of 47 characters: no run is long, the cell is."""
    data = workbook(("riwayat", [BAD] + rows(40) + [[2100, 31, "LONGCELL"]]))
    run = b'<r><rPr><color rgb="FFFF0000"/></rPr><t>' + b"z" * 47 + b"</t></r>"
    return edited(data, {SHEET: {b"<is><t>LONGCELL</t></is>": b"<is>" + run * 700 + b"</is>"}})


def _long_shared() -> bytes:
    """The long text in a shared-strings part, as Excel writes texts."""
    data = workbook(("riwayat", [BAD] + rows(40) + [[2100, 31, "LONGCELL"]]))
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               b"<si><t>" + LONG.encode() + b"</t></si></sst>")
    return edited(data, {
        SHEET: {b't="inlineStr"><is><t>LONGCELL</t></is>': b't="s"><v>0</v>'},
        "xl/sharedStrings.xml": strings,
        "[Content_Types].xml": {b"</Types>": b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                             b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                             b"</Types>"},
        "xl/_rels/workbook.xml.rels": {b"</Relationships>": b'<Relationship Type="http://schemas.openxmlformats.org'
                                                            b'/officeDocument/2006/relationships/sharedStrings" '
                                                            b'Target="sharedStrings.xml" Id="rId9"/></Relationships>'}})


@pytest.mark.parametrize(("make", "length"), [(_long_inline, len(LONG)), (_long_rich, 700 * 47),
                                              (_long_shared, len(LONG))], ids=["inline", "rich", "shared"])
def test_a_cell_too_long_below_a_wrong_header_is_still_named(make, length):
    data = make()
    p = read_upload(data, "x.xlsx").all_problems
    assert [(x.code, x.row, x.column, x.sheet) for x in p] == [("cell_too_long", 42, "C", "riwayat")]
    assert p[0].params == {"length": length, "max": MAX_CELL_CHARS}


@pytest.mark.parametrize(("length", "stops"), [(MAX_CELL_CHARS // 2 - 400, True), (MAX_CELL_CHARS - 400, False),
                                             (MAX_CELL_CHARS, False)])
def test_long_cells_within_the_limit_below_a_wrong_header(whole, length, stops):
    """The check is on bytes between cell tags, block by block: a cell under half the limit lets reading stop,
    a longer one within the limit has the sheet read whole; either way the same refusal of the header."""
    data = workbook(("riwayat", [BAD] + rows(40) + [[2100, 31, "LONGCELL"]] + rows(20, 2200)))
    data = edited(data, {SHEET: {b"<is><t>LONGCELL</t></is>": b"<is><t>" + b"y" * length + b"</t></is>"}})
    assert [s.complete for s in head_read(data)] == [not stops]
    up = read_upload(data, "x.xlsx")
    assert up == whole(data) and [p.code for p in up.all_problems] == ["unknown_column"]


def test_the_header_is_judged_as_the_table_asked_for(whole):
    """A history table's header, asked for as groups (``python -m simulation check --table groups``): refused at
    its header (no group columns), so read no further; as history it is read whole."""
    data = workbook(("Sheet", [["Tahun", "Cakupan (%)"]] + rows(200)))
    assert [s.complete for s in head_read(data, "groups")] == [False]
    assert [s.complete for s in head_read(data, "history")] == [True]
    assert read_upload(data, "x.xlsx", kind="groups") == whole(data, kind="groups")
    assert not read_upload(data, "x.xlsx", kind="groups").ok


def test_paced_gives_every_item_and_lets_other_threads_run_between_them(monkeypatch):
    calls: list[int] = []
    items = iter(range(5))
    monkeypatch.setattr(tables, "_yield", lambda: calls.append(len(calls)))
    assert list(tables.paced(items, every=0)) == [0, 1, 2, 3, 4]
    assert len(calls) == 5
    assert list(tables.paced(range(5), every=3600)) == [0, 1, 2, 3, 4] and len(calls) == 5


@pytest.mark.parametrize(("name", "data", "rows_read"), [
    ("x.xlsx", workbook(("riwayat", [["Tahun", "Cakupan (%)"]] + rows(50))), 51),
    ("x.csv", ("Tahun;Cakupan (%)\n" + "".join(f"{2000 + i};30,5\n" for i in range(50))).encode(), 51),
], ids=["xlsx", "csv"])
def test_reading_a_file_lets_other_threads_run_row_by_row(monkeypatch, name, data, rows_read):
    """With no time between turns, the reader hands over the interpreter after each row it reads, and after each
    row of the table it checks (the server's other sessions are not made to wait behind an upload)."""
    calls: list[int] = []
    monkeypatch.setattr(tables, "PACE", 0)
    monkeypatch.setattr(tables, "_yield", lambda: calls.append(1))
    sheets = read_sheets(data, name)
    assert len(calls) == rows_read == len(sheets[0].rows)
    calls.clear()
    up = read_upload(data, name)
    assert up.ok
    assert len(calls) >= rows_read + 3 * (rows_read - 1)   # read, then the table's rows three times


def _sheet_part(body: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", body)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_a_cell_over_the_limit_is_never_missed_wherever_it_falls_in_the_blocks():
    """Whatever the bytes before it, a text one character over the limit between two cell tags means "may be
    too long"; short cells alone mean "cannot be"."""
    cells = b'<c r="A1"><v>1</v></c>' * 4000
    for offset in range(0, MAX_CELL_CHARS // 2 + 64, 97):
        before = cells[:offset]
        long = before + b'<c r="B1" t="inlineStr"><is><t>' + b"y" * (MAX_CELL_CHARS + 1) + b"</t></is></c>" + cells
        assert not tables._cells_short(_sheet_part(long)), offset
        assert tables._cells_short(_sheet_part(before + cells))
