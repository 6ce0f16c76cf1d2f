"""simulation/io by hand: for each file a user uploads or types, the exact values read; for each refusal, the exact
code and params (row, column, field, value, limits) the page turns into the sentence the user reads.

tests/test_io.py checks one meaning at every door and that the hostile files are refused; tests/test_uploads.py the
corpus's outcomes. This file pins each module's behaviour case by case (issue 16: mutation score of simulation/io),
with files built here: CSV in the separators and encodings Excel writes, XLSX through openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from dataclasses import replace

import numpy as np
import openpyxl
import pytest

from simulation.data import load_region
from simulation.errors import ValidationError
from simulation.io import (
    USER_SOURCE,
    apply_tables,
    changes,
    column_header,
    columns,
    history_series,
    parse_number,
    plain_text,
    problem_error,
    read_records,
    read_sheets,
    read_upload,
    region_rows,
    template_csv,
    template_xlsx,
)
from simulation.io.layouts import best_kind, find_header, match_header, norm, required_missing, sheet_kind
from simulation.io.numbers import is_blank, reading_lang
from simulation.io.results import Change, Problem, Table, Upload
from simulation.io.safe import hidden_chars, neutralise, unneutralise, visible
from simulation.io.tables import (
    MAX_CELL_CHARS,
    MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNZIPPED_BYTES,
    column_letter,
    decode,
    extension,
    sniff_delimiter,
)

REGION = load_region("pontianak")
TODAY = dt.date(2026, 12, 4)


def up(text: str, name: str = "x.csv", **kw) -> Upload:
    """A CSV typed here, read by the Data page's door (UTF-8)."""
    return read_upload(text.encode("utf-8"), name, **kw)


def probs(u: Upload | Table) -> list[tuple]:
    """Every problem as (code, row, column, key, sheet, params)."""
    found = u.all_problems if isinstance(u, Upload) else u.problems
    return [(p.code, p.row, p.column, p.key, p.sheet, p.params) for p in found]


def first(u: Upload) -> tuple:
    p = u.all_problems[0]
    return p.code, p.row, p.column, p.params


