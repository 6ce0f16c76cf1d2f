"""Write the upload corpus: small good and bad CSV/XLSX files and the outcome each must give.

Run from the repository root:  python tests/corpus/make_corpus.py
It rewrites tests/corpus/uploads/ (the files are committed too, so the tests do not need this script).

Every file comes with its expected outcome, written here by hand (not computed by the parser):
``{"ok": true, "tables": {"history": 3}}`` (table kinds and data-row counts), or the first problem
``{"ok": false, "code": "duplicate_year", "row": 4, "column": "tahun"}`` (row as the user sees it in the
file, column as written in its header; ``null`` for the whole file). Files are read with
``simulation.io.read_upload(data, name, region=load_region("pontianak"))`` (Indonesian).

``uploads/`` holds the Data page's files; ``batch/`` holds regions files for ``python -m simulation batch``
(read with ``simulation.batch.run_batch(default_scenario(), data, filename=name)``), whose expected outcome is
``{"ok": true, "regions": 2}`` or the refusal's ``{"ok": false, "code": ..., "row": ..., "column": ...}``.
Files whose names start with a class letter of issue 14 (``a`` ambiguous, ``n`` implausible numbers,
``c`` cost, ``i`` invisible characters, ``f`` formula text, ``o`` other spreadsheet formats) are listed with
their tests in docs/SECURITY.md.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent / "uploads"
BATCH_OUT = Path(__file__).resolve().parent / "batch"
FIXED_TIME = dt.datetime(2026, 1, 1)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d30000000049454e44ae426082")

CASES: dict[str, tuple[bytes | None, dict]] = {}
BATCH: dict[str, tuple[bytes, dict]] = {}


def ok(**tables) -> dict:
    return {"ok": True, "tables": tables}


def bad(code: str, row: int | None = None, column: str | None = None) -> dict:
    return {"ok": False, "code": code, "row": row, "column": column}


def csv_case(name: str, text: str, expected: dict, encoding: str = "utf-8") -> None:
    CASES[name] = (text.encode(encoding), expected)


def raw_case(name: str, data: bytes, expected: dict) -> None:
    CASES[name] = (data, expected)


def xlsx(sheets: list[tuple[str, list[list]]], percent_cells: dict | None = None,
         hidden: dict[str, str] | None = None) -> bytes:
    """A workbook; ``percent_cells`` maps (sheet, "B4") to a number format such as "0.00%"; ``hidden`` maps a
    sheet's title to its state ("hidden" or "veryHidden")."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        ws.sheet_state = (hidden or {}).get(title, "visible")
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v)
    for (title, ref), fmt in (percent_cells or {}).items():
        wb[title][ref].number_format = fmt
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _stable(buf.getvalue())


