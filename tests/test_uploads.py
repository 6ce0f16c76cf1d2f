"""simulation.io (the Data page's door): the corpus of office files, number reading, edits, templates and applying."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from simulation import io as uploads
from simulation.data import load_region
from simulation.errors import ValidationError

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus" / "uploads"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
REGION = load_region("pontianak")
TODAY = dt.date(2026, 11, 27)


def outcome(u: uploads.Upload) -> dict:
    if u.all_problems:
        p = u.all_problems[0]
        return {"ok": False, "code": p.code, "row": p.row, "column": p.column}
    return {"ok": True, "tables": {t.kind: len(t.rows) for t in u.tables}}


def read(name: str, **kw) -> uploads.Upload:
    return uploads.read_upload((CORPUS / name).read_bytes(), name, region=REGION, **kw)


# --------------------------------------------------------------------------- the corpus
def test_corpus_is_big_enough_and_complete():
    files = {p.name for p in CORPUS.iterdir() if p.name != "expected.json"}
    assert files == set(EXPECTED), "every corpus file needs an expected outcome (run tests/corpus/make_corpus.py)"
    assert len(files) >= 40
    assert sum(n.endswith(".xlsx") for n in files) >= 10
    assert sum(not e["ok"] for e in EXPECTED.values()) >= 20
    codes = {e["code"] for e in EXPECTED.values() if not e["ok"]}
    assert {"missing_column", "unknown_column", "duplicate_year", "missing_year", "expected_number", "negative",
            "over_100", "covered_above_potential", "empty_file", "not_a_table", "wrong_type"} <= codes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name):
    assert outcome(read(name)) == EXPECTED[name]


def test_corpus_values_are_read_right():
    h = read("h03_percent_sign.csv").table("history")
    assert [(r["year"], r["coverage_pct"]) for r in h.rows] == [(2023, 38.35), (2024, 40.86)]
    assert read("k02_percent_format.xlsx").table("history").rows[1]["coverage_pct"] == pytest.approx(40.86)
    frac = read("h11_fractions.csv")
    assert frac.table("history").rows[0]["coverage_pct"] == pytest.approx(38.35)
    assert [w.code for w in frac.warnings] == ["read_as_share"]
    parts = read("h06_participants_potential.csv").table("history").rows
    assert parts[1]["coverage_pct"] == pytest.approx(100 * 99795 / 244236)
    assert read("w01_thousands_dots.csv").table("workers").rows[0]["potential_workers"] == 244236
    apbd = read("b01_apbd_rupiah.csv").table("apbd").rows
    assert [r["apbd_idr"] for r in apbd] == [2e12, 2.1e12]
    assert read("b02_min_wage.csv").table("min_wage").rows[2]["min_wage_idr"] == 3205220
    dated = read("h07_sources_dates_certainty.csv").table("history").rows
    assert [r["source_date"] for r in dated] == [dt.date(2025, 1, 20), dt.date(2025, 1, 20), dt.date(2026, 2, 12)]
    assert [r["certainty"] for r in dated] == ["H", "H", "M"]
    groups = read("g02_groups_by_name.csv").table("groups").rows
    assert [(r["id"], r["members"]) for r in groups] == [("rt_heads", 2700), ("guru_ngaji", 450)]
    # rows are numbered as the user sees them: a title row and a blank row above the header
    assert [r["_row"] for r in read("k01_title_row.xlsx").table("history").rows] == [4, 5, 6]


def test_corpus_script_is_kept_beside_the_files():
    assert (REPO / "tests" / "corpus" / "make_corpus.py").is_file()


# --------------------------------------------------------------------------- files
def test_size_is_checked_before_parsing():
    big = b"tahun;cakupan\n" + b"2023;38,35\n" * (uploads.MAX_BYTES // 10)
    u = uploads.read_upload(big, "big.csv")
    assert outcome(u) == {"ok": False, "code": "too_large", "row": None, "column": None}
    assert u.problems[0].params["limit"] == uploads.MAX_BYTES


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("xl/workbook.xml", "<x/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (uploads.MAX_UNZIPPED_BYTES + 1))
    assert len(buf.getvalue()) < uploads.MAX_BYTES
    assert outcome(uploads.read_upload(buf.getvalue(), "bomb.xlsx"))["code"] == "too_large"


@pytest.mark.parametrize("name", ["data.json", "data.exe", "data"])
def test_other_extensions_are_not_tables(name):
    assert outcome(uploads.read_upload(b"tahun;cakupan\n2023;1\n", name))["code"] == "not_a_table"


def test_kind_asks_for_one_table():
    u = read("k06_several_tables.xlsx", kind="groups")
    assert [t.kind for t in u.tables] == ["groups"]
    with pytest.raises(ValueError):
        uploads.read_upload(b"x", "a.csv", kind="nonsense")


def test_problem_rows_in_a_workbook_name_the_sheet():
    p = read("y10_bad_sheet_among_good.xlsx").all_problems[0]
    assert (p.sheet, p.row, p.column, p.code) == ("kelompok", 2, "Anggota (orang)", "negative")
    assert p.params["value"] == "-5"


def test_english_reads_a_lone_dot_as_decimal():
    u = uploads.read_upload(b"year,potential_workers\n2024,244.236\n", "w.csv", lang="en")
    assert outcome(u)["code"] == "not_whole_number"
    u = uploads.read_upload(b"year,potential_workers\n2024,\"244,236\"\n", "w.csv", lang="en")
    assert u.table("workers").rows[0]["potential_workers"] == 244236


def test_module_imports_neither_streamlit_nor_ui():
    code = "import sys, simulation.io; sys.exit(any(m == 'streamlit' or m.startswith('ui') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr or "simulation.io imported streamlit or ui"


# --------------------------------------------------------------------------- edits (the Data page's editors)
def test_records_name_editor_row_and_column():
    table = uploads.read_records("history", [{"year": "2023", "coverage_pct": "38,35"},
                                             {"year": "2024", "coverage_pct": "abc"},
                                             {"year": None, "coverage_pct": None}],
                                 headers={"year": "Tahun", "coverage_pct": "Cakupan (%)"})
    assert [(p.code, p.row, p.column) for p in table.problems] == [("expected_number", 2, "Cakupan (%)")]


def test_records_an_emptied_group_cell_is_a_problem():
    table = uploads.read_records("groups", [{"id": "rt_heads", "members": None, "already_covered_pct": "39",
                                             "take_up_pct": "95", "dropout_pct": "3"}], region=REGION)
    assert [(p.code, p.row, p.column) for p in table.problems] == [("empty_value", 1, "Anggota (orang)")]


def test_records_too_few_years_and_duplicates():
    one = uploads.read_records("history", [{"year": "2024", "coverage_pct": "40"}])
    assert [p.code for p in one.problems] == ["too_few"]
    dup = uploads.read_records("apbd", [{"year": "2025", "apbd_idr": "2.000.000.000.000"},
                                        {"year": "2025", "apbd_idr": "3.000.000.000.000"}])
    assert [(p.code, p.row) for p in dup.problems] == [("duplicate_year", 2)]
    empty = uploads.read_records("apbd", [{"year": None, "apbd_idr": None}])
    assert [p.code for p in empty.problems] == ["too_few"]
    no_targets = uploads.read_records("targets", [])
    assert no_targets.ok and uploads.apply_tables(REGION, [no_targets]).targets == ()


# --------------------------------------------------------------------------- preview and apply
def test_changes_and_apply_keep_sources_of_unchanged_values():
    table = uploads.read_records("history", [{"year": "2023", "coverage_pct": "38,35"},
                                             {"year": "2024", "coverage_pct": "41,5"},
                                             {"year": "2025", "coverage_pct": "43"}])
    ch = uploads.changes(REGION, [table])
    assert [(c.key, c.old, c.new, c.status) for c in ch] == [("2024", 40.86, 41.5, "changed"),
                                                             ("2025", 40.0, 43.0, "changed")]
    new = uploads.apply_tables(REGION, [table], certainty="M", today=TODAY)
    assert new.coverage_history[0] == REGION.coverage_history[0]
    v = new.coverage_history[1]
    assert (v.value, v.source, v.certainty, v.source_date) == (41.5, uploads.USER_SOURCE, "M", TODAY)
    assert new.potential_workers == REGION.potential_workers


def test_apply_refuses_a_table_with_problems():
    table = uploads.read_records("history", [{"year": "2023", "coverage_pct": "38"},
                                             {"year": "2024", "coverage_pct": "140"}])
    with pytest.raises(ValidationError) as exc:
        uploads.apply_tables(REGION, [table])
    assert exc.value.code == "over_100"
    with pytest.raises(ValidationError):
        uploads.apply_tables(REGION, [], certainty="Z")


def test_history_with_participants_updates_potential_workers():
    u = read("h06_participants_potential.csv")
    new = uploads.apply_tables(REGION, u.tables, today=TODAY)
    assert {v.year: v.value for v in new.potential_workers} == {2023: 242500, 2024: 244236}
    assert new.potential_workers[1] == REGION.potential_workers[0]  # unchanged value keeps its source
    assert [c.kind for c in uploads.changes(REGION, u.tables)].count("workers") == 1


def test_groups_targets_parameters_apply():
    u = read("k06_several_tables.xlsx")
    new = uploads.apply_tables(REGION, u.tables, certainty="L", today=TODAY)
    assert new.group("rt_heads").members.value == 2700
    assert new.group("rt_heads").members.certainty == "L"
    assert new.group("rt_heads").take_up == REGION.group("rt_heads").take_up
    assert [t.id for t in new.targets] == ["city_2026"]
    assert new.apbd[0].value == 2.1e12
    p = uploads.apply_tables(REGION, read("p01_parameters.csv").tables, today=TODAY)
    assert p.worker_growth_pct.value == pytest.approx(1.2)
    assert p.formal_share == REGION.formal_share  # 55 % unchanged: keeps its source
    assert uploads.changes(REGION, read("t01_targets.csv").tables)[-1].status == "removed"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_templates_round_trip(lang):
    notes = ["Petunjuk"]
    u = uploads.read_upload(uploads.template_xlsx(REGION, lang, notes), "t.xlsx", region=REGION, lang=lang)
    assert u.ok and {t.kind for t in u.tables} == set(uploads.KINDS)
    assert uploads.changes(REGION, u.tables, lang) == []
    assert uploads.apply_tables(REGION, u.tables, lang=lang) == REGION
    for kind in uploads.KINDS:
        data = uploads.template_csv(REGION, kind, lang)
        assert data.startswith("\ufeff".encode())
        u = uploads.read_upload(data, f"{kind}.csv", region=REGION, lang=lang)
        assert u.ok and [t.kind for t in u.tables] == [kind], kind
        assert uploads.apply_tables(REGION, u.tables, lang=lang) == REGION


# --------------------------------------------------------------------------- issue 14 files on the real Data page
@pytest.fixture(scope="module")
def data_page():
    from apptest_helpers import open_data_tab
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception
    return open_data_tab(at, "upload")   # only the open tab is built


@pytest.mark.parametrize(("name", "said"), [
    ("c01_cell_over_128k.csv", "Baris 2, kolom C: sel ini berisi 140.000 karakter; paling banyak 32.767"),
    ("a01_comma_file_unquoted_decimal_comma.csv", "Baris 2, kolom cakupan: baris ini punya 3 sel"),
    ("a04_share_among_percentages.csv", "Baris 3, kolom cakupan: «0,3835» tertulis sebagai pecahan"),
    ("i01_zero_width_in_group_id.csv", "Baris 2, kolom kode: berisi karakter tak terlihat (<U+200B>)"),
    ("x29_old_excel.xls", "simpan sebagai Buku Kerja Excel (.xlsx)"),
    ("n03_apbd_zero.csv", "Baris 2, kolom apbd: harus di antara 1.000.000.000 dan 1.000.000.000.000.000 (0)"),
])
def test_the_data_page_refuses_each_class_with_row_column_and_reason(data_page, name, said):
    at = data_page
    n = at.session_state["uploads"].get("pontianak", {}).get("n", 0)
    at.file_uploader(key=f"w.data.upload.{n}").set_value((name, (CORPUS / name).read_bytes(), "text/csv")).run()
    assert not at.exception
    text = "\n".join(e.value for e in at.error)
    assert "Terjadi kesalahan yang tidak terduga" not in text
    assert "Berkas ditolak" in text and said in text.replace("\\", "")
    assert at.session_state["regions"].get("pontianak") is None


def test_the_preview_lists_a_group_rename_beside_its_numbers():
    u = uploads.read_upload(b"Kode;Kelompok;Anggota (orang)\nrt_heads;Ketua RT/RW;2800\n", "g.csv",
                            region=REGION)
    ch = uploads.changes(REGION, u.tables)
    assert [(c.key, c.field, c.new) for c in ch] == [("rt_heads", "members", 2800), ("rt_heads", "name", "Ketua RT/RW")]
    new = uploads.apply_tables(REGION, u.tables, today=TODAY)
    assert new.group("rt_heads").name_id == "Ketua RT/RW"
    # the name as the region already has it is no change
    g = REGION.group("rt_heads")
    same = uploads.read_upload(f"Kode;Kelompok;Anggota (orang)\nrt_heads;{g.name_id};{g.members.value:.0f}\n".encode(),
                               "g.csv", region=REGION)
    assert same.ok and uploads.changes(REGION, same.tables) == []


def test_issue_14_files_that_are_accepted_are_read_right():
    groups = read("a05_low_dropout_is_a_percentage.csv").table("groups").rows
    assert [(r["id"], r["dropout_pct"]) for r in groups] == [("rt_heads", 0.5), ("guru_ngaji", 3.0)]
    hist = read("a06_hidden_sheet_beside_visible.xlsx").table("history")
    assert (hist.sheet, [r["coverage_pct"] for r in hist.rows]) == ("riwayat", [38.35, 40.86])
    assert [r["coverage_pct"] for r in read("a09_note_right_of_table.csv").table("history").rows] == [38.35, 40.86]
    assert [r["coverage_pct"] for r in read("o02_excel_unicode_text.txt").table("history").rows] == [38.35, 40.86]
    assert [r["coverage_pct"] for r in read("c00_shared_strings_fine.xlsx").table("history").rows] == [38.35, 40.86]
    names = [r["name"] for r in read("f01_formula_target_name.csv").table("targets").rows]
    assert names == ['=HYPERLINK("http://example.com";"klik")', "@SUM(1+1)*cmd|' /C calc'!A0"]