def xlsx(*sheets: tuple[str, list[list]], hidden: tuple[str, ...] = (), formats: dict | None = None) -> bytes:
    """A workbook: (title, rows) per sheet; ``formats``: (sheet, cell) -> number format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    for (title, ref), fmt in (formats or {}).items():
        wb[title][ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ============================================================================ numbers.py
@pytest.mark.parametrize(("lang", "code"), [(None, "id"), ("id", "id"), ("EN", "en"), (" en-GB ", "en"),
                                            ("id_ID", "id"), ("en_US", "en")])
def test_reading_lang_accepts_id_and_en_in_every_spelling(lang, code):
    assert reading_lang(lang) == code


@pytest.mark.parametrize("lang", ["fr", "", "idn", 5])
def test_reading_lang_refuses_other_languages_naming_the_two(lang):
    with pytest.raises(ValueError) as exc:
        reading_lang(lang)
    assert str(exc.value) == f"unsupported language {lang!r}; expected one of id, en"


@pytest.mark.parametrize(("value", "blank"), [(None, True), (float("nan"), True), ("", True), (" \u00a0\u200b\ufeff\t", True),
                                              (0.0, False), (0, False), ("0", False), ("a", False), (" x ", False),
                                              (False, False)])
def test_is_blank_is_an_empty_cell_only(value, blank):
    assert is_blank(value) is blank


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("16.800", "id", 16800.0), ("16.800", "en", 16.8), ("16,800", "id", 16.8), ("16,800", "en", 16800.0),
    ("16.80", "id", 16.8), ("16,8000", "id", 16.8), ("1234.567", "id", 1234.567), ("0.500", "id", 0.5),
    (".500", "id", 0.5), (",500", "en", 0.5), ("1.234.567", "en", 1234567.0), ("1,234,567", "id", 1234567.0),
    ("500,-", "id", 500.0), ("1,500,-", "id", 1500.0), ("1.500.000,-", "id", 1500000.0), ("1.500,-", "en", 1500.0), ("1,500.-", "id", 1500.0), ("Rp1.500.000,-", "en", 1500000.0),
    ("(5)", "id", -5.0), ("(1,5e3)", "id", -1500.0), ("(Rp 1.000)", "id", -1000.0), ("IDR 2.500", "id", 2500.0),
    ("+Rp 7", "id", 7.0), ("Rp +7", "id", 7.0), ("Rp. -7", "id", -7.0), ("-5 %", "id", -5.0), ("007", "id", 7.0),
    ("1 234 567", "en", 1234567.0), ("1,5E-2", "id", 0.015), ("-2.5e+3", "en", -2500.0), ("1E3", "id", 1000.0),
])
def test_parse_number_by_hand(text, lang, expected):
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize("text", ["0", "-0", "(0)", "(0e0)", "-0,0", "Rp -0", "(0,-)"])
def test_zero_is_never_negative_zero(text):
    value = parse_number(text)
    assert value == 0 and math.copysign(1.0, value) == 1.0


@pytest.mark.parametrize(("text", "reason"), [
    ("12,34,567", "',' looks like a thousands separator, but the digits are not in groups of three"),
    ("1.2.3", "'.' looks like a thousands separator, but the digits are not in groups of three"),
    ("1234.567.890", "'.' looks like a thousands separator, but the digits are not in groups of three"),
    ("1234,567,-", "',' looks like a thousands separator, but the digits are not in groups of three"),
    ("12.34,-", "'.' looks like a thousands separator, but the digits are not in groups of three"),
    ("5.", "it ends with a separator"),
    ("5,", "it ends with a separator"),
    ("1.234,5.6", "'.' and ',' are mixed up (the decimal separator '.' appears more than once)"),
    ("1,234.5,6", "'.' and ',' are mixed up (the decimal separator ',' appears more than once)"),
    ("1.234,5,-", "',-' after a number that already has decimals"),
    ("1,234.5.-", "'.-' after a number that already has decimals"),
    ("(-5)", "more than one sign"),
    ("-Rp-5", "more than one sign"),
    ("(Rp -5)", "more than one sign"),
    ("+-5", "more than one sign"),
    ("Rp 5 %", "it has both 'Rp' and '%'"),
    ("empat", "expected digits with optional '.' or ',' separators, 'Rp' or '%'"),
    ("()", "expected digits with optional '.' or ',' separators, 'Rp' or '%'"),
    ("1e999", "not a finite number"),
    ("(1e999)", "not a finite number"),
])
def test_parse_number_says_why_in_the_cli_message(text, reason):
    """``python -m simulation goal-seek --target`` prints this message: the text as written and the reason."""
    with pytest.raises(ValueError) as exc:
        parse_number(f"  {text} ")
    assert str(exc.value) == f"cannot read {text!r} as a number: {reason}"


@pytest.mark.parametrize(("value", "message"), [
    (True, "cannot read True as a number"), (False, "cannot read False as a number"),
    (float("inf"), "cannot read inf as a number: not a finite number"),
    (float("-inf"), "cannot read -inf as a number: not a finite number"),
    (None, "cannot read an empty value as a number"), ([1], "cannot read a list as a number"),
    (b"1", "cannot read a bytes as a number"), ("", "cannot read an empty text as a number"),
    (" \u00a0\u200b", "cannot read an empty text as a number"),
])
def test_parse_number_refuses_what_is_not_one_number(value, message):
    with pytest.raises(ValueError) as exc:
        parse_number(value)
    assert str(exc.value) == message


def test_parse_number_takes_numbers_as_they_are():
    assert parse_number(np.int64(7)) == 7.0 and isinstance(parse_number(np.int64(7)), float)
    assert parse_number(np.float32(0.5)) == 0.5
    assert parse_number(3) == 3.0 and isinstance(parse_number(3), float)
    with pytest.raises(ValueError, match="unsupported language"):
        parse_number(3, "fr")        # the language is checked whatever the value


@pytest.mark.parametrize(("x", "lang", "decimals", "text"), [
    (1234.5, "id", None, "1234,5"), (1234.5, "en", None, "1234.5"), (1234.5, None, None, "1234,5"),
    (2.0, "id", None, "2"), (-3.0, "en", None, "-3"), (0.1 + 0.2, "en", None, "0.3"), (-0.5, "id", None, "-0,5"),
    (12.5, "id", 2, "12,50"), (12.5, "en", 0, "12"), (40.0, "en", 2, "40.00"), (1e-11, "en", None, "0"),
    (1234567.0, "id", None, "1234567"),
])
def test_plain_text_writes_no_thousands_separator(x, lang, decimals, text):
    assert plain_text(x, lang, decimals) == text


# ============================================================================ safe.py
def test_unneutralise_takes_off_only_the_quote_neutralise_put():
    assert unneutralise("'=1") == "=1"
    assert unneutralise("'  =1") == "  =1"
    assert unneutralise("'\u3000-1") == "\u3000-1"
    assert unneutralise("''=1") == "''=1"
    assert unneutralise("'a") == "'a"
    assert unneutralise("=1") == "=1"
    assert neutralise(" \u3000@x") == "' \u3000@x"
    assert neutralise("\n=1") == "'\n=1"
    assert neutralise("x=1") == "x=1"
    assert neutralise("\tabc") == "'\tabc" and neutralise("\r\nabc") == "'\r\nabc"     # a tab or line end leads


def test_hidden_chars_and_visible_show_what_cannot_be_seen():
    assert hidden_chars("a\tb\u200bc\r\n") == ["\t", "\u200b", "\r", "\n"]
    assert hidden_chars(5) == []
    assert visible("a\u200bb\x07") == "a<U+200B>b<U+0007>"
    assert visible("x" * 50) == "x" * 40
    assert visible("abc", 2) == "ab"
    assert visible(123) == "123"
    assert visible("\U000e0001") == "<U+E0001>"


# ============================================================================ tables.py: decoding and separators
def test_decode_reads_each_encoding_excel_writes():
    assert decode("Tahun;Café".encode()) == "Tahun;Café"
    assert decode("\ufeffTahun".encode("utf-8")) == "Tahun"
    assert decode("Tahun;Café".encode("cp1252")) == "Tahun;Café"
    assert decode(b"\xff\xfe" + "Tahun;Café".encode("utf-16-le")) == "Tahun;Café"
    assert decode(b"\xfe\xff" + "Tahun;Café".encode("utf-16-be")) == "Tahun;Café"
    assert decode(b"a" * 99 + b"\x81") == "a" * 99 + "\x81"     # not UTF-8 nor cp1252: Latin-1 (1 control in 100)
    assert decode(b"a\x81b") is None                              # 1 control in 3: not text
    assert decode(b"\xff\xfe\x00\xd8") is None      # UTF-16 with a lone surrogate


@pytest.mark.parametrize("magic", [b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF", b"\xd0\xcf\x11\xe0",
                                   b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BM", b"Rar!", b"7z\xbc\xaf"])
def test_decode_refuses_files_that_are_not_text(magic):
    assert decode(magic + b"Tahun;Cakupan\r\n2024;40\r\n") is None
    assert decode(b"Tahun;Cakupan\r\n" * 20 + magic) is not None     # only at the start


def test_decode_refuses_a_nul_in_the_first_4096_bytes_only():
    assert decode(b"Tahun;x" + b"\x00" + b"a" * 100) is None
    assert decode(b"a" * 4096 + b"\x00") is not None
    assert decode(b"a" * 4095 + b"\x00") is None


def test_decode_allows_up_to_two_percent_control_characters():
    body = "a" * 98
    assert decode((body + "\x01\x02").encode()) == body + "\x01\x02"        # 2 in 100: text
    assert decode((body[:-1] + "\x01\x02\x03").encode()) is None            # 3 in 100: not text
    assert decode(("\t\r\n" * 50).encode() + b"x") is not None            # tabs and line ends are no controls
    assert decode(b"x" * 5000 + b"\x01" * 200) is not None                 # only the first 4096 characters count


@pytest.mark.parametrize(("text", "delim"), [
    ("a;b\n1;2", ";"), ("a,b\n1,2", ","), ("a\tb\n1\t2", "\t"), ("a|b\n1|2", "|"), ("a\nb", ";"),
    ("a;b\nc,d", ";"), ("a,b\nc;d", ";"), ("a|b\nc,d", ","), ("a|b\nc\td", "\t"), ("a,b,c\nd,e\nf,g\nh;i", ","),
    ("x;y\n\n   \n1,2,3\n4;5", ";"),
    ('"a;b",c\n"1;2",3', ","),
    ('a;b;c\n"x;y";1,5;2\n"x;y";1,5;2\n1,5;2;3', ";"),      # a quoted cell at a line's start holds a ';'
])
def test_sniff_delimiter_picks_the_separator_most_lines_agree_on(text, delim):
    assert sniff_delimiter(text) == delim


def test_sniff_delimiter_reads_the_first_twenty_lines_only():
    text = "\n".join(["a;b"] * 10 + ["a,b"] * 40)        # 10 against 10 in the first 20 lines: the first wins
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("\n".join(["a;b"] * 10 + ["a,b"] * 11)) == ";"
    assert sniff_delimiter("\n".join(["a;b"] * 9 + ["a,b"] * 11)) == ","


@pytest.mark.parametrize(("j", "name"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"),
                                         (52, "BA"), (701, "ZZ"), (702, "AAA")])
def test_column_letter_is_excels_name(j, name):
    assert column_letter(j) == name


@pytest.mark.parametrize(("name", "ext"), [("a.CSV", "csv"), ("a.b.xlsx", "xlsx"), ("noext", ""), ("", ""),
                                           (None, ""), ("dir.v2/file", "v2/file")])
def test_extension_is_the_lower_case_ending(name, ext):
    assert extension(name) == ext


def test_read_sheets_refusals_carry_code_and_params():
    assert read_sheets("a;b", "x.csv") == Problem("not_a_table")
    assert read_sheets("a;b", "x.csv").params == {}
    big = read_sheets(b"a;b\n" * 10, "x.csv", max_bytes=39)
    assert (big.code, big.params) == ("too_large", {"size": 40, "limit": 39})
    [sheet] = read_sheets(bytearray(b"a;b\n" * 10), "x.csv", max_bytes=40)      # exactly the limit: read
    assert sheet.rows[0] == (1, ["a", "b"])
    assert read_sheets(b" \r\n\t ", "x.csv").code == "empty_file"
    for name, code, ext in (("x.pdf", "not_a_table", "pdf"), ("noext", "not_a_table", ""), ("x.XLS", "old_excel", "xls"),
                            ("x.numbers", "old_excel", "numbers"), ("x.xlsb", "old_excel", "xlsb")):
        p = read_sheets(b"a;b\n1;2\n", name)
        assert (p.code, p.params) == (code, {"ext": ext})
    p = read_sheets(b"\x89PNG....", "x.txt")
    assert (p.code, p.params) == ("not_a_table", {"ext": "txt"})


@pytest.mark.parametrize("name", ["x.csv", "x.txt", "x.tsv", "X.TSV"])
def test_text_tables_are_read_by_any_text_ending(name):
    [sheet] = read_sheets(b"Tahun\tCakupan\r\n2024\t40,86\r\n", name)
    assert sheet.rows == [(1, ["Tahun", "Cakupan"]), (2, ["2024", "40,86"])]
    assert (sheet.title, sheet.delimiter, sheet.hidden, sheet.truncated) == (None, "\t", False, False)
    assert sheet.percent_cells == frozenset()


def test_csv_cells_lose_byte_order_marks_and_columns_past_40():
    text = "\ufeff\ufeffTahun;\ufeffCakupan\r\n" + ";".join(str(i) for i in range(45)) + "\r\n"
    [sheet] = read_sheets(text.encode("utf-8"), "x.csv")
    assert sheet.rows[0] == (1, ["Tahun", "Cakupan"])
    assert sheet.rows[1][1] == [str(i) for i in range(40)]


def test_csv_cell_longer_than_excel_allows_names_row_and_column():
    ok = b"tahun;sumber\n2024;" + b"x" * MAX_CELL_CHARS + b"\n"
    [sheet] = read_sheets(ok, "x.csv")
    assert len(sheet.rows[1][1][1]) == MAX_CELL_CHARS
    p = read_sheets(b"tahun;sumber\n\n2024;" + b"x" * (MAX_CELL_CHARS + 1) + b"\n", "x.csv")
    assert (p.code, p.row, p.column, p.params) == ("cell_too_long", 3, "B", {"length": 32768, "max": 32767})


def test_csv_field_over_the_csv_module_limit_inside_quotes_names_its_row():
    """A quoted field with separators inside it, beyond 128 KB: its row, the last column of a plain split."""
    data = b"tahun;sumber\n2024;\"" + b"ab;" * 50_000 + b"\"\n"
    p = read_sheets(data, "x.csv")
    assert (p.code, p.row) == ("cell_too_long", 2)
    assert p.params == {"length": 131_073, "max": MAX_CELL_CHARS}
    assert p.column == column_letter(50_001)


def test_csv_field_over_the_csv_module_limit_beside_a_cell_of_the_largest_size():
    data = b"tahun;sumber;catatan\n2024;" + b"x" * MAX_CELL_CHARS + b";" + b"y" * 140_000 + b"\n"
    p = read_sheets(data, "x.csv")
    assert (p.code, p.row, p.column, p.params) == ("cell_too_long", 2, "C", {"length": 140_000, "max": MAX_CELL_CHARS})


def test_csv_rows_are_read_to_the_limit_plus_slack_then_stop():
    head = "tahun;cakupan\n"
    [sheet] = read_sheets((head + "2024;40\n" * 69).encode(), "x.csv", max_rows=5)     # 70 rows: all read
    assert (len(sheet.rows), sheet.truncated) == (70, False)
    [sheet] = read_sheets((head + "2024;40\n" * 70).encode(), "x.csv", max_rows=5)     # 71: all, nothing after
    assert (len(sheet.rows), sheet.truncated) == (71, False)
    [sheet] = read_sheets((head + "2024;40\n" * 71).encode(), "x.csv", max_rows=5)     # 72: stopped, truncated
    assert (len(sheet.rows), sheet.truncated) == (71, True)
    assert sheet.rows[-1] == (71, ["2024", "40"])


# ============================================================================ tables.py: workbooks
def test_xlsx_sheets_as_excel_shows_them():
    data = xlsx(("riwayat", [["Tahun", "Cakupan (%)"], [2023, 0.3835], [2024, "40,86"], [None, None]]),
                ("lama", [["Tahun", "Cakupan (%)"], [2021, 35.1], [2022, 36.5]]), hidden=("lama",),
                formats={("riwayat", "B2"): "0.00%", ("riwayat", "A2"): "0", ("lama", "B2"): "0.0"})
    sheets = read_sheets(data, "x.xlsx")
    assert [(s.title, s.hidden, s.truncated, s.delimiter) for s in sheets] == [("riwayat", False, False, None),
                                                                               ("lama", True, False, None)]
    assert [(n, row[:2]) for n, row in sheets[0].rows] == [(1, ["Tahun", "Cakupan (%)"]), (2, [2023, 0.3835]),
                                                             (3, [2024, "40,86"])]     # the blank row 4 dropped
    assert sheets[0].percent_cells == frozenset({(2, 1)})
    assert sheets[1].percent_cells == frozenset()
    u = read_upload(data, "x.xlsx")
    assert [(r["year"], r["coverage_pct"]) for r in u.table("history").rows] == [(2023, 38.35), (2024, 40.86)]
    [w] = u.warnings
    assert (w.code, w.sheet, w.params) == ("hidden_sheet_ignored", "riwayat",
                                           {"table": "history", "sheet": "riwayat", "hidden": "«lama»"})


def test_xlsx_percent_format_counts_numbers_only():
    data = xlsx(("s", [["Tahun", "Cakupan (%)", "Sumber"], [2023, True, "38%"], [2024, 40, 7]]),
                formats={("s", "B2"): "0%", ("s", "C2"): "0%", ("s", "B3"): "0%", ("s", "C3"): "General"})
    [sheet] = read_sheets(data, "x.xlsx")
    assert sheet.percent_cells == frozenset({(3, 1)})


def test_xlsx_reads_forty_columns_and_stops_past_the_row_limit():
    data = xlsx(("s", [list(range(45))] + [[2024, 40]] * 69))
    [sheet] = read_sheets(data, "x.xlsx", max_rows=5)
    assert sheet.rows[0][1] == list(range(40))
    assert (len(sheet.rows), sheet.truncated) == (70, False)
    [sheet] = read_sheets(xlsx(("s", [[2024, 40]] * 71)), "x.xlsx", max_rows=5)
    assert (len(sheet.rows), sheet.truncated, sheet.rows[-1][0]) == (70, True, 70)


def test_xlsx_cell_longer_than_excel_allows_names_sheet_row_and_column():
    """openpyxl cuts a long text when it writes: the file is edited as a program other than Excel could write it."""
    data = xlsx(("riwayat", [["Tahun", "Cakupan (%)", "Sumber"], [2023, 38, "OKCELL"], [2024, 40, "LONGCELL"]]))
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b"OKCELL", b"x" * MAX_CELL_CHARS)
    ok = _zip({**parts, "xl/worksheets/sheet1.xml": sheet})
    assert len(read_sheets(ok, "x.xlsx")[0].rows[1][1][2]) == MAX_CELL_CHARS
    p = read_sheets(_zip({**parts, "xl/worksheets/sheet1.xml": sheet.replace(b"LONGCELL", b"y" * 32772)}), "x.xlsx")
    assert (p.code, p.row, p.column, p.sheet, p.params) == ("cell_too_long", 3, "C", "riwayat",
                                                            {"length": 32772, "max": 32767})


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _with_shared_strings(body: bytes) -> bytes:
    """A real workbook whose shared-strings part is replaced by ``body``."""
    src = zipfile.ZipFile(io.BytesIO(xlsx(("s", [["Tahun", "Cakupan"], [2024, 40]]))))
    parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/sharedStrings.xml"] = body
    return _zip(parts)


def _strings(n: int, prefix: str = "") -> bytes:
    tag = f"<{prefix}si><{prefix}t>Tahun</{prefix}t></{prefix}si>".encode()
    ns = b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if prefix else b""
    root = b"x:sst" if prefix else b"sst"
    return (b'<?xml version="1.0"?><' + root + b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            + ns + b">" + tag * n + b"</" + root + b">")


def test_shared_strings_are_counted_exactly_to_the_limit():
    assert isinstance(read_sheets(_with_shared_strings(_strings(MAX_SHARED_STRINGS)), "x.xlsx"), list)
    p = read_sheets(_with_shared_strings(_strings(MAX_SHARED_STRINGS + 1)), "x.xlsx")
    assert (p.code, p.params) == ("too_many_strings", {"count": MAX_SHARED_STRINGS + 1, "max": MAX_SHARED_STRINGS})
    p = read_sheets(_with_shared_strings(_strings(MAX_SHARED_STRINGS + 1, "x:")), "x.xlsx")
    assert p.code == "too_many_strings"


def test_shared_strings_part_too_large_is_refused_with_its_size():
    body = _strings(1)[:-6] + b" " * MAX_SHARED_STRINGS_BYTES + b"</sst>"
    p = read_sheets(_with_shared_strings(body), "x.xlsx")
    assert (p.code, p.params) == ("too_large", {"size": len(body), "limit": MAX_SHARED_STRINGS_BYTES})


def test_a_zip_that_unpacks_beyond_the_limit_is_refused_with_its_size():
    parts = {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/big.bin": b"\0" * (MAX_UNZIPPED_BYTES - 7)}
    p = read_sheets(_zip(parts), "x.xlsx")
    assert (p.code, p.params) == ("too_large", {"size": MAX_UNZIPPED_BYTES + 1, "limit": MAX_UNZIPPED_BYTES})
    parts["xl/big.bin"] = b"\0" * (MAX_UNZIPPED_BYTES - 8)       # exactly the limit: on to openpyxl (not a workbook)
    p = read_sheets(_zip(parts), "x.xlsx")
    assert (p.code, p.params) == ("not_a_table", {})


@pytest.mark.parametrize("parts", [{"xl/workbook.xml": b"<x/>"}, {"[Content_Types].xml": b"<x/>"},
                                   {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"garbage"}])
def test_a_zip_that_is_not_a_workbook_is_not_a_table(parts):
    p = read_sheets(_zip(parts), "x.xlsm")
    assert (p.code, p.row, p.params) == ("not_a_table", None, {})


# ============================================================================ cells.py, through the editors' door
def rec(kind: str, rows: list[dict], **kw) -> Table:
    return read_records(kind, rows, **kw)


@pytest.mark.parametrize(("raw", "code", "value"), [
    (True, "wrong_type", "True"), (dt.date(2024, 1, 2), "wrong_type", "2024-01-02"),
    (dt.datetime(2024, 1, 2, 3, 4), "wrong_type", "2024-01-02T03:04:00"), (dt.time(7, 30), "wrong_type", "07:30:00"),
    (dt.timedelta(days=1), "wrong_type", "1 day, 0:00:00"), ([1], "wrong_type", "[1]"),
    (float("inf"), "expected_number", "inf"), ("empat  ", "expected_number", "empat"),
    ("x" * 60, "expected_number", "x" * 40),
])
def test_a_number_cell_that_is_not_a_number_names_the_value(raw, code, value):
    t = rec("apbd", [{"year": 2025, "apbd_idr": raw}])
    assert probs(t) == [(code, 1, "APBD (Rp/tahun)", "apbd_idr", None, {"value": value})]


@pytest.mark.parametrize(("raw", "year"), [("2024", 2024), (2024.0, 2024), ("1990", 1990), ("2100", 2100),
                                           (" 2.024 ", 2024)])
def test_years_are_read_whole_between_1990_and_2100(raw, year):
    t = rec("apbd", [{"year": raw, "apbd_idr": "2e12"}])
    assert t.ok and t.rows[0]["year"] == year and isinstance(t.rows[0]["year"], int)


@pytest.mark.parametrize(("raw", "value"), [("1989", "1989"), ("2101", "2101"), ("2024,5", "2024,5"), ("dua", "dua"),
                                            (True, "True"), (dt.date(2024, 1, 1), "2024-01-01")])
def test_a_wrong_year_is_expected_year_with_the_value(raw, value):
    t = rec("apbd", [{"year": raw, "apbd_idr": "2e12"}], lang="en")
    assert probs(t) == [("expected_year", 1, "Year", "year", None, {"value": value})]


@pytest.mark.parametrize(("raw", "date"), [
    ("2024-03-05", dt.date(2024, 3, 5)), ("2024-3-5 10:00", dt.date(2024, 3, 5)), ("2024-03-05T00:00", dt.date(2024, 3, 5)),
    ("5/3/2024", dt.date(2024, 3, 5)), ("05.03.2024", dt.date(2024, 3, 5)), ("5-3-2024", dt.date(2024, 3, 5)),
    ("5 Maret 2024", dt.date(2024, 3, 5)), ("5 mar. 2024", dt.date(2024, 3, 5)), ("1 Pebruari 2024", dt.date(2024, 2, 1)),
    ("17 Agustus 2024", dt.date(2024, 8, 17)), ("1 Nop 2024", dt.date(2024, 11, 1)), ("31 Des 2024", dt.date(2024, 12, 31)),
    ("2 January 2024", dt.date(2024, 1, 2)), ("9 Mei 2024", dt.date(2024, 5, 9)), ("9 Okt 2024", dt.date(2024, 10, 9)),
    ("9 Sept 2024", dt.date(2024, 9, 9)), ("9 Juli 2024", dt.date(2024, 7, 9)), ("9 Jun 2024", dt.date(2024, 6, 9)),
    ("9 April 2024", dt.date(2024, 4, 9)),
    (dt.datetime(2024, 3, 5, 12), dt.date(2024, 3, 5)), (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
])
def test_source_dates_in_every_way_offices_write_them(raw, date):
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source_date": raw}])
    assert t.ok and t.rows[0]["source_date"] == date and type(t.rows[0]["source_date"]) is dt.date


@pytest.mark.parametrize(("raw", "value"), [("31/02/2024", "31/02/2024"), ("2024-13-01", "2024-13-01"),
                                            ("5 Foo 2024", "5 Foo 2024"), ("Maret 2024", "Maret 2024"),
                                            (45000, "45000"), ("5/3/24", "5/3/24")])
def test_a_wrong_date_is_bad_date_with_the_value(raw, value):
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source_date": raw}])
    assert probs(t) == [("bad_date", 1, "Tanggal sumber", "source_date", None, {"value": value})]


@pytest.mark.parametrize(("raw", "letter"), [
    ("H", "H"), ("m", "M"), (" l ", "L"), ("A", "A"), ("H (regulasi)", "H"), ("L.", "L"), ("Tinggi", "H"),
    ("high", "H"), ("Regulasi", "H"), ("sedang", "M"), ("Medium", "M"), ("rendah", "L"), ("low", "L"),
    ("lemah - data lama", "L"), ("asumsi", "A"), ("Assumption", "A"),
])
def test_certainty_letters_and_words(raw, letter):
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "certainty": raw}])
    assert t.ok and t.rows[0]["certainty"] == letter


@pytest.mark.parametrize("raw", ["Ha", "x", "sangat tinggi", "5"])
def test_a_wrong_certainty_names_the_letters_allowed(raw):
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "certainty": raw}], lang="en")
    assert probs(t) == [("bad_certainty", 1, "Certainty", "certainty", None, {"value": raw, "allowed": "H, M, L, A"})]


def test_text_cells_lose_controls_and_are_cut_at_their_limit():
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source": " '=BPS\x07 2024 "}])
    assert t.rows[0]["source"] == "=BPS 2024"
    ok = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source": "s" * 500}])
    assert ok.ok and ok.rows[0]["source"] == "s" * 500
    long = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source": "s" * 501}])
    assert probs(long) == [("text_too_long", 1, "Sumber", "source", None, {"value": "s" * 40, "max": 500})]
    g = up("kode;kelompok;anggota\n" + "a" * 40 + ";;5\n" + "b" * 41 + ";;5\n;" + "n" * 81 + ";5\n;" + "m" * 80
           + ";5\n").tables[0]
    assert probs(g) == [("text_too_long", 3, "kode", "id", None, {"value": "b" * 40, "max": 40}),
                        ("text_too_long", 4, "kelompok", "name", None, {"value": "n" * 40, "max": 80})]
    assert (g.rows[0]["id"], g.rows[3]["id"], g.rows[3]["name"]) == ("a" * 40, "m" * 40, "m" * 80)


def test_a_number_written_into_a_text_cell_is_its_text():
    t = rec("apbd", [{"year": 2025, "apbd_idr": "2e12", "source": 2024}])
    assert t.rows[0]["source"] == "2024"


def test_invisible_characters_in_an_id_are_named_once_each():
    t = rec("groups", [{"id": "rt\u200b_\u200bheads\u202e", "members": 5}])
    assert probs(t) == [("invisible_char", 1, "Kode", "id", None,
                         {"value": "rt<U+200B>_<U+200B>heads<U+202E>", "chars": "<U+200B> <U+202E>"})]
    assert rec("groups", [{"id": " rt_heads\t", "members": 5}], region=REGION).rows[0]["id"] == "rt_heads"


# ============================================================================ cells.check_range, through the tables
GROUP = {"already_covered_pct": "10", "take_up_pct": "90", "dropout_pct": "5"}


@pytest.mark.parametrize(("kind", "row", "lang", "expected"), [
    ("workers", {"year": 2024, "potential_workers": "1,5"}, "id", ("not_whole_number", "potential_workers",
                                                                    {"value": "1,5"})),
    ("workers", {"year": 2024, "potential_workers": "1.5"}, "en", ("not_whole_number", "potential_workers",
                                                                    {"value": "1.5"})),
    ("workers", {"year": 2024, "potential_workers": "-5"}, "id", ("negative", "potential_workers", {"value": "-5"})),
    ("workers", {"year": 2024, "potential_workers": "0"}, "id", ("out_of_range", "potential_workers",
                                                                  {"value": "0", "min": 1, "max": 100_000_000})),
    ("workers", {"year": 2024, "potential_workers": "100000001"}, "id",
     ("out_of_range", "potential_workers", {"value": "100000001", "min": 1, "max": 100_000_000})),
    ("min_wage", {"year": 2024, "min_wage_idr": "99.999,5"}, "id",
     ("out_of_range", "min_wage_idr", {"value": "99999,5", "min": 100_000, "max": 100_000_000})),
    ("apbd", {"year": 2024, "apbd_idr": "-1"}, "en", ("negative", "apbd_idr", {"value": "-1"})),
    ("history", {"year": 2024, "coverage_pct": "0"}, "id", ("out_of_range", "coverage_pct",
                                                           {"value": "0", "min": 0, "max": 100})),
    ("history", {"year": 2024, "coverage_pct": "100"}, "id", ("out_of_range", "coverage_pct",
                                                             {"value": "100", "min": 0, "max": 100})),
    ("history", {"year": 2024, "coverage_pct": "100,5"}, "id", ("over_100", "coverage_pct", {"value": "100,5"})),
    ("history", {"year": 2024, "coverage_pct": "-0,5"}, "id", ("negative", "coverage_pct", {"value": "-0,5"})),
    ("groups", {"id": "rt_heads", "members": "10.000.001"}, "id",
     ("out_of_range", "members", {"value": "10000001", "min": 0, "max": 10_000_000})),
    ("groups", {"id": "rt_heads", "members": "5", "take_up_pct": "101"}, "id", ("over_100", "take_up_pct",
                                                                              {"value": "101"})),
    ("parameters", {"id": "worker_growth_pct", "value": "-25"}, "id",
     ("out_of_range", "value", {"value": "-25", "min": -20.0, "max": 20.0})),
    ("parameters", {"id": "worker_growth_pct", "value": "20,5"}, "id",
     ("out_of_range", "value", {"value": "20,5", "min": -20.0, "max": 20.0})),
    ("parameters", {"id": "formal_share_pct", "value": "-1"}, "id", ("negative", "value", {"value": "-1"})),
    ("parameters", {"id": "apbd_growth_pct", "value": "51"}, "id",
     ("out_of_range", "value", {"value": "51", "min": -50.0, "max": 50.0})),
    ("parameters", {"id": "formal_share_pct", "value": "101"}, "id",
     ("out_of_range", "value", {"value": "101", "min": 0.0, "max": 100.0})),
])
def test_a_number_out_of_its_range_names_value_and_bounds(kind, row, lang, expected):
    t = rec(kind, [{**GROUP, **row} if kind == "groups" else row, {}], region=REGION, lang=lang)
    code, key, params = expected
    assert [(p.code, p.row, p.key, p.column, p.params) for p in t.problems] == [
        (code, 1, key, column_header(kind, key, lang), params)]


@pytest.mark.parametrize(("kind", "row", "key", "value"), [
    ("workers", {"year": 2024, "potential_workers": "1"}, "potential_workers", 1.0),
    ("workers", {"year": 2024, "potential_workers": "100.000.000"}, "potential_workers", 1e8),
    ("min_wage", {"year": 2024, "min_wage_idr": "100.000"}, "min_wage_idr", 1e5),
    ("history", {"year": 2024, "coverage_pct": "0,01"}, "coverage_pct", 0.01),
    ("history", {"year": 2024, "coverage_pct": "99,99"}, "coverage_pct", 99.99),
    ("groups", {"id": "rt_heads", "members": "0", "take_up_pct": "100"}, "take_up_pct", 100.0),
    ("groups", {"id": "rt_heads", "members": "10.000.000"}, "members", 1e7),
    ("parameters", {"id": "worker_growth_pct", "value": "-20"}, "value", -20.0),
    ("parameters", {"id": "worker_growth_pct", "value": "-0,5"}, "value", -0.5),
    ("parameters", {"id": "apbd_growth_pct", "value": "50"}, "value", 50.0),
    ("targets", {"id": "t", "year": 2030, "coverage_pct": "100"}, "coverage_pct", 100.0),
])
def test_a_number_on_its_bound_is_read(kind, row, key, value):
    more = [{"year": 2025, "coverage_pct": "50"}] if kind == "history" else []
    t = rec(kind, [{**GROUP, **row} if kind == "groups" else row, *more], region=REGION)
    assert t.ok, t.problems
    assert t.rows[0][key] == value


# ============================================================================ reader.py: headers
def test_headers_as_offices_write_them_and_the_title_rows_above():
    u = up("Riwayat cakupan Kota Pontianak\n\nNo.;Tahun;Cakupan (persen);Keterangan;\n1;2023;38,35;sementara;\n"
           "2;2024;40,86;;\n")
    t = u.table("history")
    assert t.ok and t.columns == ("year", "coverage_pct")
    assert t.headers["year"] == "Tahun" and t.headers["coverage_pct"] == "Cakupan (persen)"
    assert t.headers["source"] == "Sumber"          # a column not in the file: its template header
    assert [(r["_row"], r["year"], r["coverage_pct"]) for r in t.rows] == [(4, 2023, 38.35), (5, 2024, 40.86)]
    assert up("Riwayat\nTahun;Cakupan\n2023;38\n2024;40\n", lang="en").table("history").headers["source"] == "Source"


def test_an_unknown_column_names_the_columns_allowed_in_the_users_language():
    u = up("tahun;umk;bonus\n2024;3.000.000;5\n")
    assert probs(u) == [("unknown_column", 1, "bonus", None, None, {
        "column": "bonus", "allowed": "Tahun, UMK (Rp/bulan), Sumber, Tanggal sumber, Keyakinan"})]
    u = up("year;min wage;bonus\n2024;3,000,000;5\n", lang="en")
    assert u.all_problems[0].params["allowed"] == "Year, Minimum wage (Rp/month), Source, Source date, Certainty"


def test_a_column_twice_and_a_missing_one_are_named():
    u = up("tahun;cakupan;coverage\n2023;38;38\n2024;40;40\n")
    assert probs(u) == [("duplicate_column", 1, "coverage", "coverage_pct", None, {"column": "coverage"})]
    u = up("tahun;sumber\n2023;BPS\n")
    assert probs(u) == [("missing_column", None, "Cakupan (%)", "coverage_pct", None, {"column": "Cakupan (%)"})]
    u = up("year;source\n2023;BPS\n", lang="en")
    assert probs(u) == [("missing_column", None, "Coverage (%)", "coverage_pct", None, {"column": "Coverage (%)"})]
    u = up("tahun;apbd\n2024;2e12\n", kind="min_wage")
    assert [(p.code, p.column) for p in u.all_problems] == [("unknown_column", "apbd"), ("missing_column",
                                                                                          "UMK (Rp/bulan)")]


def test_a_file_without_a_header_or_rows_says_so():
    assert probs(up("foo;bar\n1;2\n")) == [("no_header", None, None, None, None, {})]
    assert probs(up("tahun;cakupan\n;\n")) == [("empty_file", None, None, None, None, {})]
    assert probs(up(";;\n;;\n")) == [("empty_file", None, None, None, None, {})]
    assert read_upload(b"tahun;cakupan\n", "x.csv").all_problems[0].code == "empty_file"
    title = "".join(f"judul {i}\n" for i in range(15))
    assert up(title + "tahun;cakupan\n2023;38\n2024;40\n").all_problems[0].code == "no_header"     # row 16: too low
    assert up(title[title.index("\n") + 1:] + "tahun;cakupan\n2023;38\n2024;40\n").ok       # row 15: found


def test_too_many_rows_says_how_many():
    body = "".join(f"{1990 + i % 100};40\n" for i in range(1001))
    assert probs(up("tahun;cakupan\n" + body)) == [("too_many_rows", None, None, None, None,
                                                    {"max": 1000, "rows": 1001})]
    u = up("tahun;cakupan\n" + body[body.index("\n") + 1:])       # 1,000 rows: read (and refused for years twice)
    assert u.all_problems[0].code == "duplicate_year"


def test_cells_right_of_the_table():
    u = up("tahun;cakupan;;\n2023;38,35;;\n2024;40,86;;catatan\n")      # Excel pads every row to the widest
    assert u.ok and probs(u) == []
    [w] = u.warnings
    assert (w.code, w.row, w.column, w.params) == ("ignored_cells", 3, "D", {"value": "catatan"})
    u = up("tahun,cakupan\n2023,38\n2024,40,5\n")
    assert probs(u) == [("split_decimal", 3, "cakupan", None, None, {"cells": 3, "columns": 2})]
    u = up("tahun,cakupan\n2023,38,35,BPS\n2024,40\n")
    assert probs(u) == [("split_decimal", 2, "cakupan", None, None, {"cells": 4, "columns": 2})]
    u = up("tahun,apbd,cakupan\n2023,2,5\n2024,1,2,3\n", kind="history")
    assert u.all_problems[0].code == "unknown_column"
    u = up("tahun,umk\n2024,3000000,50\n")          # a whole number and a note: split_at points at the pair
    assert probs(u) == [("split_decimal", 2, "umk", None, None, {"cells": 3, "columns": 2})]
    u = up("tahun,umk,sumber\n2024,abc,BPS,x\n")    # no digit pair: the last column of the table
    assert probs(u) == [("split_decimal", 2, "sumber", None, None, {"cells": 4, "columns": 3})]


@pytest.mark.parametrize(("text", "column"), [
    ("kode,anggota,sudah terlindungi,keikutsertaan\nrt_heads,2,689,39,95\n", "sudah terlindungi"),   # percent first
    ("tahun,umk\n2024,3,024,820\n", "umk"),                                                    # money before year
    ("tahun,cakupan,sumber\n2024,40,5,BPS\n", "cakupan"),
])
def test_a_split_decimal_is_blamed_on_the_column_that_has_decimals(text, column):
    p = up(text, region=REGION).all_problems[0]
    assert (p.code, p.row, p.column) == ("split_decimal", 2, column)


def test_split_at_prefers_percent_then_money_then_the_first_pair():
    from simulation.io.reader import split_at
    assert split_at(["2024", "1", "234", "x"], 3, ["year", "money", "text"]) == 1
    assert split_at(["2024", "1", "234", "5"], 3, ["year", "count", "text"]) == 0
    assert split_at(["1", "2", "3", "4"], 3, ["text", "rate", "percent"]) == 1
    assert split_at(["a", "b", "c"], 2, ["text", "text"]) == 1
    assert split_at(["a", "1.234", "-5"], 2, ["text", "money"]) == 1
    assert split_at(["a", "b", "1", "2"], 2, ["text", "money"]) == 1        # a pair right of the table: not it


def test_percent_columns_written_as_shares():
    u = up("tahun;cakupan\n2022;36,5\n2023;0,3835\n2024;40,86\n", lang="en")
    assert probs(u) == [("share_among_percent", 3, "cakupan", "coverage_pct", None,
                         {"value": "0,3835", "percent": "38.35"})]
    u = up("tahun;cakupan\n2022;36,5\n2023;0,3835\n2024;0,4\n")
    assert probs(u) == [("share_among_percent", 3, "cakupan", "coverage_pct", None,
                         {"value": "0,3835", "percent": "38,35"})]      # the first one only
    u = up("tahun;cakupan\n2023;0,3835\n2024;0,4086\n")
    assert [(r["year"], round(r["coverage_pct"], 6)) for r in u.table("history").rows] == [(2023, 38.35), (2024, 40.86)]
    [w] = u.warnings
    assert (w.code, w.row, w.column, w.key, w.params) == ("read_as_share", None, "cakupan", "coverage_pct",
                                                          {"column": "cakupan"})
    u = up("tahun;cakupan\n2023;0,3835 %\n2024;0,4086\n")       # a % anywhere: read as written
    assert [r["coverage_pct"] for r in u.table("history").rows] == [0.3835, 0.4086] and u.warnings == ()


# ============================================================================ reader.py: each table's checks
def test_history_years_twice_missing_or_too_few():
    u = up("tahun;cakupan\n2023;38\n2024;40\n2023;39\n;41\n", lang="en")
    assert probs(u) == [("duplicate_year", 4, "tahun", "year", None, {"year": 2023, "first_row": 2}),
                        ("missing_year", 5, "tahun", "year", None, {})]
    u = up("tahun;cakupan\n2023;38\nabc;40\n")           # a bad year is said once, not as missing too
    assert [(p.code, p.row) for p in u.all_problems] == [("expected_year", 3)]
    assert probs(up("tahun;cakupan\n2023;38\n")) == [("too_few", None, None, None, None, {"min": 2, "count": 1})]
    assert probs(up("tahun;umk\n2024;3.000.000\n")) == []
    assert probs(up("tahun;umk;sumber\n2024;;BPS\n")) == [("empty_value", 2, "umk", "min_wage_idr", None, {})]


def test_history_from_participants_and_potential_workers():
    u = up("tahun;peserta;potensi pekerja\n2023;93.664;244.236\n2024;99.798;244.236\n")
    t = u.table("history")
    assert t.ok and t.columns == ("year", "participants", "potential_workers")
    assert [round(r["coverage_pct"], 6) for r in t.rows] == [round(100 * 93664 / 244236, 6),
                                                              round(100 * 99798 / 244236, 6)]
    u = up("tahun;peserta;potensi pekerja\n2023;300;200\n2024;100;200\n")
    assert probs(u) == [("covered_above_potential", 2, "peserta", "participants", None,
                         {"participants": "300", "potential": "200"})]
    u = up("tahun;peserta;potensi pekerja\n2023;0;200\n2024;200;200\n", lang="en")
    assert probs(u) == [("out_of_range", 2, "peserta", "participants", None, {"value": "0.00", "min": 0, "max": 100}),
                        ("out_of_range", 3, "peserta", "participants", None,
                         {"value": "100.00", "min": 0, "max": 100})]
    u = up("tahun;peserta;potensi pekerja\n2023;;200\n2024;100;\n")
    assert probs(u) == [("empty_value", 2, "peserta", "participants", None, {}),
                        ("empty_value", 3, "potensi pekerja", "potential_workers", None, {})]
    u = up("tahun;cakupan;peserta;potensi pekerja\n2023;;100;200\n2024;41;;\n2025;;;\n")
    assert [r.get("coverage_pct") for r in u.table("history").rows] == [50.0, 41.0, None]
    assert probs(u) == [("empty_value", 4, "cakupan", "coverage_pct", None, {})]
    u = up("tahun;cakupan;peserta;potensi pekerja\n2023;38;abc;200\n2024;41;1;2\n")   # a bad cell is said once
    assert [(p.code, p.row, p.key) for p in u.all_problems] == [("expected_number", 2, "participants")]


def test_groups_by_id_or_name_checked_against_the_region():
    u = up("kode;kelompok;anggota\nRT_HEADS;;2700\n;ketua rw;600\n;Posyandu cadres;1600\n;Tukang parkir;10\n"
           "nope;;5\n;;7\nrw_heads;;3\n", region=REGION)
    assert [r.get("id") for r in u.tables[0].rows] == ["rt_heads", "rw_heads", "posyandu_cadres", None, "nope", None,
                                                       "rw_heads"]
    assert probs(u) == [("unknown_group", 5, "kelompok", "name", None, {"group": "Tukang parkir"}),
                        ("unknown_group", 6, "kode", "id", None, {"group": "nope"}),
                        ("empty_value", 7, "kode", "id", None, {}),
                        ("duplicate_id", 8, "kode", "id", None, {"id": "rw_heads", "first_row": 3})]
    u = up("kelompok;anggota;keikutsertaan\nKetua RT;2700;\n;5;90\n", region=REGION)
    assert probs(u) == [("empty_value", 2, "keikutsertaan", "take_up_pct", None, {}),
                        ("empty_value", 3, "kelompok", "name", None, {})]
    u = up("kelompok;anggota\nKetua RT;2700\nketua rt;2700\n", region=REGION)
    assert probs(u) == [("duplicate_id", 3, "kelompok", "name", None, {"id": "rt_heads", "first_row": 2})]
    u = up("kelompok;anggota\nTukang Parkir (Baru);20\n")                     # no region: the name's slug
    assert u.ok and u.tables[0].rows[0]["id"] == "tukang_parkir_baru"
    u = up("kode;anggota\nrt_heads;\n")
    assert probs(u) == [("empty_value", 2, "anggota", "members", None, {})]


def test_targets_ids_years_and_the_limit_of_twenty():
    u = up("nama target;tahun;target cakupan\nTarget Kota 2030!;2030;50\nÉtape Dua;2031;55\n;2032;60\n"
           "target kota 2030;2033;65\n", lang="en")
    t = u.tables[0]
    assert [r.get("id") for r in t.rows] == ["target_kota_2030", "etape_dua", None, "target_kota_2030"]
    assert probs(u) == [("empty_value", 4, "nama target", "name", None, {}),
                        ("duplicate_id", 5, "nama target", "name", None, {"id": "target_kota_2030", "first_row": 2})]
    u = up("kode;tahun;target cakupan\nBad Id;2030;50\nok;;\n")
    assert probs(u) == [("bad_id", 2, "kode", "id", None, {"value": "Bad Id"}),
                        ("empty_value", 3, "tahun", "year", None, {}),
                        ("empty_value", 3, "target cakupan", "coverage_pct", None, {})]
    assert up("nama target;tahun;target cakupan\n!!!;2030;50\n").tables[0].rows[0]["id"] == "target"
    rows = "".join(f"t{i};2030;50\n" for i in range(21))
    assert probs(up("kode;tahun;target cakupan\n" + rows)) == [("too_many_rows", None, None, None, None,
                                                                {"max": 20, "rows": 21})]
    assert up("kode;tahun;target cakupan\n" + rows[rows.index("\n") + 1:]).ok


def test_parameters_known_ids_each_once_with_a_value():
    u = up("id;nilai\nworker_growth_pct;1,5\nformal_share_pct;55\nfoo;3\n;4\nworker_growth_pct;2\n"
           "apbd_growth_pct;\n")
    assert probs(u) == [("unknown_id", 4, "id", "id", None, {"id": "foo", "allowed": "worker_growth_pct, "
                         "formal_share_pct, formal_coverage_pct, apbd_growth_pct"}),
                        ("empty_value", 5, "id", "id", None, {}),
                        ("duplicate_id", 6, "id", "id", None, {"id": "worker_growth_pct", "first_row": 2}),
                        ("empty_value", 7, "nilai", "value", None, {})]
    ok = up("id;nilai\nworker_growth_pct;1,5\nformal_share_pct;55\n").tables[0]
    assert [(r["id"], r["value"]) for r in ok.rows] == [("worker_growth_pct", 1.5), ("formal_share_pct", 55.0)]


def test_problems_are_listed_file_first_then_by_row():
    u = up("tahun;peserta;potensi pekerja\n2023;;200\n2023;300;200\n")
    assert [(p.code, p.row) for p in u.all_problems] == [("empty_value", 2), ("duplicate_year", 3),
                                                         ("covered_above_potential", 3)]


# ============================================================================ reader.py: workbooks, series, errors
HIST = [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]


def test_a_workbook_gives_one_table_per_sheet_in_the_order_of_kinds():
    data = xlsx(("Catatan", [["Isi berkas ini"], ["lihat sheet lain"]]), ("apbd", [["Tahun", "APBD"], [2025, 2e12]]),
                ("Data BPJS", HIST))
    u = read_upload(data, "x.xlsx")
    assert u.ok and [(t.kind, t.sheet) for t in u.tables] == [("history", "Data BPJS"), ("apbd", "apbd")]
    only = read_upload(data, "x.xlsx", kind="apbd")
    assert [(t.kind, t.sheet) for t in only.tables] == [("apbd", "apbd")]
    with pytest.raises(ValueError, match="unknown table kind 'bogus'"):
        read_upload(data, "x.xlsx", kind="bogus")


def test_a_sheet_named_after_a_table_is_read_as_that_table():
    u = read_upload(xlsx(("UMK", [["Tahun", "Nilai"], [2024, 3e6]])), "x.xlsx")
    assert probs(u) == [("unknown_column", 1, "Nilai", None, "UMK", {
        "column": "Nilai", "allowed": "Tahun, UMK (Rp/bulan), Sumber, Tanggal sumber, Keyakinan"}),
                        ("missing_column", None, "UMK (Rp/bulan)", "min_wage_idr", "UMK", {"column": "UMK (Rp/bulan)"})]
    u = read_upload(xlsx(("UMK", [["Tahun", "Nilai"], [2024, 3e6]]), ("lain", HIST)), "x.xlsx", kind="history")
    assert u.ok and [t.sheet for t in u.tables] == ["lain"]


def test_a_workbook_with_mistakes_names_the_sheet_and_row():
    u = read_upload(xlsx(("Data", [["Tahun", "Cakupan (%)"], [2023, 38], [2024, "abc"]])), "x.xlsx")
    assert probs(u) == [("expected_number", 3, "Cakupan (%)", "coverage_pct", "Data", {"value": "abc"})]
    u = read_upload(xlsx(("Catatan", [["hanya catatan"]]), ("Data", [["Tahun", "Cakupan (%)"], [2023, 38],
                                                                       [2024, "abc"]])), "x.xlsx")
    assert first(u)[:2] == ("expected_number", 3)
    u = read_upload(xlsx(("Data", [["Tahun", "Cakupan (%)"], [2022, 36.5], [2023, 0.3835], [2024, 40.86]])), "x.xlsx")
    assert probs(u) == [("share_among_percent", 3, "Cakupan (%)", "coverage_pct", "Data",
                         {"value": "0.3835", "percent": "38,35"})]
    u = read_upload(xlsx(("Data", [["Tahun", "Cakupan (%)"], [2023, 38], [2023, 39]])), "x.xlsx")
    assert probs(u) == [("duplicate_year", 3, "Tahun", "year", "Data", {"year": 2023, "first_row": 2})]
    u = read_upload(xlsx(("riwayat", [["Tahun", "Cakupan (%)"]]), ("Data", [["x"]])), "x.xlsx")
    assert probs(u) == [("empty_file", None, None, None, "riwayat", {})]
    u = read_upload(xlsx(("riwayat", [["Tahun", "Cakupan (%)"]]), ("Catatan", [["x"]]), hidden=("riwayat",)), "x.xlsx")
    assert probs(u) == [("no_header", None, None, None, None, {})]
    u = read_upload(xlsx(("a", [[None]]), ("b", [])), "x.xlsx")
    assert probs(u) == [("empty_file", None, None, None, None, {})]
    u = read_upload(xlsx(("a", [["foo", "bar"], [1, 2]])), "x.xlsx")
    assert probs(u) == [("no_header", None, None, None, None, {})]


def test_a_table_on_two_visible_sheets_or_only_on_hidden_ones_is_refused():
    u = read_upload(xlsx(("satu", HIST), ("dua", HIST)), "x.xlsx")
    assert probs(u) == [("two_sheets", None, None, None, None, {"table": "history", "sheets": "«satu», «dua»"})]
    u = read_upload(xlsx(("Catatan", [["x"]]), ("satu", HIST), ("dua", HIST), hidden=("satu", "dua")), "x.xlsx")
    assert probs(u) == [("hidden_sheet", None, None, None, "satu", {"table": "history", "sheet": "satu"})]
    u = read_upload(xlsx(("riwayat", HIST), ("dua", HIST), ("tiga", HIST), hidden=("dua", "tiga")), "x.xlsx")
    assert u.ok and [w.params["hidden"] for w in u.warnings] == ["«dua», «tiga»"]


def test_a_sheet_cut_at_the_row_limit_is_refused_whole():
    rows = [["Tahun", "Cakupan (%)"]] + [[1990 + i % 100, 40] for i in range(1070)]
    u = read_upload(xlsx(("riwayat", rows)), "x.xlsx")
    assert probs(u) == [("too_many_rows", None, None, None, "riwayat", {"max": 1000, "rows": 1064})]
    # 400 rows, 600 empty ones, 200 more: reading stops at row 1,065 with 464 read; the sheet is refused, not cut
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "riwayat"
    ws.append(["Tahun", "Cakupan (%)"])
    for n in [*range(2, 402), *range(1002, 1202)]:
        ws.cell(n, 1, 1990 + n % 100)
        ws.cell(n, 2, 40)
    buf = io.BytesIO()
    wb.save(buf)
    u = read_upload(buf.getvalue(), "x.xlsx")
    assert probs(u) == [("too_many_rows", None, None, None, "riwayat", {"max": 1000, "rows": "> 1000"})]


def test_history_series_gives_sorted_shares_or_the_first_problem():
    u = up("tahun;cakupan\n2024;40,86\n2023;38,35\n")
    assert history_series(u) == ([2023, 2024], [pytest.approx(0.3835), pytest.approx(0.4086)])
    with pytest.raises(ValidationError) as exc:
        history_series(up("tahun;cakupan\n2023;38\n2024;abc\n2025;x\n"))
    e = exc.value
    assert (e.code, e.field) == ("expected_number", "row 3, column cakupan")
    assert e.params == {"value": "abc", "row": 3, "column": "cakupan", "sheet": None}
    assert "expected number (2 problem(s) in the file)" in str(e)
    with pytest.raises(ValidationError) as exc:
        history_series(up("tahun;umk\n2024;3.000.000\n"))
    assert (exc.value.code, exc.value.field, exc.value.params) == ("no_header", "file", {"row": None, "column": None,
                                                                                         "sheet": None})
    with pytest.raises(ValidationError) as exc:
        history_series(read_upload(b"", "x.csv"))
    assert exc.value.code == "empty_file"


def test_problem_error_says_where_in_plain_english():
    e = problem_error(Problem("negative", row=4, column="Cakupan", sheet="Data", params={"value": "-1"}), 3)
    assert (e.field, e.code) == ("sheet Data, row 4, column Cakupan", "negative")
    assert e.params == {"value": "-1", "row": 4, "column": "Cakupan", "sheet": "Data"}
    assert "negative (3 problem(s) in the file)" in str(e)
    assert problem_error(Problem("too_few")).field == "file"
    assert problem_error(Problem("x", column="Tahun")).field == "column Tahun"
    assert "(1 problem(s) in the file)" in str(problem_error(Problem("too_few")))


def test_read_records_numbers_rows_as_the_editor_and_names_its_headers():
    t = read_records("history", [{"year": "2023", "coverage_pct": "38,35"}, {}, {"year": "2024", "coverage_pct": "x"}],
                     headers={"coverage_pct": "Coverage (%)"})
    assert probs(t) == [("expected_number", 3, "Coverage (%)", "coverage_pct", None, {"value": "x"})]
    assert t.headers["year"] == "Tahun"
    for kind, n in (("history", 2), ("workers", 1), ("groups", 1), ("parameters", 1)):
        t = read_records(kind, [{}], lang="en")
        assert probs(t) == [("too_few", None, None, None, None, {"min": n, "count": 0})]
        assert t.columns == tuple(c.key for c in columns(kind)) and t.rows == ()
    assert read_records("targets", [{"id": None}]).problems == ()
    assert read_records("targets", [], lang="en").headers["name"] == "Target name"
    t = read_records("apbd", [{"year": 2025, "apbd_idr": 2e12}])
    assert t.ok and t.rows == ({"_row": 1, "year": 2025, "apbd_idr": 2e12},)


def test_upload_and_table_results():
    t_ok = Table("history", (), ())
    t_bad = Table("apbd", (), (), problems=(Problem("x", row=2),), warnings=(Problem("w"),))
    u = Upload("f.csv", (t_ok, t_bad), (Problem("file"),))
    assert t_ok.ok and not t_bad.ok
    assert [p.code for p in u.all_problems] == ["file", "x"] and [w.code for w in u.warnings] == ["w"]
    assert not u.ok and not Upload("f.csv").ok and Upload("f.csv", (t_ok,)).ok
    assert u.table("apbd") is t_bad and u.table("groups") is None
    assert Problem("c", 1, "C", "k", "S", {"a": 1}).as_dict() == {"code": "c", "row": 1, "column": "C", "key": "k",
                                                                 "sheet": "S", "params": {"a": 1}}


# ============================================================================ layouts.py
@pytest.mark.parametrize(("text", "normed"), [("Cakupan (%)", "cakupan_pct"), ("  UMK (Rp/bulan) ", "umk_rp_bulan"),
                                              ("ＴＡＨＵＮ", "tahun"), ("Tgl.-Sumber", "tgl_sumber"), (2024, "2024"),
                                              ("%", "pct"), ("__", "")])
def test_norm_makes_one_spelling_of_a_header(text, normed):
    assert norm(text) == normed


@pytest.mark.parametrize(("kind", "header", "key"), [
    ("history", "Cakupan (%)", "coverage_pct"), ("history", "Coverage (%)", "coverage_pct"),
    ("history", "Cakupan (persen)", "coverage_pct"), ("history", "Jumlah Peserta (orang)", "participants"),
    ("history", "Potensi (jiwa)", "potential_workers"), ("history", "tahun_year", "year"),
    ("history", "Periode", "year"), ("history", "No.", "_ignore"), ("history", "Keterangan", "_ignore"),
    ("history", "", "_ignore"), ("history", "  ", "_ignore"), ("history", "bonus_pct", None),
    ("history", "pct", None), ("history", "Tanggal", "source_date"), ("history", "Keyakinan (H/M/L/A)", "certainty"),
    ("min_wage", "UMK (Rp/bulan)", "min_wage_idr"), ("min_wage", "Upah minimum (Rp)", "min_wage_idr"),
    ("apbd", "APBD (Rp/tahun)", "apbd_idr"), ("apbd", "Belanja daerah (IDR)", "apbd_idr"),
    ("workers", "Potensi pekerja (persons)", "potential_workers"), ("groups", "Anggota (orang)", "members"),
    ("groups", "Kode", "id"), ("groups", "Nama", "name"), ("groups", "Putus iuran (%)", "dropout_pct"),
    ("targets", "Target cakupan (%)", "coverage_pct"), ("targets", "Nama target", "name"),
    ("parameters", "Nilai", "value"), ("parameters", "Parameter", "_ignore"), ("parameters", "Kode", "id"),
])
def test_match_header_knows_offices_spellings(kind, header, key):
    assert match_header(kind, header) == key


@pytest.mark.parametrize(("kind", "keys", "missing"), [
    ("history", set(), ["year", "coverage_pct"]), ("history", {"year", "participants"}, ["coverage_pct"]),
    ("history", {"year", "participants", "potential_workers"}, []), ("history", {"coverage_pct"}, ["year"]),
    ("workers", {"year"}, ["potential_workers"]), ("min_wage", {"min_wage_idr"}, ["year"]),
    ("apbd", set(), ["year", "apbd_idr"]), ("groups", set(), ["id", "members"]),
    ("groups", {"name", "dropout_pct"}, []), ("groups", {"id"}, ["members"]),
    ("targets", {"name"}, ["year", "coverage_pct"]), ("targets", {"year", "coverage_pct"}, ["id"]),
    ("parameters", {"value"}, ["id"]), ("parameters", set(), ["id", "value"]),
])
def test_required_missing_by_kind(kind, keys, missing):
    assert required_missing(kind, keys) == missing


@pytest.mark.parametrize(("header", "kind"), [
    (["Tahun", "Cakupan (%)"], "history"), (["Tahun", "Potensi pekerja"], "workers"), (["Tahun", "UMK"], "min_wage"),
    (["Tahun", "APBD"], "apbd"), (["Kode", "Anggota"], "groups"), (["Kelompok", "Keikutsertaan (%)"], "groups"),
    (["Kode", "Tahun", "Target cakupan"], "targets"), (["ID", "Nilai"], "parameters"), (["Tahun"], "history"),
    (["Tahun", "Peserta", "Potensi"], "history"), ([None, " ", "foo"], None), ([], None),
])
def test_best_kind_is_the_table_whose_required_columns_are_there(header, kind):
    assert best_kind(header) == kind


def test_find_header_prefers_two_known_columns_within_fifteen_rows():
    rows = [(1, ["Tahun laporan"]), (2, ["Tahun"]), (3, ["Tahun", "Cakupan"]), (4, ["2023", "38"])]
    assert find_header(rows) == 2
    assert find_header([(1, ["judul"]), (2, ["Tahun", None]), (3, ["2023"])]) == 1
    assert find_header([(1, ["judul"]), (2, [None, ""])]) is None
    assert find_header([(n, ["x"]) for n in range(1, 15)] + [(15, ["Tahun", "UMK"])]) == 14
    assert find_header([(n, ["x"]) for n in range(1, 16)] + [(16, ["Tahun", "UMK"])]) is None


@pytest.mark.parametrize(("title", "kind"), [("Riwayat Cakupan", "history"), ("riwayat", "history"),
                                             ("Potensi pekerja", "workers"), ("UMK", "min_wage"),
                                             ("Anggaran", "apbd"), ("Kelompok pekerja", "groups"), ("Sasaran", "targets"),
                                             ("Parameter lain", "parameters"), ("Data", None), ("", None)])
def test_sheet_kind_by_the_sheets_name(title, kind):
    assert sheet_kind(title) == kind


def test_column_headers_in_both_languages():
    assert column_header("history", "coverage_pct") == "Cakupan (%)"
    assert column_header("history", "coverage_pct", "en") == "Coverage (%)"
    assert column_header("groups", "members", "en") == "Members (persons)"
    assert column_header("groups", "nope", "en") == "nope"
    assert [c.key for c in columns("apbd")] == ["year", "apbd_idr", "source", "source_date", "certainty"]


# ============================================================================ apply.py: the preview of changes
def _t(kind: str, rows: list[dict]) -> Table:
    t = read_records(kind, rows, region=REGION)
    assert t.ok, t.problems
    return t


def test_changes_of_a_year_table_value_by_value():
    t = _t("history", [{"year": 2023, "coverage_pct": "38,35"}, {"year": 2024, "coverage_pct": "41"},
                       {"year": 2026, "coverage_pct": "45"}])
    assert changes(REGION, [t]) == [
        Change("history", "2024", "coverage_pct", 40.86, 41.0, "changed"),
        Change("history", "2025", "coverage_pct", 40.0, None, "removed"),
        Change("history", "2026", "coverage_pct", None, 45.0, "added")]
    same = _t("history", [{"year": 2023, "coverage_pct": 38.35 + 1e-12}, {"year": 2024, "coverage_pct": 40.86},
                          {"year": 2025, "coverage_pct": 40}])
    assert changes(REGION, [same]) == []
    w = _t("workers", [{"year": 2024, "potential_workers": 244237}])
    assert changes(REGION, [w]) == [Change("workers", "2024", "potential_workers", 244236.0, 244237.0, "changed")]


def test_changes_of_a_history_with_participants_list_the_workers_too():
    t = _t("history", [{"year": 2024, "participants": 100_000, "potential_workers": 244236},
                       {"year": 2025, "participants": 100_000, "potential_workers": 250000},
                       {"year": 2023, "coverage_pct": 38.35}])
    ch = changes(REGION, [t])
    assert [c for c in ch if c.kind == "workers"] == [Change("workers", "2025", "potential_workers", None, 250000.0,
                                                             "added")]
    t = _t("history", [{"year": 2024, "participants": 100_000, "potential_workers": 200_000},
                       {"year": 2023, "coverage_pct": 38.35}])
    assert [c for c in changes(REGION, [t]) if c.kind == "workers"] == [
        Change("workers", "2024", "potential_workers", 244236.0, 200000.0, "changed")]


def test_changes_of_groups_targets_and_parameters():
    g = _t("groups", [{"id": "rt_heads", "name": "Ketua RT", "members": 2700, "already_covered_pct": 39,
                       "take_up_pct": 95, "dropout_pct": 4}, {"id": "rw_heads", "name": "Ketua RW baru", "members": 570,
                                                              "already_covered_pct": 5, "take_up_pct": 95,
                                                              "dropout_pct": 3}])
    assert changes(REGION, [g]) == [Change("groups", "rt_heads", "members", 2689.0, 2700.0, "changed"),
                                    Change("groups", "rt_heads", "dropout_pct", 3.0, 4.0, "changed"),
                                    Change("groups", "rw_heads", "name", "Ketua RW", "Ketua RW baru", "changed")]
    assert changes(REGION, [g], "en")[-1] == Change("groups", "rw_heads", "name", "RW heads", "Ketua RW baru",
                                                    "changed")
    t = _t("targets", [{"id": "city_2026", "name": "Target kota 2026", "year": 2027, "coverage_pct": 45},
                       {"id": "rpjmn_2029", "name": "RPJMN baru", "year": 2029, "coverage_pct": 43.92},
                       {"id": "new_one", "year": 2030, "coverage_pct": 60}])
    assert changes(REGION, [t]) == [Change("targets", "city_2026", "year", 2026, 2027, "changed"),
                                    Change("targets", "rpjmn_2029", "name", "RPJMN 2029 (nasional)", "RPJMN baru",
                                           "changed"),
                                    Change("targets", "new_one", "year", None, 2030, "added"),
                                    Change("targets", "new_one", "coverage_pct", None, 60.0, "added"),
                                    Change("targets", "rpjmn_2026", "coverage_pct", 34.99, None, "removed")]
    p = _t("parameters", [{"id": "formal_share_pct", "value": 60}, {"id": "worker_growth_pct", "value": 1}])
    [c] = changes(REGION, [p])
    assert (c.kind, c.key, c.field, c.old, c.new, c.status) == ("parameters", "formal_share_pct", "value",
                                                                 pytest.approx(55.0), 60.0, "changed")


# ============================================================================ apply.py: applying
def test_apply_refuses_a_wrong_certainty_or_a_table_with_problems():
    with pytest.raises(ValidationError) as exc:
        apply_tables(REGION, [], certainty="X")
    e = exc.value
    assert (e.field, e.code, e.params) == ("certainty", "bad_certainty", {"value": "X", "allowed": "H, M, L, A"})
    assert "certainty must be one of H, M, L, A" in str(e)
    bad = read_records("history", [{"year": 2023, "coverage_pct": "38"}, {"year": 2024, "coverage_pct": "x"},
                                   {"year": 2025, "coverage_pct": "y"}])
    with pytest.raises(ValidationError) as exc:
        apply_tables(REGION, [bad])
    e = exc.value
    assert (e.field, e.code) == ("row 2, column Cakupan (%)", "expected_number")
    assert e.params == {"value": "x", "row": 2, "column": "Cakupan (%)"}
    assert "the table has 2 problem(s); nothing was applied" in str(e)
    few = read_records("history", [{"year": 2023, "coverage_pct": "38"}])
    with pytest.raises(ValidationError) as exc:
        apply_tables(REGION, [few])
    assert (exc.value.field, exc.value.code, exc.value.params) == ("file", "too_few", {"min": 2, "count": 1,
                                                                                      "row": None, "column": None})
    missing = read_upload(b"tahun;sumber\n2023;x\n", "x.csv").tables[0]
    with pytest.raises(ValidationError) as exc:
        apply_tables(REGION, [missing])
    assert exc.value.field == "Cakupan (%)"


def test_apply_a_year_table_gives_new_values_the_rows_or_the_users_source():
    t = _t("history", [{"year": 2023, "coverage_pct": 38.35}, {"year": 2024, "coverage_pct": 41},
                       {"year": 2026, "coverage_pct": 45, "source": "BPJS", "certainty": "H",
                        "source_date": "2026-01-31"},
                       {"year": 2022, "coverage_pct": 36, "source": "BPS"}])
    r = apply_tables(REGION, [t], source="  ", today=TODAY)
    h = {v.year: v for v in r.coverage_history}
    assert [v.year for v in r.coverage_history] == [2022, 2023, 2024, 2026]
    assert h[2023] == REGION.coverage_history[0]                                         # unchanged: its own source
    assert (h[2024].value, h[2024].source, h[2024].certainty, h[2024].source_date) == (41.0, USER_SOURCE, "A", TODAY)
    assert (h[2026].source, h[2026].certainty, h[2026].source_date) == ("BPJS", "H", dt.date(2026, 1, 31))
    assert (h[2022].source, h[2022].certainty, h[2022].source_date) == ("BPS", "A", None)    # a source without a date
    r = apply_tables(REGION, [t], source=" Dinas " + "x" * 600, certainty="L", today=TODAY)
    v = {v.year: v for v in r.coverage_history}[2024]
    assert (v.source, v.certainty) == ("Dinas " + "x" * 494, "L")
    assert apply_tables(REGION, [t]).coverage_history[2].source_date == dt.date.today()
    assert r.potential_workers == REGION.potential_workers


def test_apply_a_history_with_participants_updates_the_workers():
    t = _t("history", [{"year": 2024, "participants": 100_000, "potential_workers": 244236},
                       {"year": 2025, "participants": 110_000, "potential_workers": 250_000},
                       {"year": 2023, "coverage_pct": 38.35}])
    r = apply_tables(REGION, [t], today=TODAY)
    assert [(v.year, v.value) for v in r.potential_workers] == [(2024, 244236.0), (2025, 250000.0)]
    assert r.potential_workers[0] == REGION.potential_workers[0]
    assert (r.potential_workers[1].source, r.potential_workers[1].source_date) == (USER_SOURCE, TODAY)
    assert [(v.year, round(v.value, 6)) for v in r.coverage_history] == [
        (2023, 38.35), (2024, round(100 * 100_000 / 244236, 6)), (2025, 44.0)]


def test_apply_groups_rounds_members_and_renames_in_the_users_language():
    # a checked table holds whole members and names of 80 characters; the Table type itself holds any
    g = Table("groups", ({"_row": 1, "id": "rt_heads", "name": "Ketua RT (baru) " + "n" * 80, "members": 2700.4,
                          "already_covered_pct": 39.0, "take_up_pct": 80.0, "dropout_pct": 3.0},),
              ("id", "name", "members", "already_covered_pct", "take_up_pct", "dropout_pct"))
    r = apply_tables(REGION, [g], today=TODAY, certainty="M")
    rt = r.group("rt_heads")
    assert rt.members.value == 2700.0 and (rt.members.source, rt.members.certainty) == (USER_SOURCE, "M")
    assert rt.take_up.value == pytest.approx(0.8) and rt.take_up.source_date == TODAY
    assert rt.already_covered == REGION.group("rt_heads").already_covered
    assert rt.name_id == ("Ketua RT (baru) " + "n" * 80)[:80] and rt.name_en == "RT heads"
    assert r.groups[1:] == REGION.groups[1:]
    r = apply_tables(REGION, [g], lang="en")
    assert r.group("rt_heads").name_en == ("Ketua RT (baru) " + "n" * 80)[:80]
    assert r.group("rt_heads").name_id == "Ketua RT"
    same = _t("groups", [{"id": "rt_heads", "name": "RT heads", "members": 2689, "already_covered_pct": 39,
                          "take_up_pct": 95, "dropout_pct": 3}])
    assert apply_tables(REGION, [same], lang="en") == REGION


def test_apply_targets_replaces_the_list():
    t = _t("targets", [{"id": "city_2026", "name": "Kota 2026", "year": 2026, "coverage_pct": 45},
                       {"id": "rpjmn_2029", "year": 2029, "coverage_pct": 50, "source": "RPJMN"},
                       {"id": "baru", "name": "Target baru", "year": 2030, "coverage_pct": 60, "certainty": "H"},
                       {"id": "tanpa_nama", "year": 2031, "coverage_pct": 65}])
    r = apply_tables(REGION, [t], today=TODAY)
    old = {x.id: x for x in REGION.targets}
    new = {x.id: x for x in r.targets}
    assert list(new) == ["city_2026", "rpjmn_2029", "baru", "tanpa_nama"]
    assert new["city_2026"] == replace(old["city_2026"], name_id="Kota 2026")     # unchanged numbers: all it had
    assert (new["rpjmn_2029"].coverage_pct, new["rpjmn_2029"].source, new["rpjmn_2029"].certainty,
            new["rpjmn_2029"].source_date) == (50.0, "RPJMN", "A", None)
    assert (new["rpjmn_2029"].name_id, new["rpjmn_2029"].name_en) == ("RPJMN 2029 (nasional)", "RPJMN 2029 (national)")
    assert (new["baru"].name_id, new["baru"].name_en, new["baru"].year, new["baru"].certainty,
            new["baru"].source, new["baru"].source_date) == ("Target baru", "Target baru", 2030, "H", USER_SOURCE, TODAY)
    assert (new["tanpa_nama"].name_id, new["tanpa_nama"].name_en) == ("tanpa_nama", "tanpa_nama")
    r = apply_tables(REGION, [t], today=TODAY, lang="en")
    c = {x.id: x for x in r.targets}["city_2026"]
    assert (c.name_id, c.name_en) == ("Target kota 2026", "Kota 2026")
    moved = _t("targets", [{"id": "city_2026", "year": 2027, "coverage_pct": 45}])
    [c] = apply_tables(REGION, [moved], today=TODAY).targets
    assert (c.year, c.source, c.source_date, c.name_id) == (2027, USER_SOURCE, TODAY, "Target kota 2026")


def test_apply_parameters_stores_each_in_its_unit():
    p = _t("parameters", [{"id": "formal_share_pct", "value": 60}, {"id": "worker_growth_pct", "value": 1},
                          {"id": "apbd_growth_pct", "value": -2, "source": "Bappeda"}])
    r = apply_tables(REGION, [p], today=TODAY)
    assert r.formal_share.value == pytest.approx(0.6) and r.formal_share.source == USER_SOURCE
    assert r.worker_growth_pct == REGION.worker_growth_pct
    assert (r.apbd_growth_pct.value, r.apbd_growth_pct.source, r.apbd_growth_pct.source_date) == (-2.0, "Bappeda", None)
    assert r.formal_coverage == REGION.formal_coverage


# ============================================================================ templates.py
def test_region_rows_are_the_regions_values_in_table_units():
    assert region_rows(REGION, "history")[0] == {"year": 2023, "coverage_pct": 38.35, "source": REGION.coverage_history[
        0].source, "source_date": REGION.coverage_history[0].source_date, "certainty": REGION.coverage_history[0].certainty}
    g = region_rows(REGION, "groups", "en")[0]
    assert g == {"id": "rt_heads", "name": "RT heads", "members": 2689.0, "already_covered_pct": pytest.approx(39.0),
                 "take_up_pct": pytest.approx(95.0), "dropout_pct": pytest.approx(3.0)}
    assert region_rows(REGION, "targets")[0] == {"id": "city_2026", "name": "Target kota 2026", "year": 2026,
                                                 "coverage_pct": 45.0, "source": "Pemkot Pontianak (faktakalbar)",
                                                 "source_date": dt.date(2026, 2, 12), "certainty": "M"}
    params = region_rows(REGION, "parameters")
    assert [(p["id"], round(p["value"], 9)) for p in params] == [("worker_growth_pct", 1.0), ("formal_share_pct", 55.0),
                                                                 ("formal_coverage_pct", 70.0),
                                                                 ("apbd_growth_pct", 3.0)]
    assert params[2]["source_date"] == dt.date(2023, 12, 31) and params[2]["certainty"] == "L"
    with pytest.raises(ValueError, match="unknown table kind 'nope'"):
        region_rows(REGION, "nope")


def test_template_csv_is_what_indonesian_or_english_excel_opens():
    data = template_csv(REGION, "targets")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Kode;Nama target;Tahun;Target cakupan (%);Sumber;Tanggal sumber;Keyakinan"
    assert lines[1] == "city_2026;Target kota 2026;2026;45;Pemkot Pontianak (faktakalbar);2026-02-12;M"
    assert lines[2] == "rpjmn_2026;RKP 2026 (nasional);2026;34,99;RKP 2026;;M"
    assert lines[-1] == ""
    en = template_csv(REGION, "history", "en").decode("utf-8-sig").split("\r\n")
    assert en[0] == "Year,Coverage (%),Active participants,Potential workers,Source,Source date,Certainty"
    assert en[1].startswith("2023,38.35,,,")
    assert template_csv(REGION, "apbd").decode("utf-8-sig").split("\r\n")[1].startswith("2025;2000000000000;")


def test_template_xlsx_one_sheet_per_table_with_formats():
    data = template_xlsx(REGION, "id", notes=["Baris satu", "=1+1"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["petunjuk", "riwayat", "pekerja", "umk", "apbd", "kelompok", "target", "parameter"]
    info = wb["petunjuk"]
    assert (info["A1"].value, info["A2"].value, info["A3"].value) == ("Baris satu", "'=1+1", None)
    assert info.column_dimensions["A"].width == 110
    apbd = wb["apbd"]
    assert [c.value for c in apbd[1]] == ["Tahun", "APBD (Rp/tahun)", "Sumber", "Tanggal sumber", "Keyakinan"]
    assert all(c.font.bold for c in apbd[1])
    assert (apbd["A2"].value, apbd["B2"].value, apbd["B2"].number_format) == (2025, 2000000000000, "#,##0")
    assert apbd["D2"].value is None and apbd["A2"].number_format == "General"
    for ref in (apbd["B2"], wb["umk"]["B2"], wb["kelompok"]["C2"], wb["riwayat"]["A2"]):   # whole numbers written whole
        assert type(ref.value) is int, ref
    assert apbd.column_dimensions["A"].width == 12 and apbd.column_dimensions["B"].width == 19
    g = wb["kelompok"]
    assert (g["C2"].value, g["C2"].number_format, g["D2"].value) == (2689, "#,##0", pytest.approx(39.0))
    assert g["D2"].number_format == "General" and g.column_dimensions["B"].width == 30
    assert wb["riwayat"].column_dimensions["E"].width == 30 and wb["target"].column_dimensions["B"].width == 30
    t = wb["target"]
    assert t["F2"].value == dt.datetime(2026, 2, 12) and t["F2"].number_format == "yyyy-mm-dd"
    assert t["F3"].value is None and t["F3"].number_format == "General"
    assert wb["parameter"].column_dimensions["A"].width == 12
    en = openpyxl.load_workbook(io.BytesIO(template_xlsx(REGION, "en")))
    assert en.sheetnames == ["readme", "history", "workers", "min_wage", "apbd", "groups", "targets", "parameters"]
    assert en["history"]["B1"].value == "Coverage (%)" and en["history"].column_dimensions["B"].width == 16
    assert en["readme"]["A1"].value is None
    assert en["groups"]["B2"].value == "RT heads"


def test_a_csv_with_lines_ended_by_cr_alone_is_read():
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: once refused as not a table."""
    u = read_upload("Tahun;Cakupan (%)\r2023;38,35\r2024;40,86\r".encode("cp1252"), "mac.csv")
    assert [(r["_row"], r["year"], r["coverage_pct"]) for r in u.table("history").rows] == [(2, 2023, 38.35),
                                                                                          (3, 2024, 40.86)]
    [sheet] = read_sheets(b'Tahun;Sumber\r2023;"two\rlines"\r2024;x\r', "mac.csv")
    assert sheet.rows == [(1, ["Tahun", "Sumber"]), (2, ["2023", "two\rlines"]), (4, ["2024", "x"])]
    p = read_sheets(b"tahun;sumber\r2024;x\r2025;" + b"y" * 140_000 + b"\r", "mac.csv")
    assert (p.code, p.row, p.column, p.params["length"]) == ("cell_too_long", 3, "B", 140_000)