def _stable(data: bytes) -> bytes:
    """The same workbook with fixed zip and document times, so that regenerating changes no byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ----------------------------------------------------------------------------- good CSV
csv_case("h01_semicolon_decimal_comma.csv", "tahun;cakupan\n2023;38,35\n2024;40,86\n2025;40\n", ok(history=3))
csv_case("h02_comma_decimal_point.csv", "year,coverage_pct\n2023,38.35\n2024,40.86\n2025,40.0\n", ok(history=3))
csv_case("h03_percent_sign.csv", "Tahun;Cakupan (%)\n2023;38,35%\n2024;40,86 %\n", ok(history=2))
raw_case("h04_bom.csv", "\ufeffTahun;Cakupan\r\n2023;38,35\r\n2024;40,86\r\n".encode(), ok(history=2))
csv_case("h05_title_rows.csv",
         "Riwayat cakupan kepesertaan Kota Pontianak;;\n;;\nTahun;Cakupan (%);Sumber\n2023;38,35;BPJS TK\n"
         "2024;40,86;BPJS TK\n", ok(history=2))
csv_case("h06_participants_potential.csv",
         "Tahun;Peserta aktif;Potensi pekerja\n2023;93.000;242.500\n2024;99.795;244.236\n", ok(history=2))
csv_case("h07_sources_dates_certainty.csv",
         "Tahun;Cakupan (%);Sumber;Tanggal sumber;Keyakinan\n2023;38,35;BPJS TK Pontianak;20/01/2025;H\n"
         "2024;40,86;BPJS TK Pontianak;2025-01-20;H · regulasi\n2025;41,2;Disnaker;12 Februari 2026;sedang\n",
         ok(history=3))
csv_case("h08_windows_1252.csv", "Tahun;Cakupan;Sumber\n2023;38,35;Dinas Tenaga Kerja (café)\n2024;40,86;Bappeda\n"
         "2025;40;Disnaker\n", ok(history=3), encoding="cp1252")   # three years: enough for a backtest
csv_case("h09_tab_separated.csv", "tahun\tcakupan\n2023\t38,35\n2024\t40,86\n", ok(history=2))
csv_case("h10_quoted_decimal_comma.csv", 'tahun,cakupan\n2023,"38,35"\n2024,"40,86"\n', ok(history=2))
csv_case("h11_fractions.csv", "tahun;cakupan\n2023;0,3835\n2024;0,4086\n", ok(history=2))
csv_case("h12_extra_no_and_notes.csv",
         "No.;Tahun;Cakupan;Keterangan\n1;2023;38,35;awal MoU\n2;2024;40,86;\n\n", ok(history=2))
raw_case("h13_utf16.csv", "Tahun\tCakupan\r\n2023\t38,35\r\n2024\t40,86\r\n2025\t40\r\n".encode("utf-16"),
         ok(history=3))
csv_case("w01_thousands_dots.csv", "Tahun;Potensi pekerja\n2024;244.236\n2025;246.678\n", ok(workers=2))
csv_case("b01_apbd_rupiah.csv", "Tahun;APBD (Rp)\n2025;Rp 2.000.000.000.000\n2026;2,1E+12\n", ok(apbd=2))
csv_case("b02_min_wage.csv", "Tahun;UMK\n2024;2.840.206\n2025;3.024.820\n2026;Rp 3.205.220,-\n", ok(min_wage=3))
csv_case("g01_groups_by_id.csv",
         "Kode;Anggota (orang);Sudah terlindungi (%);Keikutsertaan (%);Tidak aktif (%)\nrt_heads;2700;39;95;3\n",
         ok(groups=1))
csv_case("g02_groups_by_name.csv", "Kelompok;Jumlah anggota\nKetua RT;2.700\nGuru ngaji;450\n", ok(groups=2))
csv_case("t01_targets.csv",
         "Kode;Nama target;Tahun;Target cakupan (%)\ncity_2026;Target kota 2026;2026;45\n"
         "rpjmd_2027;Target RPJMD 2027;2027;47,5\n", ok(targets=2))
csv_case("p01_parameters.csv", "Kode;Nilai\nworker_growth_pct;1,2\nformal_share_pct;55\n", ok(parameters=2))

# ----------------------------------------------------------------------------- bad CSV
raw_case("x01_empty.csv", b"", bad("empty_file"))
csv_case("x02_only_header.csv", "tahun;cakupan\n", bad("empty_file"))
csv_case("x03_blank_lines.csv", "  \n\n \n", bad("empty_file"))
raw_case("x04_png_named_csv.csv", PNG, bad("not_a_table"))
csv_case("x05_duplicate_year.csv", "tahun;cakupan\n2023;38,35\n2024;40,86\n2024;41\n",
         bad("duplicate_year", 4, "tahun"))
csv_case("x06_text_value.csv", "tahun;cakupan\n2023;38,35\n2024;empat puluh\n", bad("expected_number", 3, "cakupan"))
csv_case("x07_over_100.csv", "tahun;cakupan\n2023;38,35\n2024;140,86\n", bad("over_100", 3, "cakupan"))
csv_case("x08_negative.csv", "tahun;cakupan\n2023;-4\n2024;40,86\n", bad("negative", 2, "cakupan"))
csv_case("x09_missing_column.csv", "tahun;sumber\n2023;BPS\n2024;BPS\n", bad("missing_column", None, "Cakupan (%)"))
csv_case("x10_unknown_column.csv", "tahun;cakupan;kabupaten\n2023;38,35;Pontianak\n",
         bad("unknown_column", 1, "kabupaten"))
csv_case("x11_missing_year.csv", "tahun;cakupan\n2023;38,35\n;40,86\n", bad("missing_year", 3, "tahun"))
csv_case("x12_empty_value.csv", "tahun;cakupan\n2023;38,35\n2024;\n", bad("empty_value", 3, "cakupan"))
csv_case("x13_one_year.csv", "tahun;cakupan\n2024;40,86\n", bad("too_few"))
csv_case("x14_bad_year.csv", "tahun;cakupan\n23;38,35\n2024;40,86\n", bad("expected_year", 2, "tahun"))
csv_case("x15_covered_above_potential.csv", "tahun;peserta;potensi\n2023;250.000;244.236\n2024;99.795;244.236\n",
         bad("covered_above_potential", 2, "peserta"))
csv_case("x16_mixed_separators.csv", "tahun;cakupan\n2023;38,35\n2024;1.234,5,6\n",
         bad("expected_number", 3, "cakupan"))
csv_case("x17_zero.csv", "tahun;cakupan\n2023;0\n2024;40,86\n", bad("out_of_range", 2, "cakupan"))
csv_case("x18_workers_fraction.csv", "tahun;potensi pekerja\n2024;244236,5\n", bad("not_whole_number", 2, "potensi pekerja"))
csv_case("x19_unknown_group.csv", "kode;anggota\nbecak;100\n", bad("unknown_group", 2, "kode"))
csv_case("x20_group_over_100.csv", "kode;anggota;keikutsertaan (%)\nrt_heads;2700;120\n",
         bad("over_100", 2, "keikutsertaan (%)"))
csv_case("x21_bad_certainty.csv", "tahun;cakupan;keyakinan\n2023;38,35;X\n2024;40,86;H\n",
         bad("bad_certainty", 2, "keyakinan"))
csv_case("x22_bad_date.csv", "tahun;cakupan;tanggal sumber\n2023;38,35;32/13/2025\n2024;40,86;\n",
         bad("bad_date", 2, "tanggal sumber"))
raw_case("x23_binary_garbage.csv", bytes(range(256)) * 4, bad("not_a_table"))
csv_case("x24_duplicate_column.csv", "tahun;cakupan;cakupan (%)\n2023;38,35;38,35\n",
         bad("duplicate_column", 1, "cakupan (%)"))
csv_case("x25_no_header.csv", "2023;38,35\n2024;40,86\n", bad("no_header"))
csv_case("x26_duplicate_group.csv", "kelompok;anggota\nKetua RT;2700\nrt_heads;2800\n",
         bad("duplicate_id", 3, "kelompok"))
csv_case("x27_unknown_parameter.csv", "kode;nilai\ninflation;3\n", bad("unknown_id", 2, "kode"))
csv_case("x28_parameter_out_of_range.csv", "kode;nilai\nworker_growth_pct;35\n", bad("out_of_range", 2, "nilai"))
raw_case("x29_old_excel.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504, bad("old_excel"))

# ----------------------------------------------------------------------------- good XLSX
raw_case("k01_title_row.xlsx", xlsx([("Sheet1", [
    ["Riwayat cakupan kepesertaan BPJS Ketenagakerjaan Kota Pontianak"], [],
    ["Tahun", "Cakupan (%)", "Sumber"], [2023, 38.35, "BPJS TK"], [2024, 40.86, "BPJS TK"], [2025, 40, "faktakalbar"],
])]), ok(history=3))
raw_case("k02_percent_format.xlsx", xlsx([("Cakupan", [["Tahun", "Cakupan"], [2023, 0.3835], [2024, 0.4086]])],
                                         {("Cakupan", "B2"): "0.00%", ("Cakupan", "B3"): "0.00%"}), ok(history=2))
raw_case("k03_sheet_by_name.xlsx", xlsx([
    ("Petunjuk", [["Isi lembar riwayat dengan cakupan per tahun."], ["Jangan ubah judul kolom."]]),
    ("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]),
]), ok(history=2))
raw_case("k04_sheet_by_header.xlsx", xlsx([
    ("Catatan", [["Data dari BPJS Ketenagakerjaan Cabang Pontianak"]]),
    ("Data BPJS", [["No", "Tahun", "Peserta aktif", "Potensi pekerja"], [1, 2023, 93000, 242500],
                   [2, 2024, 99795, 244236]]),
]), ok(history=2))
raw_case("k05_text_numbers.xlsx", xlsx([("Sheet1", [["Tahun", "Cakupan"], ["2023", "38,35"], ["2024", "40,86%"]])]),
         ok(history=2))
raw_case("k06_several_tables.xlsx", xlsx([
    ("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86], [2025, 41]]),
    ("kelompok", [["Kode", "Anggota (orang)"], ["rt_heads", 2700], ["guru_ngaji", 450]]),
    ("target", [["Kode", "Nama target", "Tahun", "Target cakupan (%)"], ["city_2026", "Target kota 2026", 2026, 45]]),
    ("apbd", [["Tahun", "APBD (Rp/tahun)"], [2025, 2_100_000_000_000]]),
]), ok(history=3, apbd=1, groups=2, targets=1))

# ----------------------------------------------------------------------------- bad XLSX
raw_case("y01_dup_year_title_row.xlsx", xlsx([("riwayat", [
    ["Riwayat cakupan"], [], ["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86], [2024, 41.0],
])]), bad("duplicate_year", 6, "Tahun"))
raw_case("y02_date_in_number.xlsx", xlsx([("riwayat", [
    ["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, dt.datetime(2024, 10, 4)],
])]), bad("wrong_type", 3, "Cakupan (%)"))
_zip = io.BytesIO()
with zipfile.ZipFile(_zip, "w") as zf:
    zf.writestr(zipfile.ZipInfo("hello.txt", date_time=(2026, 1, 1, 0, 0, 0)), "not a workbook")
raw_case("y03_zip_not_xlsx.xlsx", _zip.getvalue(), bad("not_a_table"))
raw_case("y04_png_named_xlsx.xlsx", PNG, bad("not_a_table"))
raw_case("y05_csv_named_xlsx.xlsx", b"tahun;cakupan\n2023;38,35\n2024;40,86\n", bad("not_a_table"))
raw_case("y06_empty_workbook.xlsx", xlsx([("Sheet1", [])]), bad("empty_file"))
raw_case("y07_no_header.xlsx", xlsx([("Sheet1", [[2023, 38.35], [2024, 40.86]])]), bad("no_header"))
raw_case("y08_over_100.xlsx", xlsx([("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 140.86]])]),
         bad("over_100", 3, "Cakupan (%)"))
raw_case("y09_formula_without_value.xlsx", xlsx([("riwayat", [
    ["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, "=B2+2.51"],
])]), bad("empty_value", 3, "Cakupan (%)"))
raw_case("y10_bad_sheet_among_good.xlsx", xlsx([
    ("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]),
    ("kelompok", [["Kode", "Anggota (orang)"], ["rt_heads", -5]]),
]), bad("negative", 2, "Anggota (orang)"))


# ============================================================================= issue 14: never read silently
# ----------------------------------------------------------------------------- a: ambiguous files
csv_case("a01_comma_file_unquoted_decimal_comma.csv", "tahun,cakupan\n2023,38,35\n2024,40,86\n",
         bad("split_decimal", 2, "cakupan"))
csv_case("a02_comma_file_decimal_comma_with_source.csv",
         "tahun,cakupan,sumber\n2023,38,35,BPJS TK\n2024,40,86,BPJS TK\n", bad("split_decimal", 2, "cakupan"))
csv_case("a03_comma_file_split_in_one_row.csv", "year,coverage_pct\n2023,38\n2024,40,86\n",
         bad("split_decimal", 3, "coverage_pct"))
csv_case("a04_share_among_percentages.csv", "tahun;cakupan\n2022;36,5\n2023;0,3835\n2024;40,86\n",
         bad("share_among_percent", 3, "cakupan"))
csv_case("a05_low_dropout_is_a_percentage.csv", "kode;anggota;tidak aktif (%)\nrt_heads;2700;0,5\nguru_ngaji;450;3\n",
         ok(groups=2))
raw_case("a06_hidden_sheet_beside_visible.xlsx", xlsx([
    ("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]),
    ("riwayat lama", [["Tahun", "Cakupan (%)"], [2023, 12.0], [2024, 13.0], [2025, 14.0]]),
], hidden={"riwayat lama": "hidden"}), ok(history=2))
raw_case("a07_very_hidden_only.xlsx", xlsx([
    ("Petunjuk", [["Isi data di lembar berikut."]]),
    ("Data", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]),
], hidden={"Data": "veryHidden"}), bad("hidden_sheet"))
raw_case("a08_two_visible_sheets.xlsx", xlsx([
    ("riwayat", [["Tahun", "Cakupan (%)"], [2023, 38.35], [2024, 40.86]]),
    ("Data BPJS", [["Tahun", "Cakupan (%)"], [2023, 12.0], [2024, 13.0]]),
]), bad("two_sheets"))
csv_case("a09_note_right_of_table.csv", "tahun;cakupan\n2023;38,35;angka sementara\n2024;40,86\n", ok(history=2))
# ----------------------------------------------------------------------------- n: implausible numbers, bound named
csv_case("n01_workers_1e300.csv", "tahun;potensi pekerja\n2024;1e300\n", bad("out_of_range", 2, "potensi pekerja"))
csv_case("n02_min_wage_1_7e308.csv", "tahun;umk\n2025;1,7E+308\n", bad("out_of_range", 2, "umk"))
csv_case("n03_apbd_zero.csv", "tahun;apbd\n2025;0\n", bad("out_of_range", 2, "apbd"))
csv_case("n04_min_wage_in_thousands.csv", "tahun;umk\n2025;3.024\n", bad("out_of_range", 2, "umk"))
csv_case("n05_participants_2e9.csv", "tahun;peserta;potensi\n2023;2e9;3e9\n2024;99.795;244.236\n",
         bad("out_of_range", 2, "peserta"))
csv_case("n06_members_1e300.csv", "kode;anggota\nrt_heads;1e300\n", bad("out_of_range", 2, "anggota"))
# ----------------------------------------------------------------------------- c: bounded cost
csv_case("c01_cell_over_128k.csv", "tahun;cakupan;sumber\n2023;38,35;" + "x" * 140_000 + "\n2024;40,86;BPS\n",
         bad("cell_too_long", 2, "C"))
csv_case("c02_cell_over_excel_limit.csv", "tahun;cakupan;sumber\n2023;38,35;BPS\n2024;40,86;" + "y" * 40_000 + "\n",
         bad("cell_too_long", 3, "C"))


def _workbook_with_shared_strings(strings: bytes) -> bytes:
    """A minimal workbook as Excel writes it (texts in a shared-strings part) with ``strings`` as that part.

    Deflated, 39 MB of one repeated letter is a 40 KB file: the unpacked size, not the file's, is the cost.
    """
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="riwayat" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2"><v>2023</v></c><c r="B2"><v>38.35</v></c></row>'
            '<row r="3"><c r="A3"><v>2024</v></c><c r="B3"><v>40.86</v></c></row></sheetData></worksheet>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in [*parts.items(), ("xl/sharedStrings.xml", strings)]:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)),
                        body.encode() if isinstance(body, str) else body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
raw_case("c03_shared_strings_39mb.xlsx", _workbook_with_shared_strings(
    _SST + b"<si><t>Tahun</t></si><si><t>Cakupan (%)</t></si>" + b"<si><t>" + b"x" * 39_000_000 + b"</t></si></sst>"),
    bad("too_large"))
raw_case("c00_shared_strings_fine.xlsx", _workbook_with_shared_strings(
    _SST + b"<si><t>Tahun</t></si><si><t>Cakupan (%)</t></si></sst>"), ok(history=2))
raw_case("c04_shared_strings_many.xlsx", _workbook_with_shared_strings(
    _SST + b"<si><t>Tahun</t></si><si><t>Cakupan (%)</t></si>" + b"<si><t>a</t></si>" * 200_000 + b"</sst>"),
    bad("too_many_strings"))
csv_case("c05_too_many_rows.csv", "tahun;cakupan\n" + "".join(f"{1990 + i % 100};40\n" for i in range(1_200)),
         bad("too_many_rows"))
# ----------------------------------------------------------------------------- i: invisible characters
csv_case("i01_zero_width_in_group_id.csv", "kode;anggota\nrt\u200b_heads;2700\n", bad("invisible_char", 2, "kode"))
csv_case("i02_rtl_override_in_target_name.csv",
         "kode;nama target;tahun;target cakupan (%)\ncity_2026;Target \u202eatok;2026;45\n",
         bad("invisible_char", 2, "nama target"))
csv_case("i03_bom_inside_group_name.csv", "kelompok;anggota\nKetua\ufeff RT;2700\n", bad("invisible_char", 2, "kelompok"))
# ----------------------------------------------------------------------------- f: formula text is read as text
csv_case("f01_formula_target_name.csv",
         'kode;nama target;tahun;target cakupan (%)\ncity_2026;"=HYPERLINK(""http://example.com"";""klik"")";2026;45\n'
         "rpjmd_2027;@SUM(1+1)*cmd|' /C calc'!A0;2027;47,5\n", ok(targets=2))
# ----------------------------------------------------------------------------- o: other formats, our own message
_ods = io.BytesIO()
with zipfile.ZipFile(_ods, "w") as zf:
    zf.writestr(zipfile.ZipInfo("mimetype", date_time=(2026, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.spreadsheet")
raw_case("o01_libreoffice.ods", _ods.getvalue(), bad("old_excel"))
raw_case("o02_excel_unicode_text.txt", "Tahun\tCakupan\r\n2023\t38,35\r\n2024\t40,86\r\n".encode("utf-16"),
         ok(history=2))


# ============================================================================= batch: regions files
def batch_case(name: str, data: bytes | str, expected: dict) -> None:
    BATCH[name] = (data.encode("utf-8") if isinstance(data, str) else data, expected)


def regions(n: int) -> dict:
    return {"ok": True, "regions": n}


HEAD = "region_id;name;potential_workers;potential_workers_year;coverage_2023;coverage_2024;coverage_2025"
ROW = "pontianak;Kota Pontianak;244.236;2024;38,35;40,86;40\n"
batch_case("r01_good.csv", HEAD + ";apbd\n" + ROW.rstrip("\n") + ";2,1E+12\nsingkawang;Singkawang;120.000;2024;30;31;32;\n",
           regions(2))
batch_case("r02_negative_worker_growth.csv", HEAD + ";worker_growth_pct\n" + ROW.rstrip("\n") + ";-1,5\n", regions(1))
batch_case("r03_windows_1252.csv", (HEAD + "\n" + ROW.replace("Kota Pontianak", "Kota Pontianak (café)")).encode("cp1252"),
           regions(1))
batch_case("r04_blank_lines_true_line.csv", HEAD + "\n\n" + ROW + "\n\nsingkawang;S;120.000;2024;30;140;32\n",
           bad("over_100", 6, "coverage_2024"))
batch_case("n01_workers_1e300.csv", HEAD + "\npontianak;P;1e300;2024;38;40;41\n",
           bad("out_of_range", 2, "potential_workers"))
batch_case("n02_min_wage_1_7e308.csv", HEAD + ";min_wage\n" + ROW.rstrip("\n") + ";1,7E+308\n",
           bad("out_of_range", 2, "min_wage"))
batch_case("n03_apbd_zero.csv", HEAD + ";apbd\n" + ROW.rstrip("\n") + ";0\n", bad("out_of_range", 2, "apbd"))
batch_case("a01_comma_file_unquoted_decimal_comma.csv",
           HEAD.replace(";", ",") + "\npontianak,P,244236,2024,38,35,40,86,40\n", bad("split_decimal", 2, "coverage_2023"))
batch_case("a02_share_among_percentages.csv", HEAD + "\npontianak;P;244.236;2024;38,35;0,4086;40\n",
           bad("share_among_percent", 2, "coverage_2024"))
batch_case("a03_hidden_sheet_beside_visible.xlsx", xlsx([
    ("daerah", [HEAD.split(";"), ["pontianak", "P", 244236, 2024, 38.35, 40.86, 40]]),
    ("lama", [HEAD.split(";"), ["pontianak", "P", 1, 2024, 1, 2, 3]]),
], hidden={"lama": "veryHidden"}), regions(1))
batch_case("a04_two_visible_sheets.xlsx", xlsx([
    ("daerah", [HEAD.split(";"), ["pontianak", "P", 244236, 2024, 38.35, 40.86, 40]]),
    ("daerah 2", [HEAD.split(";"), ["singkawang", "S", 120000, 2024, 30, 31, 32]]),
]), bad("two_sheets"))
batch_case("c01_cell_over_128k.csv", HEAD + "\npontianak;" + "x" * 140_000 + ";244236;2024;38;40;41\n",
           bad("cell_too_long", 2, "B"))
batch_case("c02_too_many_rows.csv", HEAD + "\n" + "".join(f"r{i};R;1000;2024;30;31;32\n" for i in range(1_200)),
           bad("too_many_rows"))
batch_case("i01_zero_width_in_region_id.csv", HEAD + "\npontia\u200bnak;P;244236;2024;38;40;41\n",
           bad("invisible_char", 2, "region_id"))
batch_case("i02_rtl_override_in_name.csv", HEAD + "\npontianak;Kota \u202ekanaitnoP;244236;2024;38;40;41\n",
           bad("invisible_char", 2, "name"))
batch_case("f01_formula_name.csv", HEAD + '\npontianak;"=HYPERLINK(""http://example.com"";""x"")";244236;2024;38;40;41\n',
           regions(1))
batch_case("o01_old_excel.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504, bad("old_excel"))


def _write(out: Path, cases: dict) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()
    expected = {}
    for name, (data, outcome) in sorted(cases.items()):
        (out / name).write_bytes(data)
        expected[name] = outcome
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(expected)


def main() -> None:
    n = _write(OUT, CASES)
    print(f"wrote {n} files and expected.json to {OUT}")
    n = _write(BATCH_OUT, BATCH)
    print(f"wrote {n} files and expected.json to {BATCH_OUT}")


if __name__ == "__main__":
    main()