def test_xlsx_blank_formatted_rows_below_the_table_are_not_more_rows():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Tahun", "Cakupan"], [2023, 38], [2024, 40]]:
        ws.append(row)
    ws.cell(100, 1).number_format = "0.00"          # a formatted empty cell: Excel's used range reaches row 100
    buf = io.BytesIO()
    wb.save(buf)
    [sheet] = read_sheets(buf.getvalue(), "x.xlsx", max_rows=5)
    assert (len(sheet.rows), sheet.truncated) == (3, False)


def test_a_workbook_damaged_inside_is_not_a_table():
    src = zipfile.ZipFile(io.BytesIO(xlsx(("s", [["Tahun", "Cakupan"], [2024, 40]]))))
    parts = {n: src.read(n) for n in src.namelist()}
    broken = _zip({**parts, "xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c r='A1' t='n'><v>x"})
    assert read_sheets(broken, "x.xlsx") == Problem("not_a_table")
    # a shared-strings part whose bytes were changed after packing: its checksum fails while it is counted
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, body in {**parts, "xl/sharedStrings.xml": _strings(3).replace(b"Tahun", b"Zzzzz")}.items():
            zf.writestr(name, body)
    data = buf.getvalue().replace(b"<t>Zzzzz</t>", b"<t>Zzzzy</t>", 1)
    p = read_sheets(data, "x.xlsx")
    assert (p.code, p.params) == ("not_a_table", {})


def test_split_at_may_blame_the_last_column_of_the_table():
    from simulation.io.reader import split_at
    assert split_at(["2024", "40", "5"], 2, ["year", "percent"]) == 1


def test_changes_and_apply_skip_rows_the_region_does_not_have():
    g = Table("groups", ({"_row": 1, "id": "nope", "members": 5.0}, {"_row": 2, "id": "rt_heads", "members": 2689.0}),
              ("id", "members"))
    assert changes(REGION, [g]) == []
    assert apply_tables(REGION, [g]) == REGION
    t = Table("targets", ({"_row": 1, "name": "x"}, {"_row": 2, "id": "city_2026", "year": 2026}), ("id", "year"))
    assert changes(REGION, [t]) == [Change("targets", "rpjmn_2026", "coverage_pct", 34.99, None, "removed"),
                                    Change("targets", "rpjmn_2029", "coverage_pct", 43.92, None, "removed")]
    p = Table("parameters", ({"_row": 1, "id": "formal_share_pct"}, {"_row": 2, "value": 5.0}), ("id", "value"))
    assert changes(REGION, [p]) == []


def test_apply_a_row_with_a_date_but_no_source_keeps_its_date():
    t = _t("apbd", [{"year": 2025, "apbd_idr": 3e12, "source_date": "1/2/2025"}])
    [v] = apply_tables(REGION, [t], today=TODAY).apbd
    assert (v.value, v.source, v.source_date) == (3e12, USER_SOURCE, dt.date(2025, 2, 1))


def test_group_names_match_the_region_in_either_language_or_its_id():
    u = up("kelompok;anggota\nRT heads;2700\nrw heads;600\nGURU NGAJI;400\n", region=REGION)
    assert [r["id"] for r in u.tables[0].rows] == ["rt_heads", "rw_heads", "guru_ngaji"]
    u = up("kode;anggota\n rw_heads ;600\n", region=REGION)
    assert u.tables[0].rows[0]["id"] == "rw_heads"


def test_a_row_past_the_limit_that_cannot_be_read_still_means_more_rows():
    data = b"tahun;cakupan\n" + b"2024;40\n" * 70 + b"2025;" + b"y" * 140_000 + b"\n"
    [sheet] = read_sheets(data, "x.csv", max_rows=5)
    assert (len(sheet.rows), sheet.truncated) == (71, True)


def test_percent_formatted_rates_are_read_as_percent_and_counts_are_not():
    data = xlsx(("parameter", [["ID", "Nilai"], ["worker_growth_pct", 0.015], ["formal_share_pct", 55]]),
                ("kelompok", [["Kode", "Anggota"], ["rt_heads", 2700]]),
                formats={("parameter", "B2"): "0.0%", ("kelompok", "B2"): "0%"})
    u = read_upload(data, "x.xlsx", region=REGION)
    assert [(r["id"], r["value"]) for r in u.table("parameters").rows] == [("worker_growth_pct", 1.5),
                                                                           ("formal_share_pct", 55.0)]
    assert u.table("groups").rows[0]["members"] == 2700.0


def test_problems_are_sorted_by_row_whoever_found_them():
    u = up("tahun;cakupan\n2023;\n2024;abc\n")
    assert [(p.code, p.row) for p in u.all_problems] == [("empty_value", 2), ("expected_number", 3)]


def test_a_header_problem_gives_the_columns_found_and_no_rows():
    u = up("tahun;cakupan;bonus\n2023;38\n2024;40\n")
    [t] = u.tables
    assert (t.kind, t.rows, t.columns, t.headers["coverage_pct"], t.headers["source"]) == (
        "history", (), ("year", "coverage_pct"), "cakupan", "Sumber")
    u = up("tahun,cakupan\n2023,38,5\n")
    [t] = u.tables
    assert (t.rows, t.columns, t.headers["year"]) == ((), ("year", "coverage_pct"), "tahun")
    assert read_upload(b"tahun;cakupan\n2023;38\n", None).filename == ""


def test_a_change_smaller_than_a_billionth_is_no_change():
    near = _t("apbd", [{"year": 2025, "apbd_idr": 2e12 + 1e3}])
    assert changes(REGION, [near]) == []
    assert apply_tables(REGION, [near]).apbd == REGION.apbd
    far = _t("apbd", [{"year": 2025, "apbd_idr": 2e12 + 4e3}])
    assert changes(REGION, [far]) == [Change("apbd", "2025", "apbd_idr", 2e12, 2e12 + 4e3, "changed")]


def test_sheets_named_after_a_table_are_read_first():
    u = read_upload(xlsx(("Data", HIST), ("riwayat", HIST)), "x.xlsx")
    assert probs(u) == [("two_sheets", None, None, None, None, {"table": "history", "sheets": "«riwayat», «Data»"})]


def test_an_editor_with_more_than_a_thousand_rows_is_refused_whole():
    t = read_records("apbd", [{"year": 2025, "apbd_idr": 2e12}] * 1001, lang="en")
    assert (t.kind, t.rows, t.columns, t.headers["apbd_idr"]) == ("apbd", (), tuple(c.key for c in columns("apbd")),
                                                                  "APBD (Rp/year)")
    assert probs(t) == [("too_many_rows", None, None, None, None, {"max": 1000, "rows": 1001})]


def test_a_sheet_with_mistakes_and_no_table_name_gives_way_to_a_good_one():
    data = xlsx(("Data lama", [["Tahun", "Cakupan (%)"], [2023, "abc"], [2024, 40]]), ("Data", HIST))
    u = read_upload(data, "x.xlsx")
    assert u.ok and [t.sheet for t in u.tables] == ["Data"] and u.filename == "x.xlsx"


def test_uploads_keep_their_file_name_and_check_groups_against_the_region():
    assert up("tahun;cakupan\n2023;38\n2024;40\n", "riwayat.csv").filename == "riwayat.csv"
    assert up("foo\n1\n", "catatan.csv").filename == "catatan.csv"
    u = read_upload(xlsx(("kelompok", [["Kode", "Anggota"], ["nope", 5]])), "x.xlsx", region=REGION)
    assert probs(u) == [("unknown_group", 2, "Kode", "id", "kelompok", {"group": "nope"})]
    assert probs(up("kode;anggota\n;5\n")) == [("empty_value", 2, "kode", "id", None, {})]      # no region either
    u = up("kelompok;anggota\nQuran teachers (guru ngaji);400\nmotorbike_taxi;2500\n", region=REGION)
    assert [r["id"] for r in u.tables[0].rows] == ["guru_ngaji", "motorbike_taxi"]


def test_editor_tables_say_what_they_are_even_when_empty():
    keys = tuple(c.key for c in columns("targets"))
    heads = {c.key: c.header("en") for c in columns("targets")}
    assert read_records("targets", [], lang="en") == Table("targets", (), keys, heads, None)
    t = read_records("workers", [], lang="en")
    assert (t.kind, t.headers, t.sheet) == ("workers", {c.key: c.header("en") for c in columns("workers")}, None)
    t = read_records("groups", [{"id": "nope", **GROUP, "members": 5}], region=REGION)
    assert probs(t) == [("unknown_group", 1, "Kode", "id", None, {"group": "nope"})]
    t = read_records("history", [{"year": 2023, "coverage_pct": 38}], headers={"coverage_pct": "Bonus"})
    assert [(p.code, p.row, p.column) for p in t.problems] == [("unknown_column", 0, "Bonus")]   # row 0: no row
